import ClosedForm
import Decode
import Foundation
import MatteCore
import Trimaps

/// The machine-readable summary `--json` prints on stdout.
public struct RunReport: Codable, Sendable {
    public var command: String
    public var input: VideoStreamInfo
    public var output: String
    public var outputCodec: String
    public var outputPixelFormat: String
    public var content: String
    public var frames: Int
    public var seconds: Double
    public var framesPerSecond: Double
    /// Seconds per stage thread (decode, process = trimaps + matting + compositing, encode).
    public var stageSeconds: StageSeconds
    public var notes: [String]
    public var peakResidentMiB: Double
    public var openblasCore: String
    public var openblasThreads: Int
    /// What ran the network's convolutions (`onednn`, `openblas`); nil without a network.
    public var convolutionBackend: String?
    /// The run's closed-form solves (closed-form matting, or the fused network's input); nil when none ran.
    public var closedForm: ClosedFormTotals?
    /// The run's KNN solves (KNN matting, or a version-4 refinement's input); nil when none ran.
    public var knn: KNNTotals?
    /// The shots of the run with their keys (the matte command).
    public var shots: [TrimapPlan.Shot]?

    public func printJSON() throws {
        try Pipeline.printJSON(self)
    }

    /// The one-line human summary.
    public var summary: String {
        "\(frames) frames in \(String(format: "%.2f", seconds)) s (\(String(format: "%.1f", framesPerSecond)) fps) → \(output)"
    }
}
