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
}
