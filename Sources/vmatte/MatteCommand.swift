import ArgumentParser
import Decode
import Encode
import Engine
import MatteCore
import Trimaps

/// `vmatte INPUT --trimaps DIR -o OUTPUT`: matte every frame of a clip.
struct MatteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matte",
        abstract: "Matte every frame of a clip from a few painted keyframe trimaps.",
        discussion: """
        Trimaps are grey images: white = foreground, black = background, grey = unknown. In --trimaps DIR, \
        each file's name holds its zero-based frame number (000120.png, frame_120.png, key-120.png).
        """)

    @Argument(help: ArgumentHelp("The clip to matte (any video libav reads, or a folder / name%06d.png of images).", valueName: "input"))
    var input: String

    @Option(help: ArgumentHelp("Folder of keyframe trimaps named by frame number.", valueName: "dir"))
    var trimaps: String?

    @Option(help: ArgumentHelp("One trimap for the whole clip.", valueName: "file"))
    var trimap: String?

    @Option(help: ArgumentHelp("Composite over this background (image, colour or video) instead of writing alpha.", valueName: "image|color|video"))
    var background: String?

    @Option(help: ArgumentHelp("Weights file (safetensors) instead of the bundled model.", valueName: "file"))
    var model: String?

    @OptionGroup var options: RunOptions

    func validate() throws {
        if (trimaps == nil) == (trimap == nil) {
            throw ValidationError("give either --trimaps DIR (keyframes) or --trimap FILE (one trimap for every frame)")
        }
    }

    func run() throws {
        VMatte.configureLibraries(options: options)
        let source = try MediaInput.open(input, options: DecodeOptions(threads: 1, sequenceFrameRate: Rational(Int32(options.sequenceFPS), 1)))
        let keys: [(frameIndex: Int, path: String)] = try trimaps.map { try TrimapKeys.discover(in: $0) } ?? [(0, trimap!)]
        for key in keys {
            let loaded = try TrimapKeys.load(key.path, frameIndex: key.frameIndex)
            guard loaded.values.width == source.info.width, loaded.values.height == source.info.height else {
                throw VMatteError.badInput("the trimap '\(key.path)' is \(loaded.values.width)x\(loaded.values.height) but '\(input)' is \(source.info.width)x\(source.info.height)")
            }
        }
        _ = try OutputPlan.choose(for: options.output, content: options.alphaOnly ? .alphaOnly : (background == nil ? nil : .composite),
                                  sixteenBit: options.sixteenBit)
        throw VMatteError.runtime("""
            the input, \(keys.count) trimap(s) and output were checked, but this build has no matting engine yet \
            (the Deep Image Matting engine is the next milestone). `vmatte transcode` runs the video I/O path today.
            """)
    }
}
