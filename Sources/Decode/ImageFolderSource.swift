import FFmpegSupport
import Foundation
import MatteCore

/// A folder of still images played as a clip, in natural order of their names
/// (`frame2.png` before `frame10.png`). All images must share one size, unless
/// `DecodeOptions.allowsMixedSizes` makes it a set of stills.
public final class ImageFolderSource: FrameSource, @unchecked Sendable {
    public private(set) var info: VideoStreamInfo
    public let audio: StreamParameters? = nil
    public let files: [String]
    private let options: DecodeOptions
    private var position = 0

    public init(folder: String, options: DecodeOptions = DecodeOptions()) throws {
        self.options = options
        files = try Self.listImages(in: folder)
        guard let first = files.first else {
            throw VMatteError.badInput("the folder '\(folder)' holds no images (\(imageFileExtensions.sorted().joined(separator: ", ")))")
        }
        var probeOptions = options
        probeOptions.frameRange = nil
        let probe = try MovieDecoder(path: first, options: probeOptions)
        let rate = options.sequenceFrameRate
        info = probe.info
        info.path = folder
        info.frameRate = rate
        info.timeBase = rate.inverted
        info.frameCount = files.count
        info.frameCountIsExact = true
        info.durationSeconds = Double(files.count) / rate.doubleValue
        position = options.frameRange?.first ?? 0
    }

    /// Image files of `folder`, sorted naturally by name.
    public static func listImages(in folder: String) throws -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw VMatteError.badInput("cannot list the folder '\(folder)': \(error.localizedDescription)")
        }
        return names
            .filter { !$0.hasPrefix(".") && imageFileExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
            .sorted { $0.compare($1, options: [.numeric, .caseInsensitive]) == .orderedAscending }
            .map { (folder as NSString).appendingPathComponent($0) }
    }

    public func read(into output: inout VideoFrame) throws -> Bool {
        guard position < files.count, !(options.frameRange?.isPast(position) ?? false) else { return false }
        let path = files[position]
        var imageOptions = options
        imageOptions.frameRange = nil
        let decoder = try MovieDecoder(path: path, options: imageOptions)
        guard options.allowsMixedSizes || (decoder.info.width == info.width && decoder.info.height == info.height) else {
            throw VMatteError.badInput("'\(path)' is \(decoder.info.width)x\(decoder.info.height) but the sequence's first image is \(info.width)x\(info.height)")
        }
        guard try decoder.read(into: &output) else {
            throw VMatteError.badInput("'\(path)' holds no decodable image")
        }
        output.index = position
        output.pts = Int64(position)
        output.timeBase = info.timeBase
        if info.colorRange.isEmpty { info.colorRange = decoder.info.colorRange; info.colorMatrix = decoder.info.colorMatrix }
        position += 1
        return true
    }
}
