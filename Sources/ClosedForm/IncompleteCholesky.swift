/// Zero-fill incomplete Cholesky factor L (A ≈ L·Lᵀ on A's own pattern), the preconditioner
/// of the conjugate-gradient solve. The matting Laplacian is not an M-matrix, so the plain
/// factorisation can meet a non-positive pivot; then it starts again on A + s·diag(A) with a
/// growing shift s.
struct IncompleteCholesky: Sendable {
    /// Strictly lower part of L by rows (columns ascending), and its diagonal.
    private let rowStart: [Int]
    private let columns: [Int32]
    private var values: [Double]
    private var diagonal: [Double]
    /// The shift that gave positive pivots (0 when none was needed).
    private(set) var shift: Double = 0

    init(_ matrix: SparseSymmetricMatrix) {
        let n = matrix.size
        var start = [Int](repeating: 0, count: n + 1)
        var lowerColumns: [Int32] = []
        var lowerValues: [Double] = []
        var matrixDiagonal = [Double](repeating: 0, count: n)
        lowerColumns.reserveCapacity(matrix.columns.count / 2)
        lowerValues.reserveCapacity(matrix.columns.count / 2)
        for i in 0..<n {
            for k in matrix.rowStart[i]..<matrix.rowStart[i + 1] {
                let j = Int(matrix.columns[k])
                if j < i {
                    lowerColumns.append(Int32(j))
                    lowerValues.append(matrix.values[k])
                } else if j == i {
                    matrixDiagonal[i] = matrix.values[k]
                }
            }
            start[i + 1] = lowerColumns.count
        }
        rowStart = start
        columns = lowerColumns
        values = lowerValues
        diagonal = matrixDiagonal
        for candidate in [0, 1e-4, 1e-3, 1e-2, 0.1, 0.5, 1, 10] {
            if let factor = Self.factor(lowerValues, diagonal: matrixDiagonal, rowStart: start, columns: lowerColumns, shift: candidate) {
                values = factor.lower
                diagonal = factor.diagonal
                shift = candidate
                return
            }
        }
        // Unreachable for a Laplacian with boundary conditions; fall back to Jacobi.
        values = [Double](repeating: 0, count: lowerValues.count)
        diagonal = matrixDiagonal.map { $0 > 0 ? $0.squareRoot() : 1 }
        shift = .infinity
    }

    private static func factor(_ lowerA: [Double], diagonal diagonalA: [Double], rowStart: [Int], columns: [Int32],
                               shift: Double) -> (lower: [Double], diagonal: [Double])? {
        let n = diagonalA.count
        var lower = lowerA
        var diagonal = [Double](repeating: 0, count: n)
        for i in 0..<n {
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
            guard pivot > 0, pivot.isFinite else { return nil }
            diagonal[i] = pivot.squareRoot()
        }
        return (lower, diagonal)
    }

    /// z = (L·Lᵀ)⁻¹·r: a forward then a backward substitution.
    func apply(_ r: SharedBuffer<Double>, into z: SharedBuffer<Double>) {
        let n = diagonal.count
        rowStart.withUnsafeBufferPointer { start in
            columns.withUnsafeBufferPointer { column in
                values.withUnsafeBufferPointer { value in
                    diagonal.withUnsafeBufferPointer { pivot in
                        let z = z.base, r = r.base
                        for i in 0..<n {
                            var sum = r[i]
                            for p in start[i]..<start[i + 1] { sum -= value[p] * z[Int(column[p])] }
                            z[i] = sum / pivot[i]
                        }
                        for i in stride(from: n - 1, through: 0, by: -1) {
                            z[i] /= pivot[i]
                            let zi = z[i]
                            for p in start[i]..<start[i + 1] { z[Int(column[p])] -= value[p] * zi }
                        }
                    }
                }
            }
        }
    }
}
