/// Zero-fill incomplete Cholesky factor L (A ≈ L·Lᵀ on A's own pattern), the preconditioner
/// of the conjugate-gradient solve. The matting Laplacian is not an M-matrix, so the plain
/// factorisation can meet a non-positive pivot; then it starts again on A + s·diag(A) with a
/// growing shift s.
///
/// The rows are cut into contiguous blocks factored apart (block Jacobi: the few entries that
/// couple two blocks are left out), so the triangular substitutions, serial within a block,
/// run side by side. The blocks follow from the matrix's size alone, never from the thread
/// count: a solve stopped early then gives the same matte on any number of threads. L is kept
/// in single precision: a preconditioner need not be exact, and the substitutions are bound
/// by memory traffic.
struct IncompleteCholesky: Sendable {
    /// The row blocks, in order.
    let blocks: [Range<Int>]
    /// Strictly lower part of L by rows (columns ascending, within the row's block).
    private let rowStart: [Int]
    private let columns: [Int32]
    private let values: [Float]
    /// 1 / L_ii.
    private let inversePivots: [Float]
    /// The shift that gave positive pivots (0 when none was needed).
    let shift: Double

    /// Up to this many blocks of at least 4 096 rows (the 720p clip of docs/engine.md took 3–5 % more
    /// iterations with four than with two).
    static let standardBlocks = 2

    init(_ matrix: SparseSymmetricMatrix, maximumBlocks: Int = standardBlocks) {
        let n = matrix.size
        let blocks = ParallelChunks.ranges(count: n, minimumChunk: 4096, maximumChunks: maximumBlocks)
        self.blocks = blocks
        var start = [Int](repeating: 0, count: n + 1)
        var lowerColumns: [Int32] = []
        var diagonalA = [Double](repeating: 0, count: n)
        lowerColumns.reserveCapacity(matrix.columns.count / 2)
        for block in blocks {
            for i in block {
                for k in matrix.rowStart[i]..<matrix.rowStart[i + 1] {
                    let j = Int(matrix.columns[k])
                    if j < i && j >= block.lowerBound {
                        lowerColumns.append(Int32(j))
                    } else if j == i {
                        diagonalA[i] = matrix.values[k]
                    }
                }
                start[i + 1] = lowerColumns.count
            }
        }
        rowStart = start
        columns = lowerColumns
        let lower = SharedBuffer<Double>(repeating: 0, count: lowerColumns.count)
        let diagonal = SharedBuffer<Double>(repeating: 0, count: n)
        defer { lower.free(); diagonal.free() }
        for candidate in [0, 1e-4, 1e-3, 1e-2, 0.1, 0.5, 1, 10] {
            Self.copyLowerPart(of: matrix, blocks: blocks, into: lower)
            let factored = blocks.allSatisfy { rows in
                Self.factor(rows: rows, lower: lower, diagonal: diagonal, diagonalA: diagonalA, rowStart: start,
                            columns: lowerColumns, shift: candidate)
            }
            if factored {
                values = (0..<lower.count).map { Float(lower[$0]) }
                inversePivots = (0..<n).map { Float(1 / diagonal[$0]) }
                shift = candidate
                return
            }
        }
        // Unreachable for a Laplacian with boundary conditions; fall back to Jacobi.
        values = [Float](repeating: 0, count: lowerColumns.count)
        inversePivots = diagonalA.map { $0 > 0 ? Float(1 / $0.squareRoot()) : 1 }
        shift = .infinity
    }

    /// A's entries on the factor's pattern (strictly lower, within each block), row by row.
    private static func copyLowerPart(of matrix: SparseSymmetricMatrix, blocks: [Range<Int>], into lower: SharedBuffer<Double>) {
        var p = 0
        for block in blocks {
            for i in block {
                for k in matrix.rowStart[i]..<matrix.rowStart[i + 1] {
                    let j = Int(matrix.columns[k])
                    if j < i && j >= block.lowerBound {
                        lower[p] = matrix.values[k]
                        p += 1
                    }
                }
            }
        }
    }

    /// Factors one block in place: `lower` holds A's strictly lower part on the block's rows and
    /// becomes L's, `diagonal` gets L's diagonal there; false at a non-positive pivot.
    private static func factor(rows block: Range<Int>, lower: SharedBuffer<Double>, diagonal: SharedBuffer<Double>, diagonalA: [Double],
                               rowStart: [Int], columns: [Int32], shift: Double) -> Bool {
        for i in block {
            let row = rowStart[i]..<rowStart[i + 1]
            for p in row {
                // L_ij = (A_ij − Σ_{k<j} L_ik·L_jk) / L_jj over the columns rows i and j share.
                let j = Int(columns[p])
                var sum = lower[p]
                var q = rowStart[j], r = row.lowerBound
                while q < rowStart[j + 1] && r < p {
                    let cq = columns[q], cr = columns[r]
                    if cq == cr {
                        sum -= lower[q] * lower[r]
                        q += 1
                        r += 1
                    } else if cq < cr { q += 1 } else { r += 1 }
                }
                lower[p] = sum / diagonal[j]
            }
            var pivot = diagonalA[i] * (1 + shift)
            for p in row { pivot -= lower[p] * lower[p] }
            guard pivot > 0, pivot.isFinite else { return false }
            diagonal[i] = pivot.squareRoot()
        }
        return true
    }

    /// z = (L·Lᵀ)⁻¹·r: a forward then a backward substitution in each block, the blocks on up to `threads` cores.
    func apply(_ r: SharedBuffer<Double>, into z: SharedBuffer<Double>, threads: Int) {
        let factor = self
        ParallelChunks.forEach(blocks, threads: threads) { _, rows in factor.substitute(r, into: z, rows: rows) }
    }

    private func substitute(_ r: SharedBuffer<Double>, into z: SharedBuffer<Double>, rows: Range<Int>) {
        rowStart.withUnsafeBufferPointer { start in
            columns.withUnsafeBufferPointer { column in
                values.withUnsafeBufferPointer { value in
                    inversePivots.withUnsafeBufferPointer { inversePivot in
                        let z = z.base, r = r.base
                        for i in rows {
                            var sum = r[i]
                            for p in start[i]..<start[i + 1] { sum -= Double(value[p]) * z[Int(column[p])] }
                            z[i] = sum * Double(inversePivot[i])
                        }
                        for i in rows.reversed() {
                            let zi = z[i] * Double(inversePivot[i])
                            z[i] = zi
                            for p in start[i]..<start[i + 1] { z[Int(column[p])] -= Double(value[p]) * zi }
                        }
                    }
                }
            }
        }
    }
}
