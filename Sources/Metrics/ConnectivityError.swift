import MatteCore

/// The connectivity error of the benchmark's `compute_connectivity_error` (threshold step 0.1):
/// how far each pixel is from being connected to the main opaque body, compared between alphas.
public enum ConnectivityError {
    /// The step of the thresholds 0, 0.1, …, 1 (threshold i is i/10 rounded to the nearest double).
    public static let steps = 10

    public static func error(pred: ImageTensor, gt: ImageTensor, region: EvaluationRegion) -> Double {
        MattingMetrics.check(pred, gt, region)
        let width = gt.width, height = gt.height, count = width * height
        let p = pred.pixels, g = gt.pixels
        // level = the last threshold at which the pixel still belonged to the largest common
        // component (-1 while it still does); the MATLAB code's l_map.
        var level = [Double](repeating: -1, count: count)
        var mask = [Bool](repeating: false, count: count)
        var unassigned = count
        for i in 1...steps where unassigned > 0 {
            let threshold = Double(i) / Double(steps), previous = Double(i - 1) / Double(steps)
            for k in 0..<count { mask[k] = Double(p[k]) >= threshold && Double(g[k]) >= threshold }
            let omega = largestComponent(mask, width: width, height: height)
            for k in 0..<count where level[k] == -1 && !omega[k] {
                level[k] = previous
                unassigned -= 1
            }
        }
        func phi(_ alpha: Float, _ level: Double) -> Double {
            let d = Double(alpha) - level
            return 1 - (d >= 0.15 ? d : 0)
        }
        return region.sum { k in
            let l = level[k] == -1 ? 1 : level[k]
            return abs(phi(p[k], l) - phi(g[k], l))
        } / 1000
    }

    /// The largest 4-connected component of `mask` (row-major), by union-find. Of several
    /// components of the largest size, the one MATLAB's `bwconncomp` lists first wins: the one
    /// whose first pixel in column-major order comes first. An empty mask gives an empty result.
    public static func largestComponent(_ mask: [Bool], width: Int, height: Int) -> [Bool] {
        let count = width * height
        var parent = [Int32](repeating: -1, count: count)
        var result = [Bool](repeating: false, count: count)
        parent.withUnsafeMutableBufferPointer { parent in
            func find(_ start: Int32) -> Int32 {
                var node = start
                while parent[Int(node)] != node {
                    let up = parent[Int(node)]
                    parent[Int(node)] = parent[Int(up)]
                    node = up
                }
                return node
            }
            func union(_ a: Int32, _ b: Int32) {
                let ra = find(a), rb = find(b)
                if ra < rb { parent[Int(rb)] = ra } else if rb < ra { parent[Int(ra)] = rb }
            }
            for y in 0..<height {
                for x in 0..<width {
                    let k = y * width + x
                    guard mask[k] else { continue }
                    parent[k] = Int32(k)
                    if x > 0 && mask[k - 1] { union(Int32(k), Int32(k - 1)) }
                    if y > 0 && mask[k - width] { union(Int32(k), Int32(k - width)) }
                }
            }
            // Roots are each component's smallest row-major index; flatten, then measure.
            var size = [Int32](repeating: 0, count: count)
            var firstColumnMajor = [Int](repeating: Int.max, count: count)
            for y in 0..<height {
                for x in 0..<width {
                    let k = y * width + x
                    guard mask[k] else { continue }
                    let root = Int(parent[Int(parent[k])])
                    parent[k] = Int32(root)
                    size[root] += 1
                    firstColumnMajor[root] = min(firstColumnMajor[root], x * height + y)
                }
            }
            var best = -1
            for k in 0..<count where mask[k] && parent[k] == Int32(k) {
                if best < 0 || size[k] > size[best] || (size[k] == size[best] && firstColumnMajor[k] < firstColumnMajor[best]) {
                    best = k
                }
            }
            guard best >= 0 else { return }
            for k in 0..<count where mask[k] && parent[k] == Int32(best) { result[k] = true }
        }
        return result
    }
}
