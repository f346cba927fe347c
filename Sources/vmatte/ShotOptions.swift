import ArgumentParser
import Decode
import Foundation
import MatteCore
import Pipeline
import Trimaps

/// `--shots auto|none|FILE` and `--scene-threshold`: where a clip's shots are cut.
struct ShotOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Shots: auto (find the hard cuts), none (the clip is one shot), or a file with one cut frame per line (the first frame of each new shot, zero-based). Trimap propagation never crosses a cut.",
                               valueName: "auto|none|file"))
    var shots: String = "auto"

    @Option(help: ArgumentHelp("--shots auto: the scene-change score (0-100) from which two consecutive frames are a cut.", valueName: "score"))
    var sceneThreshold: Double = ShotDetector.defaultThreshold

    func validate() throws {
        guard sceneThreshold > 0 && sceneThreshold <= 100 else {
            throw ValidationError("--scene-threshold must be above 0 and at most 100 (a scene-change score), not \(sceneThreshold)")
        }
        if shots.isEmpty { throw ValidationError("--shots must be auto, none or a file of cut frames") }
    }

    /// How the shots were found.
    var mode: String { shots == "auto" || shots == "none" ? shots : "file" }

    /// The clip's shots: detected on every decoded frame of the whole clip (so every chunk of
    /// it finds the same cuts), read from the file, or one shot. Also returns the detector
    /// (for its scores) when it ran.
    func shotList(input: String, info: VideoStreamInfo, threads: Int, sequenceFPS: Int, quiet: Bool) throws -> (shots: ShotList, detector: ShotDetector?) {
        let threads = threads == 0 ? ProcessInfo.processInfo.activeProcessorCount : threads
        switch shots {
        case "none":
            return (ShotList.single(frameCount: info.frameCountIsExact ? info.frameCount : nil), nil)
        case "auto":
            let source = try MediaInput.open(input, options: DecodeOptions(planes: .rgb, threads: threads,
                                                                          sequenceFrameRate: Rational(Int32(sequenceFPS), 1)))
            let started = Date()
            let detector = try ShotDetector.detect(in: source, threshold: sceneThreshold)
            if !quiet {
                let found = detector.cuts.isEmpty ? "no cut" : "\(detector.cuts.count) cut\(detector.cuts.count == 1 ? "" : "s") (at \(detector.cuts.map(String.init).joined(separator: ", ")))"
                printError("vmatte: shots: \(found) in \(detector.frameCount) frames (\(String(format: "%.1f", Date().timeIntervalSince(started))) s; --shots none or FILE to choose)")
            }
            return (detector.shotList, detector)
        default:
            // Cuts are checked against the clip's length: counted when the container does not say it exactly.
            var count = info.frameCountIsExact ? info.frameCount : nil
            if count == nil {
                count = try MediaInput.forEachFrame(of: input, options: DecodeOptions(planes: .grey, threads: threads,
                                                                                      sequenceFrameRate: Rational(Int32(sequenceFPS), 1))) { _ in }
            }
            return (try ShotList.load(shots, frameCount: count), nil)
        }
    }
}
