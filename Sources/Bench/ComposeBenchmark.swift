import Compose
import Foundation
import MatteCore

/// Times the compositing stages on a synthetic green-screen frame with a soft edge: keyed
/// trimap, foreground estimation, despill, background placement and the composite itself.
public struct ComposeBenchmark {
    public var width: Int
    public var height: Int
    /// Runs per stage; the report gives the mean.
    public var repeats: Int

    public init(width: Int, height: Int, repeats: Int) {
        self.width = width
        self.height = height
        self.repeats = repeats
    }

    /// Seconds per run of each stage, and the frame's size and soft pixels.
    public func run() -> [String: Any] {
        let (image, alpha) = SyntheticFrame.greenScreen(width: width, height: height)
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
        return report
    }
}
