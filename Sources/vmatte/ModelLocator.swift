import Foundation
import MatteCore

/// Finds the matting model: --model, else $VMATTE_MODEL, else the bundled
/// `Models/vmatte-dim.safetensors` of the source tree the executable was built in.
enum ModelLocator {
    static let bundledName = "Models/vmatte-dim.safetensors"

    static func resolve(_ requested: String?) throws -> String {
        if let requested { return requested }
        if let fromEnvironment = ProcessInfo.processInfo.environment["VMATTE_MODEL"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        var folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent(bundledName).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        let local = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(bundledName)
        if FileManager.default.fileExists(atPath: local) { return local }
        throw VMatteError.badInput("no matting model found: pass --model FILE or set VMATTE_MODEL (the bundled one is \(bundledName) in the source tree)")
    }
}
