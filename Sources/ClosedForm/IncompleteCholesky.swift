/// Zero-fill incomplete Cholesky factor L (A ≈ L·Lᵀ on A's own pattern), the preconditioner
/// of the conjugate-gradient solve. The matting Laplacian is not an M-matrix, so the plain
/// factorisation can meet a non-positive pivot; then it starts again on A + s·diag(A) with a
/// growing shift s.
///
/// The rows are cut into contiguous blocks factored apart (block Jacobi: the few entries that
/// couple two blocks are left out), so the triangular substitutions, serial within a block,
/// run side by side. The blocks follow from the matrix's size alone, never from the thread
/// count: a solve stopped early then gives the same matte on any number of threads. L is kept
/// in single precision and in stencil order, each row's entries towards its earlier
/// neighbours for the forward substitution and, again, its column's entries from the later
/// ones for the backward: a preconditioner need not be exact, and the substitutions are bound
/// by memory traffic.
struct IncompleteCholesky: Sendable {
    /// The row blocks, in order.
    let blocks: [Range<Int>]
    private let grid: NeighbourGrid
    /// Per row, L_ij towards the neighbours at stencil positions 0..<12 (zero where there is none in the row's block).
    private let lower: [Float]
    /// Per row, L_ji from the neighbours at stencil positions 13..<25 (Lᵀ's row).
    private let upper: [Float]
    /// 1 / L_ii.
    private let inversePivots: [Float]
    /// The shift that gave positive pivots (0 when none was needed).
    let shift: Double

    /// Up to this many blocks of at least 4 096 rows (the 720p clip of docs/engine.md took 3–5 % more
    /// iterations with four than with two).
    static let standardBlocks = 2

    /// For the entry at earlier position a, the terms of L_ij = (A_ij − Σ_k L_ik·L_jk) / L_jj:
    /// each earlier position b of row i whose pixel k is also within reach of neighbour j, with
    /// k's position in j's row; k ascending, as the sum runs.
    private static let sharedNeighbours: [[(own: Int, neighbours: Int)]] = (0..<Stencil.halfCount).map { a in
        (0..<a).compactMap { b in
            let dy = Stencil.steps[b].dy - Stencil.steps[a].dy, dx = Stencil.steps[b].dx - Stencil.steps[a].dx
            return abs(dx) <= 2 ? (b, (dy + 2) * 5 + dx + 2) : nil
        }
    }

    init(_ matrix: StencilMatrix, maximumBlocks: Int = standardBlocks) {
        let n = matrix.size, width = Stencil.halfCount
        let grid = matrix.grid
        self.grid = grid
        let blocks = ParallelChunks.ranges(count: n, minimumChunk: 4096, maximumChunks: maximumBlocks)
        self.blocks = blocks
        // Each row's earlier neighbours as rows, −1 where the neighbour is not unknown or lies in an earlier block.
        var rowOfSlot = [Int32](repeating: -1, count: grid.slotCount)
        for (i, slot) in grid.slots.enumerated() { rowOfSlot[Int(slot)] = Int32(i) }
        var earlier = [Int32](repeating: -1, count: n * width)
        for block in blocks {
            for i in block {
                for a in 0..<width {
                    let j = Int(rowOfSlot[Int(grid.slots[i]) + grid.steps[a]])
                    if j >= block.lowerBound { earlier[i * width + a] = Int32(j) }
                }
            }
        }
        let lower = SharedBuffer<Double>(repeating: 0, count: n * width)
        let diagonal = SharedBuffer<Double>(repeating: 0, count: n)
        defer { lower.free(); diagonal.free() }
        for candidate in [0, 1e-4, 1e-3, 1e-2, 0.1, 0.5, 1, 10] {
            for k in 0..<n * width { lower[k] = earlier[k] >= 0 ? matrix.values[k / width * Stencil.count + k % width] : 0 }
            let factored = blocks.allSatisfy { rows in
                Self.factor(rows: rows, matrix: matrix, earlier: earlier, lower: lower, diagonal: diagonal, shift: candidate)
            }
            if factored {
                let single = (0..<lower.count).map { Float(lower[$0]) }
                self.lower = single
                upper = (0..<n * width).map { k in
                    let i = k / width, u = k % width
                    let j = Int(rowOfSlot[Int(grid.slots[i]) + grid.steps[Stencil.centre + 1 + u]])
                    return j >= 0 ? single[j * width + width - 1 - u] : 0
                }
                inversePivots = (0..<n).map { Float(1 / diagonal[$0]) }
                shift = candidate
                return
            }
        }
        // Unreachable for a Laplacian with boundary conditions; fall back to Jacobi.
        self.lower = [Float](repeating: 0, count: n * width)
        upper = self.lower
        inversePivots = (0..<n).map { i in
            let a = matrix.coefficient(row: i, position: Stencil.centre)
            return a > 0 ? Float(1 / a.squareRoot()) : 1
        }
        shift = .infinity
    }

    /// Factors one block in place: `lower` holds A's entries towards earlier neighbours of the
    /// block and becomes L's, `diagonal` gets L's diagonal there; false at a non-positive pivot.
    private static func factor(rows block: Range<Int>, matrix: StencilMatrix, earlier: [Int32], lower: SharedBuffer<Double>,
                               diagonal: SharedBuffer<Double>, shift: Double) -> Bool {
        let width = Stencil.halfCount
        for i in block {
            let row = lower.base + i * width
            for a in 0..<width {
                let j = Int(earlier[i * width + a])
                guard j >= 0 else { continue }
                let neighbour = lower.base + j * width
                var sum = row[a]
                for term in sharedNeighbours[a] { sum -= neighbour[term.neighbours] * row[term.own] }
                row[a] = sum / diagonal[j]
            }
            var pivot = matrix.coefficient(row: i, position: Stencil.centre) * (1 + shift)
            for a in 0..<width { pivot -= row[a] * row[a] }
            guard pivot > 0, pivot.isFinite else { return false }
            diagonal[i] = pivot.squareRoot()
        }
        return true
    }

    /// z = (L·Lᵀ)⁻¹·r, z on the grid: a forward then a backward substitution in each block, the blocks on up to `threads` cores.
    func apply(_ r: SharedBuffer<Double>, into z: SharedBuffer<Double>, threads: Int) {
        let factor = self
        ParallelChunks.forEach(blocks, threads: threads) { _, rows in factor.substitute(r, into: z, rows: rows) }
    }

    /// Rows whose stencil reaches into another block's slots skip the terms that are zero, so
    /// they never read what another block's thread is writing.
    private func substitute(_ r: SharedBuffer<Double>, into z: SharedBuffer<Double>, rows: Range<Int>) {
        guard !rows.isEmpty else { return }
        let width = Stencil.halfCount, reach = grid.reach
        lower.withUnsafeBufferPointer { lower in
            upper.withUnsafeBufferPointer { upper in
                inversePivots.withUnsafeBufferPointer { inversePivot in
                    grid.slots.withUnsafeBufferPointer { slot in
                        grid.steps.withUnsafeBufferPointer { step in
                            let firstSlot = Int(slot[rows.lowerBound]), lastSlot = Int(slot[rows.upperBound - 1])
                            for i in rows {
                                let centre = z.base + Int(slot[i]), row = lower.baseAddress! + i * width
                                var sum = r[i]
                                if Int(slot[i]) - reach >= firstSlot {
                                    for a in 0..<width { sum -= Double(row[a]) * centre[step[a]] }
                                } else {
                                    for a in 0..<width where row[a] != 0 { sum -= Double(row[a]) * centre[step[a]] }
                                }
                                centre.pointee = sum * Double(inversePivot[i])
                            }
                            // L_ji·z_j taken off z_i from the latest j down, the order the column-wise substitution had.
                            for i in rows.reversed() {
                                let centre = z.base + Int(slot[i]), row = upper.baseAddress! + i * width
                                var sum = centre.pointee
                                if Int(slot[i]) + reach <= lastSlot {
                                    for u in stride(from: width - 1, through: 0, by: -1) {
                                        sum -= Double(row[u]) * centre[step[Stencil.centre + 1 + u]]
                                    }
                                } else {
                                    for u in stride(from: width - 1, through: 0, by: -1) where row[u] != 0 {
                                        sum -= Double(row[u]) * centre[step[Stencil.centre + 1 + u]]
                                    }
                                }
                                centre.pointee = sum * Double(inversePivot[i])
                            }
                        }
                    }
                }
            }
        }
    }
}
