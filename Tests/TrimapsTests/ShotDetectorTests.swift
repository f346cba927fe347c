import MatteCore
import Testing
import Trimaps

/// The scene-change detector on synthetic shots: a cut where the picture changes to another
/// scene, none for motion, a slow fade or noise within a shot.
@Suite struct ShotDetectorTests {
    /// A textured scene: stripes of two colours at `phase`, a moving square, lit by `gain`.
    static func scene(_ colours: ([Float], [Float]), phase: Int, square: Int, gain: Float = 1, noise: UInt64 = 0,
                      width: Int = 96, height: Int = 64) -> ImageTensor {
        var image = ImageTensor(width: width, height: height, channels: 3)
        let n = width * height
        var state = noise &+ 0x9E37_79B9
        for y in 0..<height {
            for x in 0..<width {
                let stripe = ((x + phase) / 8 + y / 8) % 2 == 0
                let inSquare = x >= square && x < square + 20 && y >= 20 && y < 40
                var jitter: Float = 0
                if noise != 0 {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    jitter = (Float(state >> 40) / Float(1 << 24) - 0.5) * 0.06
                }
                for c in 0..<3 {
                    let base = inSquare ? 1 - colours.0[c] : (stripe ? colours.0[c] : colours.1[c])
                    image.pixels[c * n + y * width + x] = min(1, max(0, base * gain + jitter))
                }
            }
        }
        return image
    }

    static let warm: ([Float], [Float]) = ([0.8, 0.5, 0.2], [0.6, 0.3, 0.1])
    static let cold: ([Float], [Float]) = ([0.1, 0.3, 0.7], [0.2, 0.5, 0.9])

    @Test func findsTheCutAndNothingWithinEitherShot() {
        let frames = (0..<20).map { t in Self.scene(Self.warm, phase: 2 * t, square: 10 + 3 * t, noise: UInt64(t + 1)) }
            + (0..<15).map { t in Self.scene(Self.cold, phase: 50 - t, square: 60 - 2 * t, noise: UInt64(t + 100)) }
        var detector = ShotDetector()
        for frame in frames { detector.add(frame) }
        #expect(detector.cuts == [20])
        #expect(detector.shotList == ShotList(cuts: [20], frameCount: 35))
        let within = detector.scores.enumerated().filter { $0.offset != 20 }.map(\.element).max()!
        print("synthetic: cut score \(detector.scores[20]), largest within a shot \(within)")
        #expect(detector.scores[20] >= 2 * ShotDetector.defaultThreshold && within < ShotDetector.defaultThreshold / 2)
        // Above the cut's score, no cut.
        var strict = ShotDetector(threshold: detector.scores[20] + 1)
        for frame in frames { strict.add(frame) }
        #expect(strict.cuts.isEmpty)
    }

    @Test func aFadeAndAStillPictureAreOneShot() {
        var detector = ShotDetector()
        for t in 0..<30 { detector.add(Self.scene(Self.warm, phase: 0, square: 30, gain: 1 - 0.02 * Float(t))) }
        for _ in 0..<5 { detector.add(Self.scene(Self.warm, phase: 0, square: 30, gain: 0.4)) }
        #expect(detector.cuts.isEmpty, "scores \(detector.scores)")
        #expect(detector.scores.first == 0 && detector.scores.last == 0)
    }

    @Test func scoresAreSymmetricAndSizeIndependent() {
        let a = Self.scene(Self.warm, phase: 0, square: 10), b = Self.scene(Self.cold, phase: 4, square: 40)
        #expect(abs(ShotDetector.score(a, b) - ShotDetector.score(b, a)) < 1e-9)
        #expect(ShotDetector.score(a, a) == 0)
        let small = ShotDetector.score(Self.scene(Self.warm, phase: 0, square: 5, width: 48, height: 32),
                                       Self.scene(Self.cold, phase: 2, square: 20, width: 48, height: 32))
        #expect(small >= ShotDetector.defaultThreshold)
        // Tiny pictures (smaller than the 64×36 grid) and grey ones score too.
        let tinyA = ImageTensor(width: 8, height: 6, channels: 1, pixels: [Float](repeating: 0.1, count: 48))
        let tinyB = ImageTensor(width: 8, height: 6, channels: 1, pixels: [Float](repeating: 0.9, count: 48))
        #expect(ShotDetector.score(tinyA, tinyB) > 50)
    }
}
