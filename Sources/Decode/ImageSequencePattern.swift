import FFmpegSupport
import Foundation
import MatteCore

/// File extensions read as still images in sequences and trimap folders.
public let imageFileExtensions: Set<String> = ["png", "jpg", "jpeg", "bmp", "tif", "tiff", "webp", "tga", "ppm", "pgm", "exr", "dpx"]

/// printf-style sequence paths such as `frames/%06d.png`, read by libavformat's image2 demuxer.
public enum ImageSequencePattern {
    public static func isPattern(_ path: String) -> Bool {
        path.range(of: #"%0?\d*d"#, options: .regularExpression) != nil
    }

    static func open(_ path: String, options: DecodeOptions) throws -> MovieDecoder {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && !Paths.isDirectory(folder) {
            throw VMatteError.badInput("the folder of the image sequence '\(path)' does not exist")
        }
        let rate = options.sequenceFrameRate
        return try MovieDecoder(path: path, options: options,
                                formatOptions: ["framerate": "\(rate.numerator)/\(rate.denominator)", "start_number_range": "100000"])
    }
}

/// Reads one still image (or the first frame of a video) as float planes.
public func readImage(_ path: String, planes: DecodedPlanes = .rgb) throws -> ImageTensor {
    let decoder = try MovieDecoder(path: path, options: DecodeOptions(planes: planes, threads: 1))
    var frame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
    guard try decoder.read(into: &frame) else { throw VMatteError.badInput("'\(path)' holds no decodable image") }
    return frame.image
}
