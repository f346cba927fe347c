import Compose
import Decode
import Encode
import Foundation
import MatteCore
import Trimaps

/// `vmatte preview`'s work: the contact sheet of a finished run, from the clip, its mattes and its trimaps.
public struct RunPreview {
    /// The clip that was matted.
    public var input: String
    /// The run's mattes: a folder of PNG frames named by frame number, or a video starting at the range's first frame.
    public var matte: String
    /// The run's keyframe trimaps (the frames the sheet is built around), and every frame's trimap as exported.
    public var keyFolder: String?
    public var usedTrimaps: String?
    /// The frames the run matted; nil for the whole clip.
    public var frames: FrameRange?
    /// Frames shown between consecutive keys, and the width of each tile.
    public var between = 2
    public var tileWidth = 200
    public var sequenceFPS = 25

    public init(input: String, matte: String) {
        self.input = input
        self.matte = matte
    }

    /// Reads the clip and the run's files and writes the sheet to `output`.
    public func write(to output: String, overwrite: Bool, quiet: Bool) throws {
        let source = try MediaInput.open(input, options: DecodeOptions(planes: .rgb, threads: 0, frameRange: frames,
                                                                       sequenceFrameRate: Rational(Int32(sequenceFPS), 1)))
        let keys = try keyFolder.map { try TrimapKeys.discover(in: $0) } ?? []
        let used = try usedTrimaps.map { try TrimapKeys.discover(in: $0) } ?? []
        let first = frames?.first ?? 0
        let last = frames?.last ?? source.info.frameCount.map { $0 - 1 } ?? keys.last?.frameIndex ?? first
        try PNGImageWriter.checkDestination(output, overwrite: overwrite, inputs: [input, matte])
        let sheet = ContactSheet(frames: ContactSheet.chooseFrames(keys: keys.map(\.frameIndex), first: first, last: last, between: between),
                                 keys: Set(keys.map(\.frameIndex)), width: source.info.width, height: source.info.height, tileWidth: tileWidth)
        let mattes = try RunMattes(path: matte, firstFrame: first)
        let trimapFiles = Dictionary(keys.map { ($0.frameIndex, $0.path) }, uniquingKeysWith: { $1 })
            .merging(used.map { ($0.frameIndex, $0.path) }) { _, usedPath in usedPath }

        var frame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
        while try source.read(into: &frame), frame.index <= sheet.frames.last ?? -1 {
            guard sheet.wants(frame.index) else { continue }
            let alpha = try mattes.matte(for: frame.index)
            let trimap = try trimapFiles[frame.index].map { try readImage($0, planes: .grey) }
            let size = "\(frame.image.width)x\(frame.image.height)"
            if alpha.width != frame.image.width || alpha.height != frame.image.height {
                throw VMatteError.badInput("the matte of frame \(frame.index) (\(mattes.name(of: frame.index))) is \(alpha.width)x\(alpha.height) but '\(input)' is \(size)")
            }
            if let trimap, let file = trimapFiles[frame.index], trimap.width != frame.image.width || trimap.height != frame.image.height {
                throw VMatteError.badInput("the trimap '\(file)' is \(trimap.width)x\(trimap.height) but '\(input)' is \(size)")
            }
            sheet.add(frame: frame.index, source: frame.image, trimap: trimap, matte: alpha)
        }
        if let missing = sheet.missingFrames.first {
            throw VMatteError.badInput("'\(input)' ends before frame \(missing), which the sheet shows (--frames sets the range)")
        }
        try PreviewOutput.write(sheet, to: output, overwrite: overwrite, inputs: [input, matte], quiet: quiet)
    }
}
