import Foundation
import MatteCore

/// Plain file-system checks that give better messages than a libav error number.
public enum InputChecks {
    /// Fails with a clear message when `path` is missing, a folder, empty or unreadable.
    public static func requireReadable(_ path: String) throws {
        if ImageSequencePattern.isPattern(path) { return }
        let manager = FileManager.default
        var directory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &directory) else {
            throw VMatteError.badInput("'\(path)' does not exist")
        }
        if directory.boolValue { throw VMatteError.badInput("'\(path)' is a folder, not a video file") }
        guard manager.isReadableFile(atPath: path) else { throw VMatteError.badInput("'\(path)' cannot be read (permission denied)") }
        let size = (try? manager.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? -1
        if size == 0 { throw VMatteError.badInput("'\(path)' is empty (0 bytes)") }
    }
}
