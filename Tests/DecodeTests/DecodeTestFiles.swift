import Foundation

/// Where the decode tests find their files and tools, and put theirs.
enum DecodeTestFiles {
    /// The real clips of the shared data folder beside the repository (absent in a user's clone).
    static let sharedVideos = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/data/videos").standardizedFileURL.path

    /// The installed ffmpeg CLI tool `name` (ffmpeg, ffprobe), if any.
    static func tool(_ name: String) -> String? {
        ["/usr/bin/" + name, "/usr/local/bin/" + name].first(where: FileManager.default.isExecutableFile)
    }

    static func temporaryFolder(_ name: String = #function) -> String {
        let path = NSTemporaryDirectory() + "vmatte-decode-\(name.filter { $0.isLetter })-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
