import Foundation
import MatteCore

/// Finds the matting model: --model, else $VMATTE_MODEL, else the model installed beside the
/// executable (`../share/vmatte/vmatte-dim.safetensors`, as `scripts/install.sh` lays it out),
/// else the bundled `Models/vmatte-dim.safetensors` of the source tree the executable was built in.
public enum ModelLocator {
    public static let fileName = "vmatte-dim.safetensors"
    public static let bundledName = "Models/" + fileName
    public static let installedName = "../share/vmatte/" + fileName

    public static func resolve(_ requested: String?) throws -> String {
        if let requested { return requested }
        if let fromEnvironment = ProcessInfo.processInfo.environment["VMATTE_MODEL"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        let executableFolder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let installed = executableFolder.appendingPathComponent(installedName).standardizedFileURL.path
        if FileManager.default.fileExists(atPath: installed) { return installed }
        var folder = executableFolder
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent(bundledName).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        let local = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(bundledName)
        if FileManager.default.fileExists(atPath: local) { return local }
        throw VMatteError.badInput("no matting model found: pass --model FILE or set VMATTE_MODEL (installed, it is \(installed); in the source tree, \(bundledName))")
    }
}
