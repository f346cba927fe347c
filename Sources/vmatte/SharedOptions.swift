import ArgumentParser
import Encode
import MatteCore
import Pipeline

/// Options every command that writes a video shares.
struct RunOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .long], help: ArgumentHelp(
        "Output: .mov (ProRes 4444 with alpha), .webm (VP9 with alpha), .mp4 (H.264, opaque), .mkv (FFV1, lossless), or a folder / name%06d.png for PNG frames.",
        valueName: "path"))
    var output: String

    @Option(help: ArgumentHelp("Only these zero-based frames, e.g. 100-199, 100- or 42.", valueName: "a-b"))
    var frames: String?

    @Flag(help: "Write the alpha matte alone, as a grey picture.")
    var alphaOnly = false

    @Flag(help: "16-bit PNG frames instead of 8-bit.")
    var sixteenBit = false

    @Option(help: "Frame rate given to image-sequence inputs, which carry none.")
    var sequenceFPS: Int = 25

    @Option(help: "Threads for decoding, encoding and matting (OpenBLAS); 0 = all cores (matting: the cores other work leaves idle).")
    var threads: Int = 0

    @Flag(help: "Replace an existing output (and, without --resume, what an interrupted run left).")
    var overwrite = false

    @Flag(help: "Continue the output an interrupted run (Ctrl-C, SIGTERM, a kill) left behind: PNG frames and finished video segments are kept.")
    var resume = false

    @Option(help: ArgumentHelp("Video outputs are written in segments of this many frames and joined at the end; a killed run redoes at most one segment.", valueName: "n"))
    var segmentFrames: Int = SegmentedMovieWriter.defaultSegmentFrames

    @Flag(name: .shortAndLong, help: "No progress or summary on stderr (errors still print).")
    var quiet = false

    @Flag(help: "Print a machine-readable report (JSON) on stdout when done.")
    var json = false

    @Flag(help: "Also print libav's own warnings.")
    var verbose = false

    @Flag(help: "Keep the coded picture of a clip with a display rotation (phone footage) instead of turning it upright as players show it; keys are then painted on the coded picture.")
    var noAutorotate = false

    func validate() throws {
        if let frames, FrameRange(parsing: frames) == nil {
            throw ValidationError("--frames must be a-b, a- or a with zero-based frame numbers (a ≤ b), not '\(frames)'")
        }
        if segmentFrames < 1 { throw ValidationError("--segment-frames must be at least 1") }
        if threads < 0 { throw ValidationError("--threads must be 0 (all cores) or more") }
        if sequenceFPS <= 0 || sequenceFPS > 1000 { throw ValidationError("--sequence-fps must be between 1 and 1000") }
    }

    /// The parsed choices, for a `VideoJob`.
    var settings: JobSettings {
        var settings = JobSettings(output: output)
        settings.frames = frames
        settings.alphaOnly = alphaOnly
        settings.sixteenBit = sixteenBit
        settings.sequenceFPS = sequenceFPS
        settings.threads = threads
        settings.overwrite = overwrite
        settings.resume = resume
        settings.segmentFrames = segmentFrames
        settings.quiet = quiet
        settings.json = json
        return settings
    }
}
