import ArgumentParser
import Decode
import MatteCore
import Pipeline
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

    @OptionGroup(title: "Trimaps") var trimapOptions: TrimapOptions

    @OptionGroup(title: "Matting") var mattingOptions: MattingOptions

    @OptionGroup var options: RunOptions

    @OptionGroup(title: "Foreground colour and compositing") var compositing: CompositeOptions

    @OptionGroup(title: "Shots") var shotOptions: ShotOptions

    @Option(help: ArgumentHelp("Also write a contact sheet: each key and a few frames between, as source, trimap and matte over a checkerboard, labelled with frame numbers.", valueName: "file.png"))
    var preview: String?

    func validate() throws {
        if compositing.background != nil && options.alphaOnly {
            throw ValidationError("--background writes a composite; --alpha-only writes the matte alone: give one of them")
        }
    }

    func run() throws {
        VMatte.configureLibraries(options: options)
        let settings = options.settings
        let threads = MattingThreads(threads: options.threads, quiet: options.quiet)
        // Open: the clip, its shots and its keys (the outputs checked first: finding shots reads the whole clip).
        let info = try MediaInput.open(input, options: settings.decodeOptions(threads: 1, frames: nil)).info
        let job = VideoJob(command: "matte", input: input, settings: settings,
                           defaultContent: compositing.background == nil ? .cutout : .composite)
        try job.checkOutput()
        try preview.map { try PreviewOutput.checkDestination($0, settings: settings, input: input) }
        let trimapExportInputs = [input, settings.output] + (preview.map { [$0] } ?? [])
        try trimapOptions.exportTrimaps.map {
            try MattingRun.checkTrimapExport(to: $0, inputs: trimapExportInputs, overwrite: options.overwrite)
        }
        let (shots, _) = try shotOptions.source.shotList(input: input, info: info, threads: options.threads,
                                                         sequenceFPS: options.sequenceFPS, quiet: options.quiet)
        let keys = try trimapOptions.keys(of: input, info: info, shots: shots, quiet: options.quiet)
        let screenKey = trimapOptions.screenKey
        // Plan every frame's trimap; refuse a shot nothing can make trimaps for before any matting.
        let plan = TrimapPlan(keys: keys.map(\.frameIndex), shots: shots, propagation: trimapOptions.propagate,
                              screenKeyed: screenKey != nil, range: settings.frameRange)
        if let refusal = plan.refusal { throw VMatteError.badInput(refusal) }
        let matting = try mattingOptions.matting(threads: settings.workerThreads)
        let stage = try CompositeStage(settings: compositing.settings, screenKey: screenKey, width: info.width, height: info.height)
        let previewOutput = try preview.map { try PreviewOutput(path: $0, keys: keys.map(\.frameIndex), info: info, settings: settings, input: input) }
        let trimapExport = try trimapOptions.exportTrimaps.map {
            try MattingRun.trimapExport(to: $0, inputs: trimapExportInputs, format: info.format, overwrite: options.overwrite)
        }
        try MattingRun(job: job, clip: info, plan: plan, trimaps: trimapOptions.plannedTrimaps(plan: plan, keys: keys, screenKey: screenKey),
                       matting: matting, stage: stage, threads: threads, preview: previewOutput, trimapExport: trimapExport).run()
    }
}
