import ArgumentParser
import Engine
import MatteCore

/// The matte command's options for the matting itself: method, model, tiles.
struct MattingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Weights file (safetensors) instead of the bundled model.", valueName: "file"))
    var model: String?

    @Option(help: "Matting method: dim (the bundled network), fused (the bundled network that corrects closed-form matting) or closed-form (Levin et al. 2008; no model). Default dim: fused scores lower error in cross-validation (docs/quality.md) but solves closed-form matting for every frame, 3x the time of a 720p frame.")
    var method: MattingMethod = .dim

    @Option(help: "Tile core size in pixels (tiles without unknown pixels are skipped).")
    var tileSize: Int = TileSettings.standard.size

    @Option(help: "Context around each tile, in pixels.")
    var tileHalo: Int = TileSettings.standard.halo

    @Flag(help: "Run the network on whole frames instead of tiles.")
    var wholeFrame = false

    @Flag(help: "Also run the network on each tile mirrored left to right and average the two: about twice the matting time, lower error.")
    var mirrorAverage = false

    func validate() throws {
        if tileSize < 32 || tileHalo < 0 { throw ValidationError("--tile-size must be at least 32 and --tile-halo at least 0") }
        if method == .closedForm && (model != nil || mirrorAverage) {
            throw ValidationError("--model and --mirror-average are for --method dim or fused; closed-form matting has no network")
        }
    }

    /// The chosen method's matting, loaded once for the run.
    func matting(threads: Int) throws -> any AlphaMatting {
        try method.matting(model: model, tiles: wholeFrame ? nil : TileSettings(size: tileSize, halo: tileHalo),
                           averagesMirrored: mirrorAverage, threads: threads)
    }
}

extension MattingMethod: ExpressibleByArgument {}
