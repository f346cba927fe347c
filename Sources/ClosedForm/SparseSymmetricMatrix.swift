/// A symmetric sparse matrix in compressed rows (every row holds its full pattern, both
/// triangles, columns ascending), in double precision.
struct SparseSymmetricMatrix: Sendable {
    let size: Int
    /// Row `i` spans `rowStart[i]..<rowStart[i + 1]` of `columns` and `values`.
    var rowStart: [Int]
    var columns: [Int32]
    var values: [Double]

    /// Position of the diagonal entry within each row.
    var diagonalPosition: [Int] {
        (0..<size).map { i in (rowStart[i]..<rowStart[i + 1]).first { Int(columns[$0]) == i }! }
    }

    /// y = A·x, rows split over `threads` workers; returns x·y (= xᵀ·A·x).
    @discardableResult
    func multiply(_ x: SharedBuffer<Double>, into y: SharedBuffer<Double>, threads: Int) -> Double {
        let matrix = self
        return ParallelChunks.sum(count: size, threads: threads, minimumChunk: 4096) { rows in
            matrix.rowStart.withUnsafeBufferPointer { start in
                matrix.columns.withUnsafeBufferPointer { column in
                    matrix.values.withUnsafeBufferPointer { value in
                        var dot = 0.0
                        for i in rows {
                            var sum = 0.0
                            for k in start[i]..<start[i + 1] { sum += value[k] * x.base[Int(column[k])] }
                            y.base[i] = sum
                            dot += x.base[i] * sum
                        }
                        return dot
                    }
                }
            }
        }
    }
}
