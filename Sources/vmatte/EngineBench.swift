import ArgumentParser
import Bench
import Engine
import Foundation

/// `vmatte bench engine`: the matting network's speed on synthetic frames (see `EngineBenchmark`).
struct EngineBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine", abstract: "Matting network speed: seconds per frame, GFLOPS, OpenBLAS kernel, memory.")

    @Option(help: "Weights file (safetensors).")
    var model: String

    @Option(help: "Whole-frame sizes, WxH (repeatable).")
    var whole: [String] = ["320x320", "1280x720"]

    @Option(help: "Tiled sizes, WxH (repeatable), with an unknown band of --band of the frame.")
    var tiled: [String] = ["1280x720"]

    @Option(help: "Whole-frame sizes, WxH (repeatable), with an unknown band of --band: the refinement on the band and on the whole frame, same run.")
    var banded: [String] = []

    @Option(help: "Fraction of the frame in the trimap's unknown band for tiled and banded runs.")
    var band: Double = 0.10

    @Option(help: "Timed runs per case (after one warm-up); the median is reported.")
    var repeats: Int = 3

    @Option(help: "OpenBLAS threads; 0 = all cores.")
    var threads: Int = 0

    func run() throws {
        BLASRuntime.setThreadCount(threads == 0 ? ProcessInfo.processInfo.activeProcessorCount : threads)
        var benchmark = EngineBenchmark(network: try MattingNetwork(path: model))
        benchmark.band = band
        benchmark.repeats = repeats
        for size in whole {
            let (width, height) = try dimensions(size)
            try BenchReport.print(benchmark.measure(width: width, height: height, tiles: nil))
        }
        for size in tiled {
            let (width, height) = try dimensions(size)
            try BenchReport.print(benchmark.measure(width: width, height: height, tiles: .standard))
        }
        for size in banded {
            let (width, height) = try dimensions(size)
            for refined in [MattingNetwork.RefinedPixels.unknownBand, .everywhere] {
                try BenchReport.print(benchmark.measure(width: width, height: height, tiles: nil, banded: true, refinedPixels: refined))
            }
        }
    }

    private func dimensions(_ size: String) throws -> (width: Int, height: Int) {
        let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts[0] > 0, parts[1] > 0 else { throw ValidationError("sizes are WxH, e.g. 1280x720, not '\(size)'") }
        return (parts[0], parts[1])
    }
}
