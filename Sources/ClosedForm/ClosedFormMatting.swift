import Dispatch
import MatteCore

/// What a solver's solves added up to over a run, for reports.
public struct ClosedFormTotals: Codable, Sendable, Equatable {
    public var solves = 0
    public var iterations = 0
    /// Seconds building, factoring and solving the systems.
    public var seconds = 0.0
    /// Where each solve stopped (relative residual).
    public var relativeTolerance: Double
}

/// Where one solve's time went.
public struct ClosedFormPhases: Sendable, Equatable {
    /// Building the matting Laplacian and its right-hand side.
    public var system = 0.0
    /// The incomplete-Cholesky factor.
    public var factor = 0.0
    /// The conjugate-gradient iterations.
    public var iterations = 0.0
}

/// Closed-form matting (Levin, Lischinski, Weiss 2008): the alpha that best fits a local
/// colour-line model in every 3×3 window, solved over the trimap's unknown pixels by
/// conjugate gradients with an incomplete-Cholesky preconditioner. Successive frames of the
/// same size start from the previous frame's matte.
public final class ClosedFormMatting: AlphaMatting, @unchecked Sendable {
    /// Regularisation of each window's colour covariance (pymatting's default).
    public let epsilon: Double
    /// The solve stops when ‖b − A·α‖ falls below this share of ‖b‖ (pymatting's default).
    public let relativeTolerance: Double
    public let maximumIterations: Int
    /// Threads of the solve; a run that fits its threads to the idle cores changes it between frames.
    public var threads: Int {
        didSet { threads = max(1, threads) }
    }
    /// Start each solve from the previous call's matte when the sizes match.
    public let warmStarts: Bool
    /// How the last call's solve ended.
    public private(set) var lastSolve = SolveReport(iterations: 0, relativeResidual: 0, converged: true)
    /// Seconds of the last call's phases.
    public private(set) var lastPhases = ClosedFormPhases()
    /// Every call's solve, added up.
    public private(set) var totals: ClosedFormTotals
    /// The last solve's unclipped solution per pixel (known pixels hold their trimap value), the next solve's start.
    private var previous: (width: Int, height: Int, solution: [Double])?

    /// pymatting's tolerance, at which `--method closed-form` equals it.
    public static let standardTolerance = 1e-7

    public init(epsilon: Double = 1e-7, relativeTolerance: Double = standardTolerance, maximumIterations: Int = 10_000,
                threads: Int = 1, warmStarts: Bool = true) {
        self.epsilon = epsilon
        self.relativeTolerance = relativeTolerance
        self.maximumIterations = maximumIterations
        self.threads = max(1, threads)
        self.warmStarts = warmStarts
        totals = ClosedFormTotals(relativeTolerance: relativeTolerance)
    }

    /// The alpha matte of `rgb` (3 planes in 0…1) for `trimap` (1 plane: 0 / 0.5 / 1, or painted greys).
    public func matte(rgb: ImageTensor, trimap: ImageTensor) throws -> ImageTensor {
        guard rgb.channels == 3, trimap.channels == 1 else { throw VMatteError.runtime("matting needs 3 colour planes and 1 trimap plane") }
        guard rgb.width == trimap.width, rgb.height == trimap.height else {
            throw VMatteError.badInput("the trimap is \(trimap.width)x\(trimap.height) but the frame is \(rgb.width)x\(rgb.height)")
        }
        let started = DispatchTime.now().uptimeNanoseconds
        let system = try MattingLaplacian(rgb: rgb, trimap: trimap, epsilon: epsilon, threads: threads)
        let built = DispatchTime.now().uptimeNanoseconds
        var alpha = ImageTensor(width: rgb.width, height: rgb.height, channels: 1)
        for i in alpha.pixels.indices {
            alpha.pixels[i] = TrimapValue.snap(trimap.pixels[i]) == TrimapValue.foreground ? 1 : 0
        }
        var x = [Double](repeating: 0, count: system.unknownPixels.count)
        if warmStarts, let previous, previous.width == rgb.width, previous.height == rgb.height {
            for (i, p) in system.unknownPixels.enumerated() { x[i] = previous.solution[Int(p)] }
        }
        let preconditioner = IncompleteCholesky(system.matrix)
        let factored = DispatchTime.now().uptimeNanoseconds
        lastSolve = ConjugateGradient.solve(system.matrix, system.rightHandSide, x: &x, preconditioner: preconditioner,
                                            relativeTolerance: relativeTolerance, maximumIterations: maximumIterations, threads: threads)
        let solved = DispatchTime.now().uptimeNanoseconds
        lastPhases = ClosedFormPhases(system: Double(built - started) / 1e9, factor: Double(factored - built) / 1e9,
                                      iterations: Double(solved - factored) / 1e9)
        totals.solves += 1
        totals.iterations += lastSolve.iterations
        totals.seconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        for (i, p) in system.unknownPixels.enumerated() { alpha.pixels[Int(p)] = Float(min(1, max(0, x[i]))) }
        if warmStarts {
            var solution = alpha.pixels.map(Double.init)
            for (i, p) in system.unknownPixels.enumerated() { solution[Int(p)] = x[i] }
            previous = (rgb.width, rgb.height, solution)
        }
        return alpha
    }
}
