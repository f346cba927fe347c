import ArgumentParser
import Decode
import FFmpegSupport
import Foundation
import MatteCore
import Pipeline

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
        var preview = RunPreview(input: input, matte: matte)
        preview.keyFolder = trimaps
        preview.usedTrimaps = usedTrimaps
        preview.frames = frames.flatMap(FrameRange.init(parsing:))
        preview.between = between
        preview.tileWidth = tileWidth
        preview.sequenceFPS = sequenceFPS
        try preview.write(to: output, overwrite: overwrite, quiet: quiet)
    }
}
