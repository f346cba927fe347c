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
        let straight: Float = 1, diagonal: Float = 4.0 / 3.0
        for y in 0..<height {
            for x in 0..<width {
                let i = y * width + x
                var best = d[i]
                if x > 0 { best = min(best, d[i - 1] + straight) }
                if y > 0 {
                    best = min(best, d[i - width] + straight)
                    if x > 0 { best = min(best, d[i - width - 1] + diagonal) }
                    if x + 1 < width { best = min(best, d[i - width + 1] + diagonal) }
                }
                d[i] = best
            }
        }
        for y in stride(from: height - 1, through: 0, by: -1) {
            for x in stride(from: width - 1, through: 0, by: -1) {
                let i = y * width + x
                var best = d[i]
                if x + 1 < width { best = min(best, d[i + 1] + straight) }
                if y + 1 < height {
                    best = min(best, d[i + width] + straight)
                    if x + 1 < width { best = min(best, d[i + width + 1] + diagonal) }
                    if x > 0 { best = min(best, d[i + width - 1] + diagonal) }
                }
                d[i] = best
            }
        }
        return d
    }
}
