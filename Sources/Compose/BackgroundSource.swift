import Decode
import Foundation
import MatteCore

/// Provides the background for each frame, already the frame's size: a solid colour, a still
/// image or a video (frame n of the clip gets frame n of the background, looped or held).
public final class BackgroundSource {
    /// The background as the user wrote it.
    public let specification: String
    public let width: Int
    public let height: Int
    private let fit: BackgroundFit
    private let end: BackgroundEnd
    private var still: ImageTensor?
    private var video: FrameSource?
    private var videoPath = ""
    /// Index the next frame read from `video` will have, counted from its start.
    private var position = 0
    private var frameCount: Int?
    private var decoded = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
    /// The last background frame placed, by its index in the background.
    private var current: (index: Int, image: ImageTensor)?

    /// Opens `specification`: `#rrggbb`, `#rgb`, a colour name, an image file, or a video
    /// (any file, folder or pattern Decode reads). Missing or undecodable files are bad input.
    public init(_ specification: String, width: Int, height: Int, fit: BackgroundFit = .fill, end: BackgroundEnd = .loop) throws {
        self.specification = specification
        self.width = width
        self.height = height
        self.fit = fit
        self.end = end
        let exists = FileManager.default.fileExists(atPath: specification) || ImageSequencePattern.isPattern(specification)
        if !exists, let (r, g, b) = BackgroundColor.parse(specification) {
            var image = ImageTensor(width: width, height: height, channels: 3)
            let n = width * height
            image.pixels.withUnsafeMutableBufferPointer { p in
                for i in 0..<n { p[i] = r; p[n + i] = g; p[2 * n + i] = b }
            }
            still = image
            return
        }
        guard exists else {
            throw VMatteError.badInput("the background '\(specification)' does not exist (give an image, a video, #rrggbb or a colour name such as green)")
        }
        let ext = (specification as NSString).pathExtension.lowercased()
        if imageFileExtensions.contains(ext) && !ImageSequencePattern.isPattern(specification) {
            still = fit.place(try Self.guarded(specification) { try readImage(specification, planes: .rgb) }, width: width, height: height)
        } else {
            videoPath = specification
            video = try openVideo()
            // Decode the first frame now, so a broken video fails before any matting.
            _ = try frame(for: 0)
        }
    }

    /// The background for clip frame `index` (cheapest when indices increase between calls).
    public func frame(for index: Int) throws -> ImageTensor {
        if let still { return still }
        var target = index
        if let frameCount, target >= frameCount {
            target = end == .loop ? target % frameCount : frameCount - 1
        }
        if let current, current.index == target { return current.image }
        if target < position { video = try openVideo() }
        while position <= target {
            guard try Self.guarded(videoPath, { try video!.read(into: &decoded) }) else {
                guard position > 0 else { throw VMatteError.badInput("the background '\(videoPath)' has no decodable frame") }
                frameCount = position
                video = try openVideo()
                return try frame(for: index)
            }
            position += 1
        }
        let image = fit.place(decoded.image, width: width, height: height)
        current = (target, image)
        return image
    }

    private func openVideo() throws -> FrameSource {
        position = 0
        current = nil
        return try Self.guarded(videoPath) { try MediaInput.open(videoPath, options: DecodeOptions(planes: .rgb, threads: 2)) }
    }

    /// Runs `body`, turning any failure into bad input that says it was the background.
    private static func guarded<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as VMatteError {
            throw VMatteError.badInput("the background '\(path)' cannot be used: \(error.message)")
        }
    }
}
