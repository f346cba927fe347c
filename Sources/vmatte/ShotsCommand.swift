import ArgumentParser
import Decode
import Foundation
import MatteCore
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

    /// What `--json` prints.
    struct Report: Codable {
        var input: String
        var frames: Int?
        var detection: String
        var sceneThreshold: Double?
        var cuts: [Int]
        var shots: [ShotEntry]
        var scores: [Double]?
    }

    /// One shot in the report.
    struct ShotEntry: Codable {
        var first: Int
        var last: Int?
        var frames: Int?
        var keys: [Int]?
        var suggestedKey: Int?
    }

    func validate() throws {
        if json && cuts { throw ValidationError("give --json or --cuts, not both") }
        if sequenceFPS <= 0 || sequenceFPS > 1000 { throw ValidationError("--sequence-fps must be between 1 and 1000") }
    }

    func run() throws {
        DecodeOptions.autorotatesByDefault = !noAutorotate
        let info = try MediaInput.open(input, options: DecodeOptions(threads: 1, sequenceFrameRate: Rational(Int32(sequenceFPS), 1))).info
        let (shots, detector) = try shotOptions.shotList(input: input, info: info, threads: 0, sequenceFPS: sequenceFPS,
                                                          quiet: quiet || json || cuts)
        let keys = try trimaps.map { try TrimapKeys.discover(in: $0).map(\.frameIndex) }
        if let count = shots.frameCount, let beyond = keys?.first(where: { $0 >= count }) {
            throw VMatteError.badInput("the trimap folder '\(trimaps!)' has a key for frame \(beyond) but '\(input)' has \(count) frames (numbered from 0)")
        }
        let plan = TrimapPlan(keys: keys ?? [], shots: shots, propagation: .feedback)
        let entries = plan.shots.map { shot in
            ShotEntry(first: shot.first, last: shot.last, frames: shot.last.map { $0 - shot.first + 1 },
                      keys: keys == nil ? nil : shot.keys, suggestedKey: shot.suggestedKey)
        }
        if cuts {
            for cut in shots.cuts { print(cut) }
            return
        }
        let report = Report(input: Paths.absolute(input), frames: shots.frameCount, detection: shotOptions.mode,
                            sceneThreshold: shotOptions.mode == "auto" ? shotOptions.sceneThreshold : nil,
                            cuts: shots.cuts, shots: entries, scores: scores ? detector?.scores : nil)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(report))
            FileHandle.standardOutput.write(Data("\n".utf8))
            return
        }
        print("\(entries.count) shot\(entries.count == 1 ? "" : "s") in \(shots.frameCount.map { "\($0) frames" } ?? "the clip") (\(shotOptions.mode == "auto" ? "cuts found at scene threshold \(shotOptions.sceneThreshold)" : shotOptions.mode == "none" ? "--shots none" : "cuts from '\(shotOptions.shots)'"))")
        for (number, entry) in entries.enumerated() {
            var line = "shot \(number + 1): frames \(entry.first)-\(entry.last.map(String.init) ?? "end")"
            if let frames = entry.frames { line += " (\(frames) frame\(frames == 1 ? "" : "s"))" }
            if let shotKeys = entry.keys, !shotKeys.isEmpty { line += ", keys \(shotKeys.map(String.init).joined(separator: ", "))" }
            if let suggested = entry.suggestedKey { line += keys == nil ? ", paint frame \(suggested)" : ", no key: paint frame \(suggested)" }
            print(line)
        }
        if let scores = report.scores {
            print("frame score")
            for (index, score) in scores.enumerated() { print("\(index) \(String(format: "%.2f", score))\(shots.cuts.contains(index) ? " cut" : "")") }
        }
    }
}
