import ArgumentParser
import Engine
import MatteCore

/// The matte command's options for the matting itself: method, model, tiles.
struct MattingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Weights file (safetensors) instead of the bundled model.", valueName: "file"))
    var model: String?

    @Option(help: "Matting method: fused (closed-form matting corrected by the bundled refinement network), dim (the bundled plain network), closed-form (Levin et al. 2008; no model) or knn (KNN matting, Chen et al. 2013; no model). Default: fused, the lowest error in cross-validation (docs/quality.md); with --model, the network given.")
    var method: MattingMethod?

    /// The method a run uses: the one asked for, else the network of --model, else fused.
    var resolvedMethod: MattingMethod { method ?? (model != nil ? .dim : .fused) }

    @Option(help: "Tile core size in pixels (tiles without unknown pixels are skipped).")
    var tileSize: Int = TileSettings.standard.size

    @Option(help: "Context around each tile, in pixels.")
    var tileHalo: Int = TileSettings.standard.halo

    @Flag(help: "Run the network on whole frames instead of tiles.")
    var wholeFrame = false

    @Flag(help: "Also run the network on each tile mirrored left to right and average the two: about twice the matting time, lower error.")
    var mirrorAverage = false

    @Option(help: "What runs the network's convolutions: onednn (default, the faster on this kind of CPU: docs/engine.md) or openblas.")
    var backend: ConvolutionBackend = .standard

    @Option(help: ArgumentHelp("Closed-form solves stop when the residual falls below this share of the right-hand side. Default: 1e-7 (pymatting's) for closed-form, 3e-4 for fused (its lowest error in cross-validation).", valueName: "t"))
    var closedFormTolerance: Double?

    func validate() throws {
        if let closedFormTolerance, !(closedFormTolerance > 0 && closedFormTolerance < 1) {
            throw ValidationError("--closed-form-tolerance must be between 0 and 1, not \(closedFormTolerance)")
        }
        if tileSize < 32 || tileHalo < 0 { throw ValidationError("--tile-size must be at least 32 and --tile-halo at least 0") }
        if resolvedMethod.isClassical && (model != nil || mirrorAverage) {
            throw ValidationError("--model and --mirror-average are for --method dim or fused; \(resolvedMethod.rawValue) matting has no network")
        }
        if resolvedMethod == .knn && closedFormTolerance != nil {
            throw ValidationError("--closed-form-tolerance is for --method closed-form or fused")
        }
    }

    /// The chosen method's matting, loaded once for the run.
    func matting(threads: Int) throws -> any AlphaMatting {
        try resolvedMethod.matting(model: model, tiles: wholeFrame ? nil : TileSettings(size: tileSize, halo: tileHalo),
                           averagesMirrored: mirrorAverage, threads: threads, backend: backend,
                                   closedFormTolerance: closedFormTolerance)
    }
}

extension MattingMethod: ExpressibleByArgument {}
extension ConvolutionBackend: ExpressibleByArgument {}
