import MatteCore

/// Distance (in pixels, Euclidean up to a few percent: the 3-4 chamfer) from every pixel to
/// the nearest pixel that satisfies a condition, in two passes.
enum DistanceTransform {
    /// `isSeed(value, differsFromANeighbour)` picks the seed pixels.
    static func toNearest(in image: ImageTensor, isSeed: (Float, Bool) -> Bool) -> [Float] {
        let width = image.width, height = image.height
        let far = Float(width + height) * 4
        var d = [Float](repeating: far, count: width * height)
        let p = image.pixels
        for y in 0..<height {
            for x in 0..<width {
                let i = y * width + x, v = p[i]
                let differs = (x > 0 && p[i - 1] != v) || (x + 1 < width && p[i + 1] != v)
                    || (y > 0 && p[i - width] != v) || (y + 1 < height && p[i + width] != v)
                if isSeed(v, differs) { d[i] = 0 }
            }
        }
        guard width > 0, height > 0 else { return d }
        let straight: Float = 1, diagonal: Float = 4.0 / 3.0
        d.withUnsafeMutableBufferPointer { d in
            // Forward: from the left and the row above. The first row and column have fewer neighbours.
            for x in 1..<max(1, width) { d[x] = min(d[x], d[x - 1] + straight) }
            for y in 1..<max(1, height) {
                let row = y * width
                var best = min(d[row], d[row - width] + straight)
                if width > 1 { best = min(best, d[row - width + 1] + diagonal) }
                d[row] = best
                if width > 2 {
                    for i in row + 1..<row + width - 1 {
                        d[i] = min(min(min(min(d[i], d[i - 1] + straight), d[i - width] + straight),
                                       d[i - width - 1] + diagonal), d[i - width + 1] + diagonal)
                    }
                }
                if width > 1 {
                    let i = row + width - 1
                    d[i] = min(min(min(d[i], d[i - 1] + straight), d[i - width] + straight), d[i - width - 1] + diagonal)
                }
            }
            // Backward: from the right and the row below.
            let last = (height - 1) * width
            for x in stride(from: width - 2, through: 0, by: -1) { d[last + x] = min(d[last + x], d[last + x + 1] + straight) }
            for y in stride(from: height - 2, through: 0, by: -1) {
                let row = y * width
                var i = row + width - 1
                var best = min(d[i], d[i + width] + straight)
                if width > 1 { best = min(best, d[i + width - 1] + diagonal) }
                d[i] = best
                if width > 2 {
                    for i in stride(from: row + width - 2, to: row, by: -1) {
                        d[i] = min(min(min(min(d[i], d[i + 1] + straight), d[i + width] + straight),
                                       d[i + width + 1] + diagonal), d[i + width - 1] + diagonal)
                    }
                }
                if width > 1 {
                    i = row
                    d[i] = min(min(min(d[i], d[i + 1] + straight), d[i + width] + straight), d[i + width + 1] + diagonal)
                }
            }
        }
        return d
    }
}
