/// How a conjugate-gradient solve ended.
public struct SolveReport: Sendable, Equatable {
    public var iterations: Int
    /// ‖b − A·x‖ / ‖b‖ at the end.
    public var relativeResidual: Double
    public var converged: Bool
}

/// Preconditioned conjugate gradients for A·x = b, A symmetric positive definite. The
/// vector updates run over the same row chunks as the matrix product, each loop fused with
/// the dot product that follows it. The search direction and the preconditioned residual live
/// on the matrix's grid, where the product and the substitutions read them.
enum ConjugateGradient {
    private static let minimumChunk = 4096

    /// Solves in place from the initial `x`; stops when ‖r‖ < tolerance·‖b‖.
    static func solve(_ matrix: StencilMatrix, _ b: [Double], x: inout [Double], preconditioner: IncompleteCholesky,
                      relativeTolerance: Double, maximumIterations: Int, threads: Int) -> SolveReport {
        let n = matrix.size
        let normB = b.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard n > 0, normB > 0 else {
            for i in 0..<n { x[i] = 0 }
            return SolveReport(iterations: 0, relativeResidual: 0, converged: true)
        }
        let slots = matrix.grid.slots
        let solution = SharedBuffer<Double>(repeating: 0, count: n)
        let r = SharedBuffer<Double>(repeating: 0, count: n), q = SharedBuffer<Double>(repeating: 0, count: n)
        let z = matrix.grid.vector(), p = matrix.grid.vector()
        defer { for buffer in [r, q, z, p] { buffer.free() } }
        for i in 0..<n {
            solution[i] = x[i]
            p[Int(slots[i])] = x[i]
        }
        matrix.multiply(p, into: q, threads: threads)
        var rr = 0.0
        for i in 0..<n {
            r[i] = b[i] - q[i]
            rr += r[i] * r[i]
            p[Int(slots[i])] = 0
        }
        var iterations = 0
        var rz = 0.0
        let goal = relativeTolerance * normB
        while rr.squareRoot() >= goal && iterations < maximumIterations {
            preconditioner.apply(r, into: z, threads: threads)
            let rzNext = ParallelChunks.sum(count: n, threads: threads, minimumChunk: minimumChunk) { rows in
                var dot = 0.0
                for i in rows { dot += r[i] * z[Int(slots[i])] }
                return dot
            }
            let beta = iterations == 0 ? 0 : rzNext / rz
            ParallelChunks.forEach(count: n, threads: threads, minimumChunk: minimumChunk) { rows in
                for i in rows {
                    let s = Int(slots[i])
                    p[s] = z[s] + beta * p[s]
                }
            }
            rz = rzNext
            let pq = matrix.multiply(p, into: q, threads: threads)
            let step = rz / pq
            rr = ParallelChunks.sum(count: n, threads: threads, minimumChunk: minimumChunk) { rows in
                var dot = 0.0
                for i in rows {
                    solution[i] += step * p[Int(slots[i])]
                    r[i] -= step * q[i]
                    dot += r[i] * r[i]
                }
                return dot
            }
            iterations += 1
        }
        x = solution.finish()
        let residual = rr.squareRoot()
        return SolveReport(iterations: iterations, relativeResidual: residual / normB, converged: residual < goal)
    }
}
