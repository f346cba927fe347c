import Bench
import Engine
import Foundation
import MatteCore
import Testing

/// The benchmarks' inputs are what they say, and their reports count what they ran.
@Suite struct BenchmarkTests {
    static let goldenWeights = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("EngineTests/Golden/golden_weights.safetensors").path

    @Test func theRingTrimapsUnknownBandCoversAboutTheFractionAskedFor() {
        for fraction in [0.05, 0.10, 0.25] {
            let trimap = SyntheticFrame.ringTrimap(width: 320, height: 180, unknownFraction: fraction)
            let unknown = Double(trimap.pixels.filter { $0 == TrimapValue.unknown }.count) / Double(trimap.pixels.count)
            // The band is measured along the ellipse's shorter radius, so it runs a little wide on a 16:9 frame.
            #expect(unknown >= fraction && unknown < 1.25 * fraction, "unknown \(unknown) for \(fraction)")
            #expect(trimap.pixels.contains(TrimapValue.foreground) && trimap.pixels.contains(TrimapValue.background))
        }
    }

    @Test func aWholeFrameRunCountsTheNetworksMultiplyAddsAtThePaddedSize() throws {
        let network = try MattingNetwork(path: Self.goldenWeights)
        var benchmark = EngineBenchmark(network: network)
        benchmark.repeats = 1
        let report = try benchmark.measure(width: 90, height: 60, tiles: nil)
        #expect(report["case"] as? String == "whole" && report["unknownFraction"] as? Double == 1)
        #expect(report["multiplyAdds"] as? Int == network.multiplyAdds(height: 64, width: 96))
        #expect(report["tilesRun"] as? Int == 1)
    }

    @Test func theComposeReportTimesEveryStage() {
        let report = ComposeBenchmark(width: 64, height: 48, repeats: 1).run()
        for stage in ["screenKeyTrimap", "foregroundEstimation", "despill", "backgroundFill1280x720", "composite", "compositeLinearLight"] {
            #expect((report[stage + "Seconds"] as? Double).map { $0 >= 0 } == true, "\(stage)")
        }
        #expect((report["softPixels"] as? Int ?? 0) > 0)
    }
}
