import Foundation
import MatteCore

/// Finds a bundled matting model: --model, else (for the plain network) $VMATTE_MODEL, else
/// the model installed beside the executable (`../share/vmatte/NAME`, as `scripts/install.sh`
/// lays it out), else the bundled `Models/NAME` of the source tree the executable was built in.
public enum ModelLocator {
    /// The plain Deep Image Matting network (`--method dim`).
    public static let fileName = "vmatte-dim.safetensors"
    /// The network fused with closed-form matting (`--method fused`, the default).
    public static let fusedFileName = "vmatte-fused.safetensors"

    public static func resolve(_ requested: String?, fileName: String = ModelLocator.fileName) throws -> String {
        if let requested { return requested }
        if fileName == Self.fileName, let fromEnvironment = ProcessInfo.processInfo.environment["VMATTE_MODEL"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        let bundledName = "Models/" + fileName
        let executableFolder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let installed = executableFolder.appendingPathComponent("../share/vmatte/" + fileName).standardizedFileURL.path
        if FileManager.default.fileExists(atPath: installed) { return installed }
        var folder = executableFolder
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent(bundledName).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        let local = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(bundledName)
        if FileManager.default.fileExists(atPath: local) { return local }
        let alternative = fileName == Self.fileName ? " or set VMATTE_MODEL" : ""
        throw VMatteError.badInput("no matting model found: pass --model FILE\(alternative) (installed, it is \(installed); in the source tree, \(bundledName))")
    }
}
