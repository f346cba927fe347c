import ArgumentParser
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

    /// The parsed choice.
    var source: ShotSource {
        switch shots {
        case "auto": .detected(threshold: sceneThreshold)
        case "none": .single
        default: .file(shots)
        }
    }
}
