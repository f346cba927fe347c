import ClosedForm
import MatteCore

/// Which matting method a run uses.
public enum MattingMethod: String, Sendable, CaseIterable {
    /// The bundled Deep Image Matting network (or `--model`).
    case dim
    /// Closed-form matting corrected by a network: the bundled closed-form refinement reads every
    /// frame's closed-form matte beside the image and corrects it (`training/MODEL_FORMAT.md`
    /// sections 7 and 8).
    case fused
    /// Closed-form matting (Levin, Lischinski, Weiss 2008), the classical answer.
    case closedForm = "closed-form"
    /// KNN matting on the unknown band (after Chen, Li, Tang 2013), the nonlocal evidence a version-4 refinement reads.
    case knn

    /// Whether the method is a classical solver that reads no weights file.
    public var isClassical: Bool { self == .closedForm || self == .knn }

    /// The method's matting, loaded once for a run: the network from `model` (else the one
    /// `ModelLocator` finds) on `tiles` (nil: whole frames) with `backend`, or the closed-form solver on `threads`;
    /// `closedFormTolerance` (nil: the method's own) is where closed-form solves stop.
    public func matting(model: String?, tiles: TileSettings?, averagesMirrored: Bool, threads: Int,
                        backend: ConvolutionBackend = .standard, closedFormTolerance: Double? = nil) throws -> any AlphaMatting {
        if self == .closedForm { return ClosedFormMatting(relativeTolerance: closedFormTolerance ?? ClosedFormMatting.standardTolerance, threads: threads) }
        if self == .knn { return KNNMatting(threads: threads) }
        let path = try ModelLocator.resolve(model, fileName: self == .fused ? ModelLocator.fusedFileName : ModelLocator.fileName)
        let network = try MattingNetwork(path: path)
        if self == .fused && !network.description.usesClosedForm {
            throw VMatteError.badInput("'\(path)' is a plain network, not one fused with closed-form matting: use it with --method dim")
        }
        let engine = MattingEngine(network: network, tiles: tiles, averagesMirrored: averagesMirrored,
                                   closedFormTolerance: closedFormTolerance ?? MattingEngine.standardClosedFormTolerance)
        engine.backend = backend
        return engine
    }
}
