import Dispatch
import Foundation
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
    /// The candidates are scored side by side on the idle cores, then compared in order.
    private static func best(_ previous: ImageTensor, _ current: ImageTensor, around centre: (Int, Int), radius: Int,
                             step: Int = 1, region: ImageTensor? = nil) -> (dx: Int, dy: Int) {
        let width = current.width, height = current.height
        let inRegion: [UInt8]? = region.map { mask in mask.pixels.map { $0 >= 0.5 ? 1 : 0 } }
        let regionSize = inRegion.map { mask in mask.reduce(0) { $0 + Int($1) } } ?? 0
        let bounds = inRegion.map { Self.bounds(of: $0, width: width) }
        let side = 2 * radius + 1
        let candidates = (0..<side * side).map { (dx: centre.0 - radius + $0 % side, dy: centre.1 - radius + $0 / side) }
        var costs = [(cost: Float, count: Int)](repeating: (0, -1), count: candidates.count)
        let workers = min(candidates.count, 2 * ProcessInfo.processInfo.activeProcessorCount)
        // Without a region every sample counts: the weights are one row of ones, read from each row's first column.
        let weights = inRegion ?? [UInt8](repeating: 1, count: width + 32)
        costs.withUnsafeMutableBufferPointer { results in
            let results = UnsafeSendable(results)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for c in stride(from: worker, to: candidates.count, by: workers) {
                    let (dx, dy) = candidates[c]
                    let x0 = max(0, dx), x1 = min(width, width + dx), y0 = max(0, dy), y1 = min(height, height + dy)
                    if inRegion == nil { guard x1 - x0 >= width / 2, y1 - y0 >= height / 2 else { continue } }
                    var rows = y0..<y1, columns = x0..<x1
                    if let bounds {
                        (rows, columns) = Self.weighted(rows: rows, columns: columns, of: bounds, dx: dx, dy: dy, step: step)
                    }
                    results.value[c] = difference(previous.pixels, current.pixels, weights, weightsCoverPicture: inRegion != nil,
                                                  width: width, rows: rows, columns: columns, dx: dx, dy: dy, step: step)
                }
            }
        }
        var bestShift = centre, bestCost = Float.infinity
        for (c, (dx, dy)) in candidates.enumerated() {
            let (cost, count) = costs[c]
            guard count >= 0 else { continue }
            // Most of the region must stay in the picture.
            if inRegion != nil { guard count * step * step >= regionSize / 2, count > 0 else { continue } }
            let mean = cost / Float(max(1, count))
            if mean < bestCost - 1e-7 || (abs(mean - bestCost) <= 1e-7 && abs(dx) + abs(dy) < abs(bestShift.0) + abs(bestShift.1)) {
                bestCost = mean
                bestShift = (dx, dy)
            }
        }
        return (bestShift.0, bestShift.1)
    }

    /// The rows and columns of a mask that hold a set pixel (empty ranges for none).
    private static func bounds(of mask: [UInt8], width: Int) -> (rows: Range<Int>, columns: Range<Int>) {
        var top = Int.max, bottom = -1, left = Int.max, right = -1
        for (i, set) in mask.enumerated() where set != 0 {
            let y = i / width, x = i % width
            top = min(top, y); bottom = max(bottom, y); left = min(left, x); right = max(right, x)
        }
        return bottom < 0 ? (0..<0, 0..<0) : (top..<bottom + 1, left..<right + 1)
    }

    /// `rows` and `columns` cut to where the region moved by (dx, dy) has weight, without
    /// changing the samples and sums that remain: rows keep their stride, columns their
    /// sixteen-sample blocks, and the scalar tail is kept only when the region reaches it.
    static func weighted(rows: Range<Int>, columns: Range<Int>, of bounds: (rows: Range<Int>, columns: Range<Int>),
                                 dx: Int, dy: Int, step: Int) -> (Range<Int>, Range<Int>) {
        guard !bounds.rows.isEmpty else { return (rows.lowerBound..<rows.lowerBound, columns) }
        let span = 16 * step
        let top = rows.lowerBound + max(0, (bounds.rows.lowerBound + dy - rows.lowerBound) / step) * step
        let bottom = min(rows.upperBound, bounds.rows.upperBound + dy)
        let left = columns.lowerBound + max(0, (bounds.columns.lowerBound + dx - columns.lowerBound) / span) * span
        let blocksEnd = columns.lowerBound + (columns.count / span) * span
        let reach = columns.lowerBound + (max(0, bounds.columns.upperBound + dx - columns.lowerBound) + span - 1) / span * span
        let right = reach < blocksEnd ? reach : columns.upperBound
        return (top..<max(top, bottom), min(left, right)..<right)
    }

    /// Σ weight·|current − shifted previous| and the sum of the weights (0 or 1 each), over the
    /// given rows and columns: sixteen samples at a time (sums in sixteen lanes, added at the
    /// end), then the rest. `weights` cover `previous` pixel for pixel, or are one row.
    private static func difference(_ previous: [Float], _ current: [Float], _ weights: [UInt8], weightsCoverPicture: Bool,
                                   width: Int, rows: Range<Int>, columns: Range<Int>, dx: Int, dy: Int,
                                   step: Int) -> (cost: Float, count: Int) {
        precondition(step == 1 || step == 2)
        var lanes = SIMD16<Float>(), laneCounts = SIMD16<Float>()
        var cost: Float = 0, count = 0
        let span = 16 * step
        previous.withUnsafeBufferPointer { previous in
            current.withUnsafeBufferPointer { current in
                weights.withUnsafeBufferPointer { mask in
                    let p = UnsafeRawPointer(previous.baseAddress!), c = UnsafeRawPointer(current.baseAddress!)
                    let m = UnsafeRawPointer(mask.baseAddress!)
                    for y in stride(from: rows.lowerBound, to: rows.upperBound, by: step) {
                        let row = y * width, sourceRow = (y - dy) * width - dx
                        let maskRow = weightsCoverPicture ? sourceRow : -columns.lowerBound
                        var x = columns.lowerBound
                        while x + span <= columns.upperBound {
                            let here: SIMD16<Float>, there: SIMD16<Float>, weight: SIMD16<Float>
                            if step == 1 {
                                here = c.loadUnaligned(fromByteOffset: (row + x) * 4, as: SIMD16<Float>.self)
                                there = p.loadUnaligned(fromByteOffset: (sourceRow + x) * 4, as: SIMD16<Float>.self)
                                weight = SIMD16<Float>(m.loadUnaligned(fromByteOffset: maskRow + x, as: SIMD16<UInt8>.self))
                            } else {
                                here = c.loadUnaligned(fromByteOffset: (row + x) * 4, as: SIMD32<Float>.self).evenHalf
                                there = p.loadUnaligned(fromByteOffset: (sourceRow + x) * 4, as: SIMD32<Float>.self).evenHalf
                                weight = SIMD16<Float>(m.loadUnaligned(fromByteOffset: maskRow + x, as: SIMD32<UInt8>.self).evenHalf)
                            }
                            let difference = here - there
                            lanes += weight * difference.replacing(with: -difference, where: difference .< 0)
                            laneCounts += weight
                            x += span
                        }
                        while x < columns.upperBound {
                            let w = mask[maskRow + x]
                            cost += Float(w) * abs(current[row + x] - previous[sourceRow + x])
                            count += Int(w)
                            x += step
                        }
                    }
                }
            }
        }
        return (cost + lanes.sum(), count + Int(laneCounts.sum()))
    }
}

/// Hands a buffer to parallel workers that write disjoint elements.
private struct UnsafeSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
