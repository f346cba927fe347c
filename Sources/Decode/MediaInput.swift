import MatteCore

/// Opens an input by what the path names: a folder of images, a printf pattern, or a file.
public enum MediaInput {
    public static func open(_ path: String, options: DecodeOptions = DecodeOptions()) throws -> FrameSource {
        if Paths.isDirectory(path) {
            return try ImageFolderSource(folder: path, options: options)
        }
        if ImageSequencePattern.isPattern(path) {
            return try ImageSequencePattern.open(path, options: options)
        }
        return try MovieDecoder(path: path, options: options)
    }

    /// Decodes the frames `options` selects from `path` in order, each into a frame of its own
    /// (which `body` may keep); returns how many there were.
    @discardableResult
    public static func forEachFrame(of path: String, options: DecodeOptions, _ body: (VideoFrame) throws -> Void) throws -> Int {
        let source = try open(path, options: options)
        var count = 0
        while true {
            var frame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
            guard try source.read(into: &frame) else { return count }
            try body(frame)
            count += 1
        }
    }
}
