import Decode
import Foundation
import MatteCore
import Testing

/// A synthetic green-screen shot with known truth: a foreground with real soft alpha (the
/// alphamatting GT09 image and matte when ../shared is there, else a procedural soft shape),
/// spill added to its edges, composited over a noisy green screen.
struct GreenScreenScene {
    var foreground: ImageTensor
    var alpha: ImageTensor
    /// The shot: αF_spilled + (1−α)·screen.
    var shot: ImageTensor
    /// Soft pixels (0 < α < 1) and opaque pixels within 3 px of them.
    var band: [Bool]

    static let sharedFolder: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.deletingLastPathComponent().appendingPathComponent("shared/data/alphamatting").path
    }()

    static let gt09Image = sharedFolder + "/image/GT09.png", gt09Matte = sharedFolder + "/alpha/GT09.png"

    /// True when ../shared holds GT09 (a user's clone has no shared data; the procedural scene runs anyway).
    static let hasAlphamatting = FileManager.default.fileExists(atPath: gt09Image) && FileManager.default.fileExists(atPath: gt09Matte)
    static let noAlphamattingReason: Comment = "../shared/data/alphamatting is absent (a user's clone has no shared data)"

    /// GT09 as the foreground (the image as F, its true matte as α).
    static func alphamatting() throws -> GreenScreenScene {
        build(foreground: try readImage(gt09Image), alpha: try readImage(gt09Matte, planes: .grey))
    }

    /// A disc with a wavy, soft (hair-like) edge over colourful foreground gradients.
    static func procedural(width: Int, height: Int) -> GreenScreenScene {
        var f = ImageTensor(width: width, height: height, channels: 3)
        var a = ImageTensor(width: width, height: height, channels: 1)
        let cx = Double(width) / 2, cy = Double(height) / 2, radius = Double(min(width, height)) / 3
        for y in 0..<height {
            for x in 0..<width {
                let dx = Double(x) - cx, dy = Double(y) - cy
                let angle = atan2(dy, dx), distance = (dx * dx + dy * dy).squareRoot()
                let edge = radius + 6 * sin(angle * 9) + 3 * sin(angle * 31)
                a[0, y, x] = Float(min(1, max(0, (edge - distance) / 14 + 0.5)))
                f[0, y, x] = Float(0.55 + 0.35 * sin(Double(x) / 23))
                f[1, y, x] = Float(0.35 + 0.2 * cos(Double(y) / 17))
                f[2, y, x] = Float(0.3 + 0.25 * sin(Double(x + y) / 29))
            }
        }
        return build(foreground: f, alpha: a)
    }

    static func build(foreground: ImageTensor, alpha: ImageTensor) -> GreenScreenScene {
        let w = alpha.width, h = alpha.height, n = w * h
        let soft = alpha.pixels.map { $0 > 0 && $0 < 1 }
        var band = soft
        for y in 0..<h {
            for x in 0..<w where soft[y * w + x] {
                for yy in max(0, y - 3)...min(h - 1, y + 3) {
                    for xx in max(0, x - 3)...min(w - 1, x + 3) { band[yy * w + xx] = true }
                }
            }
        }
        var shot = ImageTensor(width: w, height: h, channels: 3)
        var seed: UInt64 = 0x5EED
        let screen: [Float] = [0.12, 0.75, 0.18]
        for i in 0..<n {
            let a = alpha.pixels[i]
            let spill: Float = soft[i] ? 0.3 : (band[i] ? 0.15 : 0)
            for c in 0..<3 {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                let noise = Float(seed >> 40) / Float(1 << 24) * 0.06 - 0.03
                var fc = foreground.pixels[c * n + i]
                if c == 1 { fc = min(1, fc + spill) }
                shot.pixels[c * n + i] = min(1, max(0, a * fc + (1 - a) * (screen[c] + noise)))
            }
        }
        return GreenScreenScene(foreground: foreground, alpha: alpha, shot: shot, band: band)
    }

    /// A warm gradient with no green excess anywhere, to composite onto.
    static func newBackground(width: Int, height: Int) -> ImageTensor {
        var b = ImageTensor(width: width, height: height, channels: 3)
        for y in 0..<height {
            for x in 0..<width {
                let u = Float(x) / Float(max(1, width - 1)), v = Float(y) / Float(max(1, height - 1))
                b[0, y, x] = 0.3 + 0.5 * u
                b[1, y, x] = 0.2 + 0.2 * v
                b[2, y, x] = 0.5 - 0.3 * u
            }
        }
        return b
    }

    /// PSNR (peak 1) of `a` against `b` over the band's pixels, all three channels.
    func bandPSNR(_ a: ImageTensor, _ b: ImageTensor) -> Double {
        let n = alpha.planeSize
        var sum = 0.0, count = 0
        for i in 0..<n where band[i] {
            for c in 0..<3 {
                let d = Double(a.pixels[c * n + i] - b.pixels[c * n + i])
                sum += d * d
            }
            count += 3
        }
        return 10 * log10(1 / max(sum / Double(count), 1e-12))
    }

    /// Mean over the band of the positive part of G − max(R, B).
    func bandGreenExcess(_ image: ImageTensor) -> Double {
        let n = alpha.planeSize
        var sum = 0.0, count = 0
        for i in 0..<n where band[i] {
            let p = image.pixels
            sum += Double(max(0, p[n + i] - max(p[i], p[2 * n + i])))
            count += 1
        }
        return sum / Double(max(1, count))
    }
}
