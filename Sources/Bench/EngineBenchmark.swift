import Engine
import Foundation
import MatteCore

/// Times the matting network on synthetic frames: whole frames, or tiled frames whose trimap
/// has a realistic unknown band.
public struct EngineBenchmark {
    public let network: MattingNetwork
    /// Fraction of the frame in the trimap's unknown band for tiled and banded runs.
    public var band = 0.10
    /// Timed runs per case (after one warm-up); the median is reported.
    public var repeats = 3
    /// The machine's measured fp32 rate (`MeasuredPeak`), for each case's fraction of it.
    public var measuredPeakGflops: Double?

    public init(network: MattingNetwork) {
        self.network = network
    }

    /// The report of one case: `tiles` nil runs the whole frame, over an all-unknown trimap
    /// unless `banded` (then a ring trimap of `band`), refining `refinedPixels`.
    public func measure(width: Int, height: Int, tiles: TileSettings?, banded: Bool = false,
                        refinedPixels: MattingNetwork.RefinedPixels = .unknownBand, backend: ConvolutionBackend = .standard) throws -> [String: Any] {
        let rgb = SyntheticFrame.colours(width: width, height: height)
        let trimap = tiles == nil && !banded ? ImageTensor(width: width, height: height, channels: 1, fill: TrimapValue.unknown)
            : SyntheticFrame.ringTrimap(width: width, height: height, unknownFraction: band)
        let engine = MattingEngine(network: network, tiles: tiles)
        engine.refinedPixels = refinedPixels
        engine.backend = backend
        _ = try engine.matte(rgb: rgb, trimap: trimap)
        var times: [Double] = []
        for _ in 0..<max(1, repeats) {
            let start = Date()
            _ = try engine.matte(rgb: rgb, trimap: trimap)
            times.append(Date().timeIntervalSince(start))
        }
        let seconds = times.sorted()[times.count / 2]
        let padded = { (n: Int) in (n + 31) / 32 * 32 }
        let wholeFrame = network.multiplyAdds(height: padded(height), width: padded(width))
        let macs = tiles == nil ? wholeFrame : Int(Double(engine.pixelsRun) / Double(padded(height) * padded(width)) * Double(wholeFrame))
        let gflops = 2 * Double(macs) / seconds / 1e9
        let unknown = trimap.pixels.filter { $0 == TrimapValue.unknown }.count
        return [
            "case": tiles != nil ? "tiled" : banded ? "whole, band" : "whole",
            "refinement": refinedPixels == .unknownBand ? "unknown band" : "everywhere", "width": width, "height": height, "secondsPerFrame": seconds,
            "gflops": gflops, "peakGflops": Self.peakGflops, "fractionOfPeak": gflops / Self.peakGflops,
            "measuredPeakGflops": measuredPeakGflops ?? 0, "fractionOfMeasuredPeak": measuredPeakGflops.map { gflops / $0 } ?? 0,
            "backend": backend.rawValue, "openblasCore": BLASRuntime.coreName, "threads": BLASRuntime.threadCount,
            "oneDNNProblem": engine.oneDNNProblem ?? "none",
            "peakResidentMiB": ResourceUsage.peakResidentMiB, "workspaceMiB": Double(engine.workspaceBytes) / 1_048_576,
            "tilesRun": engine.tilesRun, "tilesSkipped": engine.tilesSkipped,
            "unknownFraction": Double(unknown) / Double(width * height), "multiplyAdds": macs,
        ]
    }

    /// Every convolution of the network timed alone at `width` × `height` on `backend`.
    public func layers(width: Int, height: Int, backend: ConvolutionBackend) -> [[String: Any]] {
        network.timeConvolutions(width: width, height: height, backend: backend, repeats: repeats).map { timing in
            ["case": "layer", "layer": timing.name, "kernel": timing.kernel, "inputChannels": timing.inputChannels,
             "outputChannels": timing.outputChannels, "width": timing.width, "height": timing.height, "backend": backend.rawValue,
             "seconds": timing.seconds, "gflops": timing.gflops, "measuredPeakGflops": measuredPeakGflops ?? 0,
             "fractionOfMeasuredPeak": measuredPeakGflops.map { timing.gflops / $0 } ?? 0]
        }
    }

    /// fp32 peak of the cores in use: 2 FMA units × vector lanes × 2 flops × clock.
    public static var peakGflops: Double {
        let flags = BLASRuntime.cpuFlags()
        let lanes = flags.contains("avx512f") ? 16.0 : (flags.contains("avx2") ? 8.0 : 4.0)
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let megahertz = text.split(separator: "\n").first { $0.hasPrefix("cpu MHz") }
            .flatMap { Double($0.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)) } ?? 2000
        return Double(BLASRuntime.threadCount) * 2 * lanes * 2 * megahertz / 1000
    }
}
