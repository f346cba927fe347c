import ArgumentParser
import Compose
import Foundation
import MatteCore

/// Times the compositing stages on a synthetic green-screen frame with a soft edge: keyed
/// trimap, foreground estimation, despill, background placement and the composite itself.
struct ComposeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compose", abstract: "Compositing speed per stage on a synthetic frame (default 1920x1080).")

    @Option(help: "Frame width.")
    var width = 1920

    @Option(help: "Frame height.")
    var height = 1080

    @Option(help: "Runs per stage; the report gives the mean.")
    var repeats = 5

    func run() throws {
        guard width > 0, height > 0, repeats > 0 else { throw ValidationError("--width, --height and --repeats must be positive") }
        let (image, alpha) = syntheticFrame()
        let still = ImageTensor(width: 1280, height: 720, channels: 3, fill: 0.4)
        var foreground = image
        var background = image
        let timings: [(String, () -> Void)] = [
            ("screenKeyTrimap", { _ = ScreenKey(screen: .auto).trimap(for: image) }),
            ("foregroundEstimation", { foreground = ForegroundEstimation().foreground(image: image, alpha: alpha) }),
            ("despill", { var f = foreground; Despill(screen: .green).apply(to: &f) }),
            ("backgroundFill1280x720", { background = BackgroundFit.fill.place(still, width: width, height: height) }),
            ("composite", { _ = Compositor().composite(foreground: foreground, alpha: alpha, background: background) }),
            ("compositeLinearLight", { _ = Compositor(linearLight: true).composite(foreground: foreground, alpha: alpha, background: background) }),
        ]
        var report: [String: Any] = ["width": width, "height": height, "repeats": repeats,
                                     "softPixels": alpha.pixels.filter { $0 > 0 && $0 < 1 }.count]
        for (name, stage) in timings {
            stage()  // warm-up: first touches of fresh memory are not the stage's cost
            let start = Date()
            for _ in 0..<repeats { stage() }
            report[name + "Seconds"] = Date().timeIntervalSince(start) / Double(repeats)
        }
        let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// A colourful subject with a wavy, 10–20 px soft edge over a green screen.
    private func syntheticFrame() -> (ImageTensor, ImageTensor) {
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
