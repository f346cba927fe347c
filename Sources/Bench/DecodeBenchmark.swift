import Decode
import Engine
import Foundation
import MatteCore

/// Decodes a clip to float planes as fast as it can: frames per second and memory.
public enum DecodeBenchmark {
    /// Decodes every frame of `input` on `threads` decoding threads (0: all cores).
    public static func run(input: String, threads: Int) throws -> [String: Any] {
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
        return [
            "input": input, "frames": frames, "seconds": seconds, "fps": Double(frames) / seconds,
            "width": source.info.width, "height": source.info.height, "openblasCore": BLASRuntime.coreName,
            "residentMiBAtFirstFrame": residentAtFirstFrame, "residentMiBAtEnd": ResourceUsage.residentMiB,
            "peakResidentMiB": ResourceUsage.peakResidentMiB,
        ]
    }
}
