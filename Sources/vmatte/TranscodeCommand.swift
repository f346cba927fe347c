import ArgumentParser
import Decode
import Encode
import MatteCore
import Pipeline

/// `vmatte transcode`: the I/O path on its own — re-encode a clip, optionally attaching a
/// matte from a second clip or folder (a cut-out .mov from a plate and its alpha).
struct TranscodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcode",
        abstract: "Re-encode a clip without matting, optionally attaching an existing matte.",
        discussion: """
        Reads INPUT (any video libav reads, or a folder / name%06d.png of images) and writes it in the \
        format the output path asks for. With --alpha, the matte (a grey video, a video with alpha, or \
        a folder of grey images) becomes the output's alpha channel: e.g. a ProRes 4444 cut-out. \
        Without it, the alpha is opaque.
        """)

    @Argument(help: ArgumentHelp("The clip to read.", valueName: "input"))
    var input: String

    @Option(help: ArgumentHelp("A matte clip or image folder to use as alpha, frame for frame.", valueName: "matte"))
    var alpha: String?

    @OptionGroup var options: RunOptions

    func run() throws {
        VMatte.configureLibraries(options: options)
        let matte = try alpha.map { try MediaInput.open($0, options: options.settings.decodeOptions(planes: .matte, threads: 1)) }
        let job = VideoJob(command: "transcode", input: input, settings: options.settings, defaultContent: nil)
        let report = try job.run(matte: matte) { frame, matte in
            let alpha = matte ?? ImageTensor(width: frame.image.width, height: frame.image.height, channels: 1, fill: 1)
            return OutputFrame(rgb: frame.image, alpha: alpha, index: frame.index, pts: frame.pts, timeBase: frame.timeBase)
        }
        try job.finish(report)
    }
}
