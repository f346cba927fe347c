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

    @Option(help: "Whole-frame sizes, WxH (repeatable; \"\" for none).")
    var whole: [String] = ["320x320", "1280x720"]

    @Option(help: "Tiled sizes, WxH (repeatable; \"\" for none), with an unknown band of --band of the frame.")
    var tiled: [String] = ["1280x720"]

    @Option(help: "Whole-frame sizes, WxH (repeatable), with an unknown band of --band: the refinement on the band and on the whole frame, same run.")
    var banded: [String] = []

    @Option(help: "Frame sizes, WxH (repeatable), at which every convolution is timed alone, with its fraction of the measured fp32 peak (a large sgemm).")
    var layers: [String] = []

    @Option(help: "Fraction of the frame in the trimap's unknown band for tiled and banded runs.")
    var band: Double = 0.10

    @Option(help: "Timed runs per case (after one warm-up); the median is reported.")
    var repeats: Int = 3

    @Option(help: "Convolution backends to run, each case on each, same run (repeatable): \(ConvolutionBackend.allCases.map(\.rawValue).joined(separator: ", ")).")
    var backend: [ConvolutionBackend] = ConvolutionBackend.allCases

    @Option(help: "OpenBLAS and oneDNN threads; 0 = all cores.")
    var threads: Int = 0

    func run() throws {
        BLASRuntime.setThreadCount(threads == 0 ? ProcessInfo.processInfo.activeProcessorCount : threads)
        var benchmark = EngineBenchmark(network: try MattingNetwork(path: model))
        benchmark.band = band
        benchmark.repeats = repeats
        benchmark.measuredPeakGflops = MeasuredPeak.gflops()
        for size in whole where !size.isEmpty {
            let (width, height) = try dimensions(size)
            for backend in backend { try BenchReport.print(benchmark.measure(width: width, height: height, tiles: nil, backend: backend)) }
        }
        for size in tiled where !size.isEmpty {
            let (width, height) = try dimensions(size)
            for backend in backend { try BenchReport.print(benchmark.measure(width: width, height: height, tiles: .standard, backend: backend)) }
        }
        for size in layers {
            let (width, height) = try dimensions(size)
            for backend in backend {
                for line in benchmark.layers(width: width, height: height, backend: backend) { try BenchReport.print(line) }
            }
        }
        for size in banded {
            let (width, height) = try dimensions(size)
            for backend in backend {
                for refined in [MattingNetwork.RefinedPixels.unknownBand, .everywhere] {
                    try BenchReport.print(benchmark.measure(width: width, height: height, tiles: nil, banded: true, refinedPixels: refined, backend: backend))
                }
            }
        }
    }

    private func dimensions(_ size: String) throws -> (width: Int, height: Int) {
        let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts[0] > 0, parts[1] > 0 else { throw ValidationError("sizes are WxH, e.g. 1280x720, not '\(size)'") }
        return (parts[0], parts[1])
    }
}
