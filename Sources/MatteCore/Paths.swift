import Foundation

/// Small file-system questions shared by the input and output stages.
public enum Paths {
    public static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }

    /// `path` made absolute against the working folder, with `.`/`..` and `~` resolved.
    public static func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let full = expanded.hasPrefix("/") ? expanded : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(expanded)
        return (full as NSString).standardizingPath
    }

    /// The absolute path with symbolic links followed: two paths naming one file compare equal.
    public static func resolved(_ path: String) -> String {
        (absolute(path) as NSString).resolvingSymlinksInPath
    }

    /// The text of the current `errno`.
    public static func lastErrorText() -> String { String(cString: strerror(errno)) }
}
