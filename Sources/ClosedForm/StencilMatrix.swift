/// A symmetric matrix over the unknown pixels whose row i couples pixel i with its 5×5
/// neighbours: 25 coefficients a row in stencil order, zero where the neighbour is not
/// unknown, in double precision. Products read their vector from a `NeighbourGrid`.
struct StencilMatrix: Sendable {
    let size: Int
    let grid: NeighbourGrid
    /// `size` rows of `Stencil.count` coefficients.
    let values: [Double]

    /// Row i's coefficient of its neighbour at stencil `position`.
    func coefficient(row i: Int, position: Int) -> Double { values[i * Stencil.count + position] }

    /// y = A·x with x on the grid, rows split over `threads` workers; returns x·y (= xᵀ·A·x).
    /// Each row adds its terms in stencil order, which is its columns' order.
    @discardableResult
    func multiply(_ x: SharedBuffer<Double>, into y: SharedBuffer<Double>, threads: Int) -> Double {
        let matrix = self
        return ParallelChunks.sum(count: size, threads: threads, minimumChunk: 4096) { rows in
            matrix.values.withUnsafeBufferPointer { value in
                matrix.grid.slots.withUnsafeBufferPointer { slot in
                    matrix.grid.steps.withUnsafeBufferPointer { step in
                        var dot = 0.0
                        for i in rows {
                            let centre = x.base + Int(slot[i]), row = value.baseAddress! + i * Stencil.count
                            var sum = 0.0
                            for k in 0..<Stencil.count { sum += row[k] * centre[step[k]] }
                            y.base[i] = sum
                            dot += centre.pointee * sum
                        }
                        return dot
                    }
                }
            }
        }
    }
}
