import ArgumentParser
import Decode
import Engine
import Foundation
import MatteCore

/// `vmatte bench`: measurements, never tests. Each subcommand prints one JSON line.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure vmatte's stages on this machine.",
        subcommands: [DecodeBench.self, EngineBench.self, TilesBench.self, ComposeBench.self])
}

/// Decodes a clip to float planes as fast as it can and reports frames per second.
struct DecodeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode", abstract: "Decode-only speed: every frame to float RGB planes.")

    @Argument(help: "The clip to decode.")
    var input: String

    @Option(help: "Decoding threads; 0 = all cores.")
    var threads: Int = 0

    func run() throws {
        let source = try MediaInput.open(input, options: DecodeOptions(threads: threads))
        var frame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
        let start = Date()
        var frames = 0
        var residentAtFirstFrame = 0.0
        while try source.read(into: &frame) {
            frames += 1
            if frames == 1 { residentAtFirstFrame = ResourceUsage.residentMiB }
        }
        let seconds = Date().timeIntervalSince(start)
        let report: [String: Any] = [
            "input": input, "frames": frames, "seconds": seconds, "fps": Double(frames) / seconds,
            "width": source.info.width, "height": source.info.height, "openblasCore": BLASRuntime.coreName,
            "residentMiBAtFirstFrame": residentAtFirstFrame, "residentMiBAtEnd": ResourceUsage.residentMiB,
            "peakResidentMiB": ResourceUsage.peakResidentMiB,
        ]
        let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
