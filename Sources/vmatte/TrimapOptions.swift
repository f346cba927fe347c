import ArgumentParser
import Compose
import Decode
import Pipeline
import Trimaps

/// The matte command's options for where each frame's trimap comes from: keys, screen keying, propagation.
struct TrimapOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Folder of keyframe trimaps named by frame number.", valueName: "dir"))
    var trimaps: String?

    @Option(help: ArgumentHelp("One trimap for the whole clip.", valueName: "file"))
    var trimap: String?

    @Option(help: "Key every frame's trimap from its green or blue screen (auto: the screen colour along the frame's border); painted keys given too override it where they are definite.")
    var key: ScreenKey.Screen?

    // Feedback is the default: following the matted object, its bands stay a few pixels wide
    // and the mattes are several times better than dilate's on every clip measured
    // (Benchmarks/trimaps/RESULTS.md).
    @Option(help: "Trimap propagation within each shot: dilate (the keys' bands grown with distance) or feedback (from the neighbouring frame's matte, moved with the global motion, within the keys' bounds; forward from each key, and backward from a shot's first key to the frames before it).")
    var propagate: TrimapPlan.Propagation = .feedback

    @Option(help: ArgumentHelp("Feedback: unknown band kept around the previous matte's edge, in pixels.", valueName: "px"))
    var motionMargin: Double = 6

    @Option(help: ArgumentHelp("Unknown-band growth per frame of distance to a keyframe, in pixels.", valueName: "px"))
    var bandRate: Double = 3

    @Option(help: ArgumentHelp("Largest growth of the unknown band, in pixels.", valueName: "px"))
    var bandCap: Double = 80

    @Flag(help: "Scale trimaps painted at another size of the same aspect ratio to the video (nearest neighbour).")
    var resizeTrimaps = false

    @Option(help: ArgumentHelp("Also write every frame's trimap as PNG into this folder, to inspect or correct and feed back as keys.", valueName: "dir"))
    var exportTrimaps: String?

    @Option(help: ArgumentHelp("With --key: the screen's colour (#rrggbb or a name) instead of measuring it in every frame.", valueName: "color"))
    var keyColor: String?

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
        if bandRate < 0 || bandCap < 0 || motionMargin < 0 {
            throw ValidationError("--band-rate, --band-cap and --motion-margin must not be negative")
        }
    }

    /// The screen keying asked for: of a given colour, or measured on the named screen.
    var screenKey: ScreenKey? {
        keyColor.flatMap(BackgroundColor.parse).map { ScreenKey(screenColor: (red: $0.0, green: $0.1, blue: $0.2)) }
            ?? key.map { ScreenKey(screen: $0) }
    }

    /// The painted keys of `input`, checked against it (warnings on stderr unless quiet).
    func keys(of input: String, info: VideoStreamInfo, shots: ShotList, quiet: Bool) throws -> [KeyTrimap] {
        try TrimapKeys.load(folder: trimaps, file: trimap, for: input, info: info, shots: shots, resize: resizeTrimaps,
                            warn: { if !quiet { printError("vmatte: warning: \($0)") } })
    }

    /// Every frame's trimap as `plan` says, from `keys` and the screen key.
    func plannedTrimaps(plan: TrimapPlan, keys: [KeyTrimap], screenKey: ScreenKey?) -> PlannedTrimaps {
        PlannedTrimaps(plan: plan, keys: keys, bandRate: bandRate, bandCap: bandCap, motionMargin: motionMargin,
                       screenTrimap: screenKey.map { screen in { screen.trimap(for: $0) } })
    }
}

/// `--propagate dilate|feedback`.
extension TrimapPlan.Propagation: ExpressibleByArgument {}
