import MatteCore
import Testing
@testable import Trimaps

@Suite struct DistanceTransformTests {
    /// The 3-4 chamfer distance by brute force: the cheapest path of straight (1) and diagonal
    /// (4/3) steps from any seed, relaxed until nothing changes.
    func reference(seeds: [Bool], width: Int, height: Int) -> [Float] {
        var d = seeds.map { $0 ? Float(0) : Float(width + height) * 4 }
        let steps: [(Int, Int, Float)] = [(-1, 0, 1), (1, 0, 1), (0, -1, 1), (0, 1, 1),
                                          (-1, -1, 4.0 / 3.0), (1, -1, 4.0 / 3.0), (-1, 1, 4.0 / 3.0), (1, 1, 4.0 / 3.0)]
        var changed = true
        while changed {
            changed = false
            for y in 0..<height {
                for x in 0..<width {
                    for (dx, dy, cost) in steps {
                        let nx = x + dx, ny = y + dy
                        guard nx >= 0, nx < width, ny >= 0, ny < height else { continue }
                        let candidate = d[ny * width + nx] + cost
                        if candidate < d[y * width + x] - 1e-5 {
                            d[y * width + x] = candidate
                            changed = true
                        }
                    }
                }
            }
        }
        return d
    }

    @Test(arguments: [(1, 1), (1, 7), (7, 1), (2, 2), (2, 5), (5, 2), (13, 9), (31, 17)])
    func twoPassesMatchTheCheapestPaths(size: (Int, Int)) {
        let (width, height) = size
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5 {
            var image = ImageTensor(width: width, height: height, channels: 1)
            for i in image.pixels.indices where Int.random(in: 0..<9, using: &generator) == 0 { image.pixels[i] = 1 }
            let distance = DistanceTransform.toNearest(in: image) { value, _ in value == 1 }
            let expected = reference(seeds: image.pixels.map { $0 == 1 }, width: width, height: height)
            for i in expected.indices { #expect(abs(distance[i] - expected[i]) < 1e-4, "pixel \(i) of \(width)x\(height)") }
        }
    }

    /// With a reach, the passes run around the seeds only: every distance up to the reach is
    /// the whole picture's, bit for bit, and every other one lies beyond it.
    @Test(arguments: [Float(0.5), 2, 6, 12])
    func aReachKeepsEveryDistanceUpToIt(reach: Float) {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let width = Int.random(in: 1...60, using: &generator), height = Int.random(in: 1...40, using: &generator)
            var image = ImageTensor(width: width, height: height, channels: 1)
            let x0 = Int.random(in: 0..<width, using: &generator), y0 = Int.random(in: 0..<height, using: &generator)
            for y in y0..<min(height, y0 + 6) {
                for x in x0..<min(width, x0 + 9) where Int.random(in: 0..<3, using: &generator) == 0 { image.pixels[y * width + x] = 1 }
            }
            let whole = DistanceTransform.toNearest(in: image) { value, _ in value == 1 }
            let near = DistanceTransform.toNearest(in: image, reach: reach) { value, _ in value == 1 }
            for i in whole.indices {
                if whole[i] <= reach {
                    #expect(near[i] == whole[i], "pixel \(i) of \(width)x\(height): \(near[i]) against \(whole[i])")
                } else {
                    #expect(near[i] > reach, "pixel \(i) of \(width)x\(height)")
                }
            }
        }
    }

    @Test func anEmptyPictureHasNoDistances() {
        #expect(DistanceTransform.toNearest(in: ImageTensor(width: 0, height: 4, channels: 1)) { _, _ in true }.isEmpty)
    }
}
