import Foundation
import MatteCore
import Testing
@testable import Trimaps

@Suite struct GlobalMotionTests {
    /// Smooth random texture of an odd size (rows that are no multiple of the sixteen-sample
    /// steps), so every candidate's sums run through both the vector part and the rest.
    func texture(width: Int, height: Int, seed: UInt64) -> ImageTensor {
        var state = seed
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24)
        }
        var image = ImageTensor(width: width, height: height, channels: 1)
        let waves = (0..<6).map { _ in (next() * 0.3, next() * 0.3, next() * 6) }
        for y in 0..<height {
            for x in 0..<width {
                var sum: Float = 0
                for (fx, fy, phase) in waves { sum += sin(fx * Float(x) + fy * Float(y) + phase) }
                image[0, y, x] = sum / 6 + 0.5
            }
        }
        return image
    }

    func moved(_ image: ImageTensor, dx: Int, dy: Int) -> ImageTensor {
        var result = image
        for y in 0..<image.height {
            for x in 0..<image.width {
                result[0, y, x] = image[0, min(image.height - 1, max(0, y - dy)), min(image.width - 1, max(0, x - dx))]
            }
        }
        return result
    }

    @Test(arguments: [(3, -2), (-7, 5), (0, 0), (11, 9)])
    func findsTheShiftOfThePictureAndOfARegion(shift: (Int, Int)) {
        let before = texture(width: 203, height: 141, seed: UInt64(1000 + shift.0 * 31 + shift.1))
        let after = moved(before, dx: shift.0, dy: shift.1)
        let whole = GlobalMotion.shift(from: before, to: after)
        #expect(whole.dx == shift.0 && whole.dy == shift.1, "whole picture: \(whole)")
        var disc = ImageTensor(width: before.width, height: before.height, channels: 1)
        for y in 0..<disc.height {
            for x in 0..<disc.width where (x - 90) * (x - 90) + (y - 70) * (y - 70) < 45 * 45 { disc[0, y, x] = 1 }
        }
        let region = GlobalMotion.shift(from: before, to: after, region: disc)
        #expect(region.dx == shift.0 && region.dy == shift.1, "disc: \(region)")
    }
    /// A search with a region only visits the rows and columns where the moved region has
    /// weight, and keeps the samples it visits where they were: rows on their stride from the
    /// first, columns in their sixteen-sample blocks from the first, the scalar tail whole.
    @Test func regionSearchesSkipOnlyRowsAndColumnsWithoutWeight() {
        var state: UInt64 = 99
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<2000 {
            let width = 40 + next(200), height = 20 + next(100), step = 1 + next(2)
            let top = next(height), left = next(width)
            let bounds = (rows: top..<top + 1 + next(height - top), columns: left..<left + 1 + next(width - left))
            let dx = next(41) - 20, dy = next(41) - 20
            let rows = max(0, dy)..<min(height, height + dy), columns = max(0, dx)..<min(width, width + dx)
            let (kept, keptColumns) = GlobalMotion.weighted(rows: rows, columns: columns, of: bounds, dx: dx, dy: dy, step: step)
            let span = 16 * step, blocksEnd = columns.lowerBound + columns.count / span * span
            for y in stride(from: rows.lowerBound, to: rows.upperBound, by: step) where bounds.rows.contains(y - dy) {
                #expect(kept.contains(y) && (y - kept.lowerBound) % step == 0, "row \(y)")
            }
            #expect(kept.isEmpty || (kept.lowerBound - rows.lowerBound) % step == 0)
            #expect(keptColumns.isEmpty || (keptColumns.lowerBound - columns.lowerBound) % span == 0)
            #expect(keptColumns.upperBound == columns.upperBound || (keptColumns.upperBound <= blocksEnd
                    && (keptColumns.upperBound - columns.lowerBound) % span == 0))
            for x in columns where bounds.columns.contains(x - dx) && !kept.isEmpty {
                #expect(keptColumns.contains(x), "column \(x)")
            }
        }
    }
}
