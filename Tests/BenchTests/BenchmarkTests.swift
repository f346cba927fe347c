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

    @Test func theClosedFormReportSplitsASolveIntoItsPhases() throws {
        // A disc of red on blue with a soft edge, its unknown band around the edge.
        let width = 48, height = 40
        var rgb = ImageTensor(width: width, height: height, channels: 3)
        var trimap = ImageTensor(width: width, height: height, channels: 1)
        for y in 0..<height {
            for x in 0..<width {
                let r = Double((x - 24) * (x - 24) + (y - 20) * (y - 20)).squareRoot()
                let alpha = Float(min(1, max(0, (14 - r) / 4)))
                rgb[0, y, x] = alpha
                rgb[2, y, x] = 1 - alpha
                trimap[0, y, x] = r < 9 ? TrimapValue.foreground : (r > 17 ? TrimapValue.background : TrimapValue.unknown)
            }
        }
        let report = try ClosedFormBenchmark.run(rgb: rgb, trimap: trimap, tolerance: 1e-5, repeats: 3, threads: 2)
        #expect(report["unknownPixels"] as? Int == trimap.pixels.filter { $0 == TrimapValue.unknown }.count)
        #expect((report["iterations"] as? Int ?? 0) > 0)
        for phase in ["secondsSystem", "secondsFactor", "secondsIterating"] {
            #expect((report[phase] as? Double).map { $0 > 0 } == true, "\(phase)")
        }
        let total = try #require(report["secondsPerSolve"] as? Double)
        #expect(total >= (report["secondsIterating"] as? Double ?? .infinity))
    }
}
