import Foundation
import MatteCore

/// Deterministic test pictures for benchmarks.
public enum SyntheticFrame {
    /// Smooth, different waves in each channel.
    public static func colours(width: Int, height: Int) -> ImageTensor {
        var image = ImageTensor(width: width, height: height, channels: 3)
        for c in 0..<3 {
            for y in 0..<height {
                for x in 0..<width {
                    image[c, y, x] = 0.5 + 0.45 * Float(sin(Double(x * (c + 1)) / 37 + Double(y) / 23 + Double(c)))
                }
            }
        }
        return image
    }

    /// Foreground inside an ellipse, background outside, and an unknown ring between them
    /// covering about `unknownFraction` of the frame.
    public static func ringTrimap(width: Int, height: Int, unknownFraction: Double) -> ImageTensor {
        var trimap = ImageTensor(width: width, height: height, channels: 1)
        let rx = 0.3 * Double(width), ry = 0.35 * Double(height)
        let perimeter = Double.pi * (3 * (rx + ry) - ((3 * rx + ry) * (rx + 3 * ry)).squareRoot())
        let bandWidth = unknownFraction * Double(width * height) / perimeter
        for y in 0..<height {
            for x in 0..<width {
                let dx = (Double(x) - Double(width) / 2) / rx, dy = (Double(y) - Double(height) / 2) / ry
                let distance = ((dx * dx + dy * dy).squareRoot() - 1) * min(rx, ry)
                trimap[0, y, x] = abs(distance) <= bandWidth / 2 ? TrimapValue.unknown : (distance < 0 ? TrimapValue.foreground : TrimapValue.background)
            }
        }
        return trimap
    }

    /// A colourful subject with a wavy, 10–20 px soft edge over a green screen.
    public static func greenScreen(width: Int, height: Int) -> (image: ImageTensor, alpha: ImageTensor) {
        var image = ImageTensor(width: width, height: height, channels: 3)
        var alpha = ImageTensor(width: width, height: height, channels: 1)
        let cx = Double(width) / 2, cy = Double(height) / 2, radius = Double(min(width, height)) / 3
        for y in 0..<height {
            for x in 0..<width {
                let dx = Double(x) - cx, dy = Double(y) - cy
                let angle = atan2(dy, dx), distance = (dx * dx + dy * dy).squareRoot()
                let a = Float(min(1, max(0, (radius + 8 * sin(angle * 23) - distance) / 16 + 0.5)))
                alpha[0, y, x] = a
                let f: [Float] = [Float(0.6 + 0.3 * sin(Double(x) / 40)), 0.35, Float(0.4 + 0.2 * cos(Double(y) / 30))]
                let screen: [Float] = [0.1, 0.75, 0.15]
                for c in 0..<3 { image[c, y, x] = a * f[c] + (1 - a) * screen[c] }
            }
        }
        return (image, alpha)
    }
}
