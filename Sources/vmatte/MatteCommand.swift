import ArgumentParser
import ClosedForm
import Compose
import Decode
import Encode
import Engine
import Foundation
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

    @Option(help: "Key every frame's trimap from its green or blue screen (auto: the screen colour along the frame's border); painted keys given too override it where they are definite.")
    var key: ScreenKey.Screen?

    @Option(help: ArgumentHelp("Weights file (safetensors) instead of the bundled model.", valueName: "file"))
    var model: String?

    @Option(help: "Matting method: dim (the bundled Deep Image Matting network) or closed-form (Levin et al. 2008, the classical answer; no model needed).")
    var method: MattingMethod = .dim

    @OptionGroup var options: RunOptions

    @OptionGroup(title: "Foreground colour and compositing") var compositing: CompositeOptions

    // Feedback is the default: following the matted object, its bands stay a few pixels wide
    // and the mattes are several times better than dilate's on every clip measured
    // (Benchmarks/trimaps/RESULTS.md).
    @Option(help: "Trimap propagation within each shot: dilate (the keys' bands grown with distance) or feedback (from the neighbouring frame's matte, moved with the global motion, within the keys' bounds; forward from each key, and backward from a shot's first key to the frames before it).")
    var propagate: TrimapPlan.Propagation = .feedback

    @OptionGroup(title: "Shots") var shotOptions: ShotOptions

    @Option(help: ArgumentHelp("Feedback: unknown band kept around the previous matte's edge, in pixels.", valueName: "px"))
    var motionMargin: Double = 6

    @Option(help: ArgumentHelp("Unknown-band growth per frame of distance to a keyframe, in pixels.", valueName: "px"))
    var bandRate: Double = 3

    @Option(help: ArgumentHelp("Largest growth of the unknown band, in pixels.", valueName: "px"))
    var bandCap: Double = 80

    @Option(help: "Tile core size in pixels (tiles without unknown pixels are skipped).")
    var tileSize: Int = TileSettings.standard.size

    @Option(help: "Context around each tile, in pixels.")
    var tileHalo: Int = TileSettings.standard.halo

    @Flag(help: "Run the network on whole frames instead of tiles.")
    var wholeFrame = false

    @Flag(help: "Also run the network on each tile mirrored left to right and average the two: about twice the matting time, lower error.")
    var mirrorAverage = false

    @Flag(help: "Scale trimaps painted at another size of the same aspect ratio to the video (nearest neighbour).")
    var resizeTrimaps = false

    @Option(help: ArgumentHelp("Also write every frame's trimap as PNG into this folder, to inspect or correct and feed back as keys.", valueName: "dir"))
    var exportTrimaps: String?

    @Option(help: ArgumentHelp("With --key: the screen's colour (#rrggbb or a name) instead of measuring it in every frame.", valueName: "color"))
    var keyColor: String?

    @Option(help: ArgumentHelp("Also write a contact sheet: each key and a few frames between, as source, trimap and matte over a checkerboard, labelled with frame numbers.", valueName: "file.png"))
    var preview: String?

    func validate() throws {
        if trimaps != nil && trimap != nil {
            throw ValidationError("give --trimaps DIR (keyframes) or --trimap FILE (one trimap for every frame), not both")
        }
        if trimaps == nil && trimap == nil && key == nil && keyColor == nil {
            throw ValidationError("give --trimaps DIR (keyframes), --trimap FILE (one trimap for every frame) or --key green|blue|auto (trimaps keyed from a screen)")
        }
        if let keyColor, BackgroundColor.parse(keyColor) == nil {
            throw ValidationError("--key-color must be #rrggbb, #rgb or a colour name, not '\(keyColor)'")
        }
        if tileSize < 32 || tileHalo < 0 { throw ValidationError("--tile-size must be at least 32 and --tile-halo at least 0") }
        if bandRate < 0 || bandCap < 0 || motionMargin < 0 {
            throw ValidationError("--band-rate, --band-cap and --motion-margin must not be negative")
        }
        if method == .closedForm && (model != nil || mirrorAverage) {
            throw ValidationError("--model and --mirror-average are for --method dim; closed-form matting has no network")
        }
        if compositing.background != nil && options.alphaOnly {
            throw ValidationError("--background writes a composite; --alpha-only writes the matte alone: give one of them")
        }
    }

    func run() throws {
        VMatte.configureLibraries(options: options)
        let threadFit = VMatte.mattingThreadFit(options: options)
        var threadChanges: [String] = []
        // Open: the clip, its shots and its keys.
        let info = try probe()
        let (shots, _) = try shotOptions.shotList(input: input, info: info, threads: options.threads,
                                                    sequenceFPS: options.sequenceFPS, quiet: options.quiet)
        let keys = trimaps == nil && self.trimap == nil ? [] : try loadKeys(info: info, shots: shots)
        let screenKey: ScreenKey? = keyColor.flatMap(BackgroundColor.parse).map { ScreenKey(screenColor: (red: $0.0, green: $0.1, blue: $0.2)) }
            ?? key.map { ScreenKey(screen: $0) }
        // Plan every frame's trimap; refuse a shot nothing can make trimaps for before any matting.
        let plan = TrimapPlan(keys: keys.map(\.frameIndex), shots: shots, propagation: propagate,
                              screenKeyed: screenKey != nil, range: options.frameRange)
        if let refusal = plan.refusal { throw VMatteError.badInput(refusal) }
        let engine = try matting()
        let stage = try CompositeStage(options: compositing, screenKey: screenKey, width: info.width, height: info.height)
        let trimapMaker = PlannedTrimaps(plan: plan, keys: keys, bandRate: bandRate, bandCap: bandCap, motionMargin: motionMargin,
                                         screenTrimap: screenKey.map { screen in { screen.trimap(for: $0) } })
        let job = VideoJob(command: "matte", input: input, options: options,
                           defaultContent: compositing.background == nil ? .cutout : .composite)
        let previewOutput = try preview.map { try PreviewOutput(path: $0, keys: keys.map(\.frameIndex), info: info, options: options, input: input) }
        let trimapSink = try exportTrimaps.map { folder in
            try OutputWriter.open(plan: try OutputPlan.choose(for: folder, content: .alphaOnly), path: folder, overwrite: options.overwrite,
                                  inputs: [input], width: info.width, height: info.height,
                                  frameRate: Rational(25, 1), timeBase: Rational(1, 25), audio: nil)
        }
        // The matting the plan needs before the run's frames: backward passes to the frames
        // before a shot's first key, and the pre-roll from the key before a chunk's first frame.
        // Blocks of at most ~1 GiB of decoded pictures.
        let frameBytes = max(1, info.width * info.height * 3 * MemoryLayout<Float>.size)
        do {
            try trimapMaker.prepare(matting: engine, blockSize: max(4, min(64, (1 << 30) / frameBytes)),
                                    readFrames: { range, body in try forEachFrame(in: range, body) },
                                    log: { if !options.quiet { printError("vmatte: \($0)") } })
        } catch {
            trimapSink?.abort()
            throw error
        }
        // Matte, compose, write.
        var report: RunReport
        do {
            report = try job.run(keep: { frame, isFinished in
                try trimapMaker.keep(frame, isFinished: isFinished, matting: engine)
            }) { frame, _ in
                if let change = threadFit?.refitIfDue() {
                    threadChanges.append("\(change.from) → \(change.to) at frame \(frame.index) (other work on \(String(format: "%.1f", change.busyCores)) cores)")
                }
                let trimap = trimapMaker.trimap(for: frame.index, image: frame.image)
                try trimapSink?.write(OutputFrame(rgb: nil, alpha: trimap, index: frame.index, pts: frame.pts, timeBase: frame.timeBase))
                let alpha = try engine.matte(rgb: frame.image, trimap: trimap)
                trimapMaker.record(alpha: alpha, for: frame.index)
                previewOutput?.add(frame, trimap: trimap, matte: alpha)
                return try stage.output(for: frame, alpha: alpha, alphaOnly: options.alphaOnly)
            }
        } catch {
            trimapSink?.abort()
            throw error
        }
        try trimapSink?.finish()
        report.shots = plan.runShots
        if !threadChanges.isEmpty {
            let shown = threadChanges.prefix(6).joined(separator: ", ")
            let more = threadChanges.count > 6 ? ", and \(threadChanges.count - 6) more" : ""
            report.notes.append("matting threads followed the idle cores: \(shown)\(more)")
        }
        if let closedForm = engine as? ClosedFormMatting, !closedForm.lastSolve.converged {
            report.notes.append("closed-form: the last frame's solve stopped at \(closedForm.maximumIterations) iterations before reaching its tolerance")
        }
        if method == .closedForm { report.notes.append("matted by closed-form matting (Levin, Lischinski, Weiss 2008)") }
        try job.finish(report)
        try previewOutput?.write(quiet: options.quiet)
    }

    /// The chosen method's matting, loaded once for the run.
    private func matting() throws -> any AlphaMatting {
        switch method {
        case .dim:
            let network = try MattingNetwork(path: try ModelLocator.resolve(model))
            return MattingEngine(network: network, tiles: wholeFrame ? nil : TileSettings(size: tileSize, halo: tileHalo),
                                 averagesMirrored: mirrorAverage)
        case .closedForm:
            let threads = options.threads == 0 ? ProcessInfo.processInfo.activeProcessorCount : options.threads
            return ClosedFormMatting(threads: threads)
        }
    }

    /// Decodes the frames of `range` in order, outside the main pass.
    private func forEachFrame(in range: ClosedRange<Int>, _ body: (VideoFrame) throws -> Void) throws {
        let threads = options.threads == 0 ? ProcessInfo.processInfo.activeProcessorCount : options.threads
        let source = try MediaInput.open(input, options: DecodeOptions(
            planes: .rgb, threads: threads, frameRange: FrameRange(first: range.lowerBound, last: range.upperBound),
            sequenceFrameRate: Rational(Int32(options.sequenceFPS), 1)))
        var frame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
        var count = 0
        while try source.read(into: &frame) {
            try body(frame)
            frame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
            count += 1
        }
        guard count == range.count else {
            throw VMatteError.badInput("'\(input)' ends before frame \(range.upperBound), which trimap propagation needs")
        }
    }

    /// The input's stream description, from opening it.
    private func probe() throws -> VideoStreamInfo {
        try MediaInput.open(input, options: DecodeOptions(threads: 1, sequenceFrameRate: Rational(Int32(options.sequenceFPS), 1))).info
    }

    /// The keyframe trimaps, checked against the clip's size and length. `--trimap FILE` (one
    /// trimap for every frame) keys the first frame of every shot.
    private func loadKeys(info: VideoStreamInfo, shots: ShotList) throws -> [KeyTrimap] {
        let found: [(frameIndex: Int, path: String)] = try trimaps.map { try TrimapKeys.discover(in: $0) } ?? [(0, trimap!)]
        let loaded = try found.map { key in
            if let count = shots.frameCount ?? (info.frameCountIsExact ? info.frameCount : nil), key.frameIndex >= count {
                throw VMatteError.badInput("the trimap '\(key.path)' is for frame \(key.frameIndex) but '\(input)' has \(count) frames (numbered from 0)")
            }
            var (loaded, check) = try TrimapKeys.load(key.path, frameIndex: key.frameIndex)
            if !options.quiet { for warning in check.warnings { printError("vmatte: warning: \(warning)") } }
            let size = (width: loaded.values.width, height: loaded.values.height)
            if size != (info.width, info.height) {
                guard resizeTrimaps, TrimapResize.sameAspect(size, (info.width, info.height)) else {
                    let hint = TrimapResize.sameAspect(size, (info.width, info.height)) ? " (--resize-trimaps scales it)" : ""
                    throw VMatteError.badInput("the trimap '\(key.path)' is \(size.width)x\(size.height) but '\(input)' is \(info.width)x\(info.height)\(hint)")
                }
                loaded.values = TrimapResize.nearest(loaded.values, width: info.width, height: info.height)
            }
            return loaded
        }
        guard trimaps == nil, let one = loaded.first else { return loaded }
        return shots.shots.map { shot in KeyTrimap(frameIndex: shot.first, path: one.path, values: one.values) }
    }
}

/// `--propagate dilate|feedback`.
extension TrimapPlan.Propagation: ExpressibleByArgument {}
