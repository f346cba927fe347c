/// How a conjugate-gradient solve ended.
public struct SolveReport: Sendable, Equatable {
    public var iterations: Int
    /// ‖b − A·x‖ / ‖b‖ at the end.
    public var relativeResidual: Double
    public var converged: Bool
}

/// Preconditioned conjugate gradients for A·x = b, A symmetric positive definite.
enum ConjugateGradient {
    /// Solves in place from the initial `x`; stops when ‖r‖ < tolerance·‖b‖.
    static func solve(_ matrix: SparseSymmetricMatrix, _ b: [Double], x: inout [Double], preconditioner: IncompleteCholesky,
                      relativeTolerance: Double, maximumIterations: Int, threads: Int) -> SolveReport {
        let n = matrix.size
        let normB = b.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard n > 0, normB > 0 else {
            for i in 0..<n { x[i] = 0 }
            return SolveReport(iterations: 0, relativeResidual: 0, converged: true)
        }
        let solution = SharedBuffer<Double>(repeating: 0, count: n)
        let r = SharedBuffer<Double>(repeating: 0, count: n), z = SharedBuffer<Double>(repeating: 0, count: n)
        let p = SharedBuffer<Double>(repeating: 0, count: n), q = SharedBuffer<Double>(repeating: 0, count: n)
        defer { for buffer in [r, z, p, q] { buffer.free() } }
        for i in 0..<n { solution[i] = x[i] }
        matrix.multiply(solution, into: q, threads: threads)
        var rr = 0.0
        for i in 0..<n {
            r[i] = b[i] - q[i]
            rr += r[i] * r[i]
        }
        var iterations = 0
        var rz = 0.0
        let goal = relativeTolerance * normB
        while rr.squareRoot() >= goal && iterations < maximumIterations {
            preconditioner.apply(r, into: z)
            var rzNext = 0.0
            for i in 0..<n { rzNext += r[i] * z[i] }
            let beta = iterations == 0 ? 0 : rzNext / rz
            for i in 0..<n { p[i] = z[i] + beta * p[i] }
            rz = rzNext
            matrix.multiply(p, into: q, threads: threads)
            var pq = 0.0
            for i in 0..<n { pq += p[i] * q[i] }
            let step = rz / pq
            rr = 0
            for i in 0..<n {
                solution[i] += step * p[i]
                r[i] -= step * q[i]
                rr += r[i] * r[i]
            }
            iterations += 1
        }
        x = solution.finish()
        let residual = rr.squareRoot()
        return SolveReport(iterations: iterations, relativeResidual: residual / normB, converged: residual < goal)
    }
}
