import ArgumentParser
import Compose
import Decode
import Encode
import FFmpegSupport
import Foundation
import MatteCore
import Pipeline
import Trimaps

/// `vmatte preview`: the contact sheet of a finished run, from the clip, its mattes and its trimaps.
struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Write a contact sheet of a matting run: each key and a few frames between, as source, trimap and matte.",
        discussion: """
        Each shown frame gets its source picture, its trimap and its matte composited over a checkerboard, \
        under a label with its frame number. --matte is the run's output: a folder of PNG frames named by \
        frame number (as vmatte writes them), or a video (a cut-out or a grey matte) whose first frame is \
        the first frame of --frames. Trimaps come from --used-trimaps (the run's --export-trimaps folder), \
        else from the keys for the key frames. `vmatte INPUT ... --preview FILE.png` writes the same sheet \
        during a run.
        """)

    @Argument(help: ArgumentHelp("The clip that was matted.", valueName: "input"))
    var input: String

    @Option(help: ArgumentHelp("The run's mattes: a folder of PNG frames named by frame number, or a video.", valueName: "path"))
    var matte: String

    @Option(help: ArgumentHelp("The keyframe trimaps of the run (named by frame number): the frames the sheet is built around.", valueName: "dir"))
    var trimaps: String?

    @Option(help: ArgumentHelp("Every frame's trimap, as --export-trimaps wrote them.", valueName: "dir"))
    var usedTrimaps: String?

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The contact sheet to write (.png).", valueName: "file.png"))
    var output: String

    @Option(help: ArgumentHelp("The frames the run matted, e.g. 100-199 (default: the whole clip).", valueName: "a-b"))
    var frames: String?

    @Option(help: "Frames shown between consecutive keys (and between the range's ends and the keys).")
    var between: Int = 2

    @Option(help: "Width of each tile in pixels.")
    var tileWidth: Int = 200

    @Option(help: "Frame rate given to image-sequence inputs, which carry none.")
    var sequenceFPS: Int = 25

    @Flag(help: "Replace an existing sheet.")
    var overwrite = false

    @Flag(help: "Keep the coded picture of a clip with a display rotation, as the run did with --no-autorotate.")
    var noAutorotate = false

    @Flag(name: .shortAndLong, help: "No summary on stderr.")
    var quiet = false

    @Flag(help: "Also print libav's own warnings.")
    var verbose = false

    func validate() throws {
        if (output as NSString).pathExtension.lowercased() != "png" {
            throw ValidationError("-o writes one PNG picture: give a name ending in .png, not '\(output)'")
        }
        if let frames, FrameRange(parsing: frames) == nil {
            throw ValidationError("--frames must be a-b, a- or a with zero-based frame numbers (a ≤ b), not '\(frames)'")
        }
        if between < 0 || tileWidth < 8 { throw ValidationError("--between must not be negative and --tile-width must be at least 8") }
    }

    func run() throws {
        LibAV.configureLogging(verbose: verbose)
        DecodeOptions.autorotatesByDefault = !noAutorotate
        let range = frames.flatMap(FrameRange.init(parsing:))
        let source = try MediaInput.open(input, options: DecodeOptions(planes: .rgb, threads: 0, frameRange: range,
                                                                       sequenceFrameRate: Rational(Int32(sequenceFPS), 1)))
        let keys = try trimaps.map { try TrimapKeys.discover(in: $0) } ?? []
        let used = try usedTrimaps.map { try TrimapKeys.discover(in: $0) } ?? []
        let first = range?.first ?? 0
        let last = range?.last ?? source.info.frameCount.map { $0 - 1 } ?? keys.last?.frameIndex ?? first
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

/// The mattes of a finished run, looked up by frame number.
private final class RunMattes {
    private let path: String
    private let files: [Int: String]?
    private let video: FrameSource?
    private let firstFrame: Int
    private var position = 0
    private var current = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))

    init(path: String, firstFrame: Int) throws {
        self.path = path
        self.firstFrame = firstFrame
        if Paths.isDirectory(path) {
            files = Dictionary(try TrimapKeys.discover(in: path).map { ($0.frameIndex, $0.path) }, uniquingKeysWith: { $1 })
            video = nil
        } else {
            files = nil
            video = try MediaInput.open(path, options: DecodeOptions(planes: .matte, threads: 1))
        }
    }

    /// Where frame `frame`'s matte is read, for messages.
    func name(of frame: Int) -> String {
        files?[frame].map { "'\($0)'" } ?? "frame \(frame - firstFrame) of '\(path)'"
    }

    /// The matte of frame `frame`; frames are asked for in increasing order.
    func matte(for frame: Int) throws -> ImageTensor {
        if let files {
            guard let file = files[frame] else { throw VMatteError.badInput("the matte folder '\(path)' has no frame \(frame)") }
            return try readImage(file, planes: .matte)
        }
        guard let video else { preconditionFailure("a run's mattes are a folder or a video") }
        let wanted = frame - firstFrame
        while position <= wanted {
            guard try video.read(into: &current) else {
                throw VMatteError.badInput("the matte video '\(path)' ends before frame \(frame) (its first frame is frame \(firstFrame))")
            }
            position += 1
        }
        return current.image
    }
}
