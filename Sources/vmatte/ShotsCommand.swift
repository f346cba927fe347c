import ArgumentParser
import Decode
import MatteCore
import Pipeline
import Trimaps

/// `vmatte shots INPUT`: the clip's shots, their keys and the frames to paint.
struct ShotsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shots",
        abstract: "List a clip's shots (hard cuts found or given), their keys and the frames to paint.",
        discussion: """
        Every shot needs a key of its own: trimap propagation never crosses a cut. --cuts prints the cut \
        frames alone, one per line, to give to --shots FILE (e.g. once for all chunks of a render farm).
        """)

    @Argument(help: ArgumentHelp("The clip (any video libav reads, or a folder / name%06d.png of images).", valueName: "input"))
    var input: String

    @Option(help: ArgumentHelp("Folder of keyframe trimaps named by frame number: shows each shot's keys.", valueName: "dir"))
    var trimaps: String?

    @OptionGroup(title: "Shots") var shotOptions: ShotOptions

    @Flag(help: "Print a machine-readable report (JSON) on stdout.")
    var json = false

    @Flag(help: "Print only the cut frames, one per line (a --shots FILE).")
    var cuts = false

    @Flag(help: "Also print every frame's scene-change score (--shots auto).")
    var scores = false

    @Option(help: "Frame rate given to image-sequence inputs, which carry none.")
    var sequenceFPS: Int = 25

    @Flag(name: .shortAndLong, help: "No progress or summary on stderr (errors still print).")
    var quiet = false

    @Flag(help: "Keep the coded picture of a clip with a display rotation instead of turning it upright.")
    var noAutorotate = false

    func validate() throws {
        if json && cuts { throw ValidationError("give --json or --cuts, not both") }
        if sequenceFPS <= 0 || sequenceFPS > 1000 { throw ValidationError("--sequence-fps must be between 1 and 1000") }
    }

    func run() throws {
        DecodeOptions.autorotatesByDefault = !noAutorotate
        let info = try MediaInput.open(input, options: DecodeOptions(threads: 1, sequenceFrameRate: Rational(Int32(sequenceFPS), 1))).info
        let (shots, detector) = try shotOptions.source.shotList(input: input, info: info, threads: 0, sequenceFPS: sequenceFPS,
                                                                 quiet: quiet || json || cuts)
        let keys = try trimaps.map { try TrimapKeys.discover(in: $0).map(\.frameIndex) }
        if let count = shots.frameCount, let beyond = keys?.first(where: { $0 >= count }) {
            throw VMatteError.badInput("the trimap folder '\(trimaps!)' has a key for frame \(beyond) but '\(input)' has \(count) frames (numbered from 0)")
        }
        if cuts {
            for cut in shots.cuts { print(cut) }
            return
        }
        let report = ShotReport(input: input, shots: shots, source: shotOptions.source, keys: keys, scores: scores ? detector?.scores : nil)
        if json { try report.printJSON() } else { print(report.text, terminator: "") }
    }
}
