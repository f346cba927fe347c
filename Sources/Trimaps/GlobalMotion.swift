import MatteCore

/// The dominant translation between two frames — of the whole picture, or of one region of
/// the first (the matted object) — found by block matching on a coarse grey copy and refined
/// at full resolution: enough to carry a trimap along a pan, a drift or a subject's move.
public enum GlobalMotion {
    /// The mean of the three colour planes (or the plane itself for one channel).
    public static func grey(_ image: ImageTensor) -> ImageTensor {
        guard image.channels == 3 else { return image.plane(0) }
        var grey = ImageTensor(width: image.width, height: image.height, channels: 1)
        let n = image.planeSize
        for i in 0..<n { grey.pixels[i] = (image.pixels[i] + image.pixels[n + i] + image.pixels[2 * n + i]) / 3 }
        return grey
    }

    /// The shift (dx, dy) that best maps `previous` onto `current` (current(x, y) ≈ previous(x - dx, y - dy)),
    /// searched up to `range` pixels from `expected`.
    /// With `region` (one plane over `previous`, set where ≥ 0.5) only the pixels of that
    /// region are matched: the object's own move, not the background's.
    public static func shift(from previous: ImageTensor, to current: ImageTensor, range: Int = 32,
                             region: ImageTensor? = nil, expected: (dx: Int, dy: Int) = (0, 0)) -> (dx: Int, dy: Int) {
        precondition(previous.width == current.width && previous.height == current.height)
        let factor = 4
        let smallPrevious = downscale(previous, by: factor), smallCurrent = downscale(current, by: factor)
        let smallRegion = region.map { downscale($0, by: factor) }
        let start = (expected.dx / factor, expected.dy / factor)
        let coarse = best(smallPrevious, smallCurrent, around: start, radius: max(1, range / factor), region: smallRegion)
        return best(previous, current, around: (coarse.dx * factor, coarse.dy * factor), radius: factor, step: 2, region: region)
    }

    private static func downscale(_ image: ImageTensor, by factor: Int) -> ImageTensor {
        let width = max(1, image.width / factor), height = max(1, image.height / factor)
        var small = ImageTensor(width: width, height: height, channels: 1)
        for y in 0..<height {
            for x in 0..<width {
                var sum: Float = 0
                for dy in 0..<factor { for dx in 0..<factor { sum += image.pixels[(y * factor + dy) * image.width + x * factor + dx] } }
                small.pixels[y * width + x] = sum / Float(factor * factor)
            }
        }
        return small
    }

    /// Mean absolute difference over the overlap (within `region` when given) for each
    /// candidate shift; the smallest wins (ties: the smaller shift). `step` samples every n-th pixel.
    private static func best(_ previous: ImageTensor, _ current: ImageTensor, around centre: (Int, Int), radius: Int,
                             step: Int = 1, region: ImageTensor? = nil) -> (dx: Int, dy: Int) {
        let width = current.width, height = current.height
        let regionSize = region.map { mask in mask.pixels.reduce(0) { $0 + ($1 >= 0.5 ? 1 : 0) } } ?? 0
        var bestShift = centre, bestCost = Float.infinity
        for dy in (centre.1 - radius)...(centre.1 + radius) {
            for dx in (centre.0 - radius)...(centre.0 + radius) {
                let x0 = max(0, dx), x1 = min(width, width + dx), y0 = max(0, dy), y1 = min(height, height + dy)
                if region == nil { guard x1 - x0 >= width / 2, y1 - y0 >= height / 2 else { continue } }
                var cost: Float = 0, count = 0
                for y in stride(from: y0, to: y1, by: step) {
                    let row = y * width, sourceRow = (y - dy) * width - dx
                    for x in stride(from: x0, to: x1, by: step) {
                        if let region, region.pixels[sourceRow + x] < 0.5 { continue }
                        cost += abs(current.pixels[row + x] - previous.pixels[sourceRow + x])
                        count += 1
                    }
                }
                // Most of the region must stay in the picture.
                if region != nil { guard count * step * step >= regionSize / 2, count > 0 else { continue } }
                let mean = cost / Float(max(1, count))
                if mean < bestCost - 1e-7 || (abs(mean - bestCost) <= 1e-7 && abs(dx) + abs(dy) < abs(bestShift.0) + abs(bestShift.1)) {
                    bestCost = mean
                    bestShift = (dx, dy)
                }
            }
        }
        return (bestShift.0, bestShift.1)
    }
}
