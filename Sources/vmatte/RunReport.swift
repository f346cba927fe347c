import Decode
import Foundation
import MatteCore
import Trimaps

/// The machine-readable summary `--json` prints on stdout.
struct RunReport: Codable {
    var command: String
    var input: VideoStreamInfo
    var output: String
    var outputCodec: String
    var outputPixelFormat: String
    var content: String
    var frames: Int
    var seconds: Double
    var framesPerSecond: Double
    /// Seconds per stage thread (decode, process = trimaps + matting + compositing, encode).
    var stageSeconds: StageSeconds
    var notes: [String]
    var peakResidentMiB: Double
    var openblasCore: String
    var openblasThreads: Int
    /// The shots of the run with their keys (the matte command).
    var shots: [TrimapPlan.Shot]?

    func printJSON() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(self)
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    /// The one-line human summary.
    var summary: String {
        "\(frames) frames in \(String(format: "%.2f", seconds)) s (\(String(format: "%.1f", framesPerSecond)) fps) → \(output)"
    }
}
