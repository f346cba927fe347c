import ArgumentParser
import Engine
import Foundation
import MatteCore

/// Times the matting network on synthetic frames: whole frames at given sizes, and tiled
/// frames whose trimap has a realistic unknown band.
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
        let network = try MattingNetwork(path: model)
        for size in whole { try measure(network: network, size: size, tiles: nil) }
        for size in tiled { try measure(network: network, size: size, tiles: .standard) }
        for size in banded {
            try measure(network: network, size: size, tiles: nil, banded: true, refinedPixels: .unknownBand)
            try measure(network: network, size: size, tiles: nil, banded: true, refinedPixels: .everywhere)
        }
    }

    private func measure(network: MattingNetwork, size: String, tiles: TileSettings?, banded isBanded: Bool = false,
                         refinedPixels: MattingNetwork.RefinedPixels = .unknownBand) throws {
        let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts[0] > 0, parts[1] > 0 else { throw ValidationError("sizes are WxH, e.g. 1280x720, not '\(size)'") }
        let (width, height) = (parts[0], parts[1])
        let rgb = SyntheticFrame.colours(width: width, height: height)
        let trimap = tiles == nil && !isBanded ? ImageTensor(width: width, height: height, channels: 1, fill: TrimapValue.unknown)
            : SyntheticFrame.ringTrimap(width: width, height: height, unknownFraction: band)
        let engine = MattingEngine(network: network, tiles: tiles)
        engine.refinedPixels = refinedPixels
        _ = try engine.matte(rgb: rgb, trimap: trimap)
        var times: [Double] = []
        for _ in 0..<max(1, repeats) {
            let start = Date()
            _ = try engine.matte(rgb: rgb, trimap: trimap)
            times.append(Date().timeIntervalSince(start))
        }
        let seconds = times.sorted()[times.count / 2]
        let padded = { (n: Int) in (n + 31) / 32 * 32 }
        let macs = tiles == nil ? network.multiplyAdds(height: padded(height), width: padded(width))
            : Int(Double(engine.pixelsRun) / Double(padded(height) * padded(width)) * Double(network.multiplyAdds(height: padded(height), width: padded(width))))
        let gflops = 2 * Double(macs) / seconds / 1e9
        let unknown = trimap.pixels.filter { $0 == TrimapValue.unknown }.count
        let report: [String: Any] = [
            "case": tiles != nil ? "tiled" : isBanded ? "whole, band" : "whole",
            "refinement": refinedPixels == .unknownBand ? "unknown band" : "everywhere", "width": width, "height": height, "secondsPerFrame": seconds,
            "gflops": gflops, "peakGflops": Self.peakGflops, "fractionOfPeak": gflops / Self.peakGflops,
            "openblasCore": BLASRuntime.coreName, "threads": BLASRuntime.threadCount,
            "peakResidentMiB": ResourceUsage.peakResidentMiB, "workspaceMiB": Double(engine.workspaceBytes) / 1_048_576,
            "tilesRun": engine.tilesRun, "tilesSkipped": engine.tilesSkipped,
            "unknownFraction": Double(unknown) / Double(width * height), "multiplyAdds": macs,
        ]
        let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// fp32 peak of the cores in use: 2 FMA units × vector lanes × 2 flops × clock.
    static var peakGflops: Double {
        let flags = BLASRuntime.cpuFlags()
        let lanes = flags.contains("avx512f") ? 16.0 : (flags.contains("avx2") ? 8.0 : 4.0)
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let megahertz = text.split(separator: "\n").first { $0.hasPrefix("cpu MHz") }
            .flatMap { Double($0.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)) } ?? 2000
        return Double(BLASRuntime.threadCount) * 2 * lanes * 2 * megahertz / 1000
    }
}

/// Deterministic test pictures for benchmarks.
enum SyntheticFrame {
    static func colours(width: Int, height: Int) -> ImageTensor {
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
    static func ringTrimap(width: Int, height: Int, unknownFraction: Double) -> ImageTensor {
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
}
