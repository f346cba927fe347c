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
        var omega = mask
        var labeller = ComponentLabeller(count: count)
        var unassigned = count
        for i in 1...steps where unassigned > 0 {
            let threshold = Double(i) / Double(steps), previous = Double(i - 1) / Double(steps)
            p.withUnsafeBufferPointer { p in
                g.withUnsafeBufferPointer { g in
                    mask.withUnsafeMutableBufferPointer { mask in
                        for k in 0..<count { mask[k] = Double(p[k]) >= threshold && Double(g[k]) >= threshold }
                    }
                }
            }
            labeller.largest(mask, width: width, height: height, into: &omega)
            level.withUnsafeMutableBufferPointer { level in
                omega.withUnsafeBufferPointer { omega in
                    for k in 0..<count where level[k] == -1 && !omega[k] {
                        level[k] = previous
                        unassigned -= 1
                    }
                }
            }
        }
        func phi(_ alpha: Float, _ level: Double) -> Double {
            let d = Double(alpha) - level
            return 1 - (d >= 0.15 ? d : 0)
        }
        return level.withUnsafeBufferPointer { level in
            region.sum { k in
                let l = level[k] == -1 ? 1 : level[k]
                return abs(phi(p[k], l) - phi(g[k], l))
            }
        } / 1000
    }

    /// The largest 4-connected component of `mask` (row-major), by union-find. Of several
    /// components of the largest size, the one MATLAB's `bwconncomp` lists first wins: the one
    /// whose first pixel in column-major order comes first. An empty mask gives an empty result.
    public static func largestComponent(_ mask: [Bool], width: Int, height: Int) -> [Bool] {
        var labeller = ComponentLabeller(count: width * height)
        var result = [Bool](repeating: false, count: width * height)
        labeller.largest(mask, width: width, height: height, into: &result)
        return result
    }
}

/// Union-find storage reused across thresholds, so a 1080p frame does not allocate per threshold.
struct ComponentLabeller {
    private var parent: [Int32]
    private var size: [Int32]

    init(count: Int) {
        parent = [Int32](repeating: 0, count: count)
        size = [Int32](repeating: 0, count: count)
    }

    /// Writes the largest component of `mask` into `result` (see `ConnectivityError.largestComponent`).
    mutating func largest(_ mask: [Bool], width: Int, height: Int, into result: inout [Bool]) {
        let count = width * height
        parent.withUnsafeMutableBufferPointer { parent in
            size.withUnsafeMutableBufferPointer { size in
                func find(_ start: Int32) -> Int32 {
                    var node = start
                    while parent[Int(node)] != node {
                        let up = parent[Int(node)]
                        parent[Int(node)] = parent[Int(up)]
                        node = up
                    }
                    return node
                }
                // Roots stay the smallest row-major index of their component.
                func union(_ a: Int32, _ b: Int32) {
                    let ra = find(a), rb = find(b)
                    if ra < rb { parent[Int(rb)] = ra } else if rb < ra { parent[Int(ra)] = rb }
                }
                for y in 0..<height {
                    for x in 0..<width {
                        let k = y * width + x
                        guard mask[k] else { continue }
                        parent[k] = Int32(k)
                        size[k] = 0
                        if x > 0 && mask[k - 1] { union(Int32(k), Int32(k - 1)) }
                        if y > 0 && mask[k - width] { union(Int32(k), Int32(k - width)) }
                    }
                }
                // Every parent index is below its child, so one ascending pass flattens the trees.
                var largest: Int32 = 0, best = -1, ties = 0
                for k in 0..<count where mask[k] {
                    let root = parent[Int(parent[k])]
                    parent[k] = root
                    size[Int(root)] += 1
                    let s = size[Int(root)]
                    if s > largest { largest = s; best = Int(root); ties = 1 } else if s == largest && Int(root) != best { ties += 1 }
                }
                guard best >= 0 else {
                    for k in 0..<count { result[k] = false }
                    return
                }
                if ties > 1 {
                    // Possibly several components of the largest size: the first met column by column wins.
                    search: for x in 0..<width {
                        for y in 0..<height where mask[y * width + x] && size[Int(parent[y * width + x])] == largest {
                            best = Int(parent[y * width + x])
                            break search
                        }
                    }
                }
                for k in 0..<count { result[k] = mask[k] && parent[k] == Int32(best) }
            }
        }
    }
}
