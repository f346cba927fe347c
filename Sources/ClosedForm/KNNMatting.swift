import Dispatch
import MatteCore

/// What a KNN solver's solves added up to over a run, for reports.
public struct KNNTotals: Codable, Sendable, Equatable {
    public var solves = 0
    public var iterations = 0
    /// Seconds searching neighbours and solving.
    public var seconds = 0.0
}

/// KNN matting (after Chen, Li, Tang 2013) on the trimap's unknown band: every unknown pixel
/// is joined to its nearest pixels in colour and position, and the matte is the smoothest
/// over those joins with the known pixels fixed. Nonlocal evidence that closed-form matting's
/// 3×3 windows lack; a fused refinement of format version 4 reads it. Mirrors
/// training/knn_matting.py.
public final class KNNMatting: AlphaMatting, @unchecked Sendable {
    /// Each pass joins every unknown pixel to its `neighbours` nearest pixels by
    /// (r, g, b, w·x, w·y), x and y running 0…1 across the picture, w the `spatialWeight`.
    public static let passes: [(neighbours: Int, spatialWeight: Float)] = [(20, 2), (10, 0.1)]
    /// Joins per unknown pixel over the passes.
    static let neighboursPerPixel = passes.reduce(0) { $0 + $1.neighbours }
    /// Neighbours are sought among the pixels at most this far (in rows and columns) from an
    /// unknown pixel: farther ones were rarely among the nearest, and the search over the whole
    /// frame cost several times as much.
    public static let candidateReach = 16
    /// The solve stops when ‖b − A·α‖ falls below this share of ‖b‖.
    public static let relativeTolerance = 1e-4
    public static let maximumIterations = 2000
    public var threads: Int {
        didSet { threads = max(1, threads) }
    }
    /// How the last call's solve ended.
    public private(set) var lastSolve = SolveReport(iterations: 0, relativeResidual: 0, converged: true)
    /// Seconds of the last call: the neighbour search and the solve.
    public private(set) var lastPhases = (search: 0.0, solve: 0.0)
    /// Every call's solve, added up.
    public private(set) var totals = KNNTotals()

    public init(threads: Int = 1) {
        self.threads = max(1, threads)
    }

    /// The alpha matte of `rgb` (3 planes in 0…1) for `trimap` (1 plane: 0 / 0.5 / 1, or painted greys).
    public func matte(rgb: ImageTensor, trimap: ImageTensor) throws -> ImageTensor {
        guard rgb.channels == 3, trimap.channels == 1 else { throw VMatteError.runtime("matting needs 3 colour planes and 1 trimap plane") }
        guard rgb.width == trimap.width, rgb.height == trimap.height else {
            throw VMatteError.badInput("the trimap is \(trimap.width)x\(trimap.height) but the frame is \(rgb.width)x\(rgb.height)")
        }
        let plane = rgb.planeSize
        var alpha = ImageTensor(width: rgb.width, height: rgb.height, channels: 1)
        var unknowns: [Int32] = []
        var unknownIndex = [Int32](repeating: -1, count: plane)
        var foreground = false, background = false
        for p in 0..<plane {
            let value = TrimapValue.snap(trimap.pixels[p])
            if value == TrimapValue.unknown {
                unknownIndex[p] = Int32(unknowns.count)
                unknowns.append(Int32(p))
            } else {
                alpha.pixels[p] = value
                foreground = foreground || value == TrimapValue.foreground
                background = background || value == TrimapValue.background
            }
        }
        lastSolve = SolveReport(iterations: 0, relativeResidual: 0, converged: true)
        lastPhases = (0, 0)
        guard !unknowns.isEmpty else { return alpha }
        guard foreground && background else {
            // One known class only: the smoothest matte is that class everywhere (0 when nothing is known).
            for p in unknowns { alpha.pixels[Int(p)] = foreground ? 1 : 0 }
            return alpha
        }
        let started = DispatchTime.now().uptimeNanoseconds
        let neighbours = neighbourLists(rgb: rgb, unknowns: unknowns, unknownIndex: unknownIndex)
        let searched = DispatchTime.now().uptimeNanoseconds
        let system = KNNSystem(neighbours: neighbours, perPixel: Self.neighboursPerPixel, unknownIndex: unknownIndex, known: alpha.pixels)
        var x = [Double](repeating: 0.5, count: unknowns.count)
        lastSolve = system.solve(&x, relativeTolerance: Self.relativeTolerance, maximumIterations: Self.maximumIterations, threads: threads)
        lastPhases = (Double(searched - started) / 1e9, Double(DispatchTime.now().uptimeNanoseconds - searched) / 1e9)
        totals.solves += 1
        totals.iterations += lastSolve.iterations
        totals.seconds += lastPhases.search + lastPhases.solve
        for (i, p) in unknowns.enumerated() { alpha.pixels[Int(p)] = Float(min(1, max(0, x[i]))) }
        return alpha
    }

    /// Every unknown pixel's neighbours (pixel indices), the passes' lists one after the other.
    private func neighbourLists(rgb: ImageTensor, unknowns: [Int32], unknownIndex: [Int32]) -> [Int32] {
        let perPixel = Self.neighboursPerPixel
        let lists = SharedBuffer<Int32>(repeating: 0, count: unknowns.count * perPixel)
        let candidates = Self.candidates(unknownIndex: unknownIndex, width: rgb.width, height: rgb.height, reach: Self.candidateReach)
        // Each unknown pixel's place among the candidates (the tree's points).
        var place = [Int32](repeating: 0, count: unknowns.count)
        for (c, p) in candidates.enumerated() where unknownIndex[Int(p)] >= 0 { place[Int(unknownIndex[Int(p)])] = Int32(c) }
        var offset = 0
        for pass in Self.passes {
            let tree = KDTree(points: Self.features(rgb, of: candidates, spatialWeight: pass.spatialWeight))
            let first = offset
            ParallelChunks.forEach(count: unknowns.count, threads: threads, minimumChunk: 1024) { [place] rows in
                var found: [Int32] = [], search = KDTree.Search()
                for i in rows {
                    tree.nearest(to: Int(place[i]), count: pass.neighbours, into: &found, search: &search)
                    for (k, j) in found.enumerated() { lists[i * perPixel + first + k] = candidates[Int(j)] }
                }
            }
            offset += pass.neighbours
        }
        return lists.finish()
    }

    /// The pixels (raster order) within `reach` rows and columns of an unknown pixel.
    static func candidates(unknownIndex: [Int32], width: Int, height: Int, reach: Int) -> [Int32] {
        // Rows first: whether an unknown pixel lies within `reach` columns, from the row's running count.
        var nearRow = [Bool](repeating: false, count: width * height)
        var running = [Int](repeating: 0, count: width + 1)
        for y in 0..<height {
            for x in 0..<width { running[x + 1] = running[x] + (unknownIndex[y * width + x] >= 0 ? 1 : 0) }
            for x in 0..<width { nearRow[y * width + x] = running[min(width, x + reach + 1)] > running[max(0, x - reach)] }
        }
        var list: [Int32] = []
        // Then columns: a window of rows slides down, counting the row-near pixels in it.
        var count = [Int](repeating: 0, count: width)
        for y in 0..<min(height, reach) { for x in 0..<width where nearRow[y * width + x] { count[x] += 1 } }
        for y in 0..<height {
            if y + reach < height { for x in 0..<width where nearRow[(y + reach) * width + x] { count[x] += 1 } }
            if y - reach - 1 >= 0 { for x in 0..<width where nearRow[(y - reach - 1) * width + x] { count[x] -= 1 } }
            for x in 0..<width where count[x] > 0 { list.append(Int32(y * width + x)) }
        }
        return list
    }

    static func features(_ rgb: ImageTensor, of pixels: [Int32], spatialWeight: Float) -> [Float] {
        let width = rgb.width, height = rgb.height, plane = rgb.planeSize
        let xScale = width > 1 ? spatialWeight / Float(width - 1) : 0
        let yScale = height > 1 ? spatialWeight / Float(height - 1) : 0
        var points = [Float](repeating: 0, count: pixels.count * 5)
        for (i, pixel) in pixels.enumerated() {
            let p = Int(pixel)
            for c in 0..<3 { points[i * 5 + c] = rgb.pixels[c * plane + p] }
            points[i * 5 + 3] = Float(p % width) * xScale
            points[i * 5 + 4] = Float(p / width) * yScale
        }
        return points
    }
}

/// The KNN graph's Laplacian over the unknown pixels, L_uu·α_u = W_uk·α_k: an unknown pair
/// joined both ways counts twice; a pixel's degree counts all its joins, known ones too.
private struct KNNSystem {
    /// Row i's off-diagonal unknown neighbours, each with the number of joins between the two
    /// (L holds −weight there), compressed rows.
    let rowStarts: [Int]
    let columns: [Int32]
    let weights: [Double]
    let degree: [Double]
    let rightHandSide: [Double]

    init(neighbours: [Int32], perPixel: Int, unknownIndex: [Int32], known: [Float]) {
        let n = neighbours.count / perPixel
        var counts = [Int](repeating: 0, count: n + 1)
        var degree = [Double](repeating: Double(perPixel), count: n)
        var rhs = [Double](repeating: 0, count: n)
        for i in 0..<n {
            for k in 0..<perPixel {
                let pixel = Int(neighbours[i * perPixel + k])
                let j = Int(unknownIndex[pixel])
                if j >= 0 {
                    counts[i + 1] += 1
                    counts[j + 1] += 1
                    degree[j] += 1
                } else {
                    rhs[i] += Double(known[pixel])
                }
            }
        }
        for i in 0..<n { counts[i + 1] += counts[i] }
        var fill = Array(counts[0..<n])
        var columns = [Int32](repeating: 0, count: counts[n])
        for i in 0..<n {
            for k in 0..<perPixel {
                let j = Int(unknownIndex[Int(neighbours[i * perPixel + k])])
                guard j >= 0 else { continue }
                columns[fill[i]] = Int32(j)
                fill[i] += 1
                columns[fill[j]] = Int32(i)
                fill[j] += 1
            }
        }
        // A pair joined more than once (both ways, or in both passes) becomes one weighted entry.
        var starts = [Int](repeating: 0, count: n + 1)
        var merged = [Int32](), weights = [Double]()
        merged.reserveCapacity(columns.count)
        weights.reserveCapacity(columns.count)
        for i in 0..<n {
            let row = columns[counts[i]..<counts[i + 1]].sorted()
            var e = 0
            while e < row.count {
                var end = e + 1
                while end < row.count && row[end] == row[e] { end += 1 }
                merged.append(row[e])
                weights.append(Double(end - e))
                e = end
            }
            starts[i + 1] = merged.count
        }
        rowStarts = starts
        self.columns = merged
        self.weights = weights
        self.degree = degree
        rightHandSide = rhs
    }

    /// q = L·p over the rows.
    private func multiply(_ p: SharedBuffer<Double>, into q: SharedBuffer<Double>, threads: Int) {
        ParallelChunks.forEach(count: degree.count, threads: threads, minimumChunk: 4096) { rows in
            for i in rows {
                var sum = degree[i] * p[i]
                for e in rowStarts[i]..<rowStarts[i + 1] { sum -= weights[e] * p[Int(columns[e])] }
                q[i] = sum
            }
        }
    }

    private func dot(_ a: SharedBuffer<Double>, _ b: SharedBuffer<Double>, threads: Int) -> Double {
        ParallelChunks.sum(count: a.count, threads: threads, minimumChunk: 4096) { rows in
            var sum = 0.0
            for i in rows { sum += a[i] * b[i] }
            return sum
        }
    }

    /// Jacobi-preconditioned conjugate gradients from `x`, in training/knn_matting.py's order.
    func solve(_ x: inout [Double], relativeTolerance: Double, maximumIterations: Int, threads: Int) -> SolveReport {
        let n = degree.count
        let normB = rightHandSide.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard normB > 0 else {
            // No unknown pixel reaches the foreground: the matte is 0 there.
            for i in 0..<n { x[i] = 0 }
            return SolveReport(iterations: 0, relativeResidual: 0, converged: true)
        }
        let solution = SharedBuffer<Double>(repeating: 0, count: n), r = SharedBuffer<Double>(repeating: 0, count: n)
        let z = SharedBuffer<Double>(repeating: 0, count: n), p = SharedBuffer<Double>(repeating: 0, count: n)
        let q = SharedBuffer<Double>(repeating: 0, count: n)
        defer { for buffer in [r, z, p, q] { buffer.free() } }
        for i in 0..<n { solution[i] = x[i] }
        multiply(solution, into: q, threads: threads)
        for i in 0..<n {
            r[i] = rightHandSide[i] - q[i]
            z[i] = r[i] / degree[i]
            p[i] = z[i]
        }
        var rz = dot(r, z, threads: threads)
        let goal = relativeTolerance * normB
        var rr = dot(r, r, threads: threads)
        var iterations = 0
        while rr.squareRoot() >= goal && iterations < maximumIterations {
            multiply(p, into: q, threads: threads)
            let step = rz / dot(p, q, threads: threads)
            for i in 0..<n {
                solution[i] += step * p[i]
                r[i] -= step * q[i]
                z[i] = r[i] / degree[i]
            }
            let next = dot(r, z, threads: threads)
            let beta = next / rz
            rz = next
            for i in 0..<n { p[i] = z[i] + beta * p[i] }
            rr = dot(r, r, threads: threads)
            iterations += 1
        }
        x = solution.finish()
        let residual = rr.squareRoot()
        return SolveReport(iterations: iterations, relativeResidual: residual / normB, converged: residual < goal)
    }
}
