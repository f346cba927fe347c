import Decode
import Foundation
import MatteCore
import Trimaps

/// Where a run's shots come from: cuts found on the decoded frames, none (one shot), or a file
/// of cut frames.
public enum ShotSource: Sendable, Equatable {
    case detected(threshold: Double)
    case single
    case file(String)

    /// How the shots were found, as reports name it: auto, none or file.
    public var mode: String {
        switch self {
        case .detected: "auto"
        case .single: "none"
        case .file: "file"
        }
    }

    /// The clip's shots: detected on every decoded frame of the whole clip (so every chunk of
    /// it finds the same cuts), read from the file, or one shot. Also returns the detector
    /// (for its scores) when it ran.
    public func shotList(input: String, info: VideoStreamInfo, threads: Int, sequenceFPS: Int, quiet: Bool) throws -> (shots: ShotList, detector: ShotDetector?) {
        let threads = threads == 0 ? ProcessInfo.processInfo.activeProcessorCount : threads
        switch self {
        case .single:
            return (ShotList.single(frameCount: info.frameCountIsExact ? info.frameCount : nil), nil)
        case .detected(let threshold):
            let source = try MediaInput.open(input, options: DecodeOptions(planes: .rgb, threads: threads,
                                                                          sequenceFrameRate: Rational(Int32(sequenceFPS), 1)))
            let started = Date()
            let detector = try ShotDetector.detect(in: source, threshold: threshold)
            if !quiet {
                let found = detector.cuts.isEmpty ? "no cut" : "\(detector.cuts.count) cut\(detector.cuts.count == 1 ? "" : "s") (at \(detector.cuts.map(String.init).joined(separator: ", ")))"
                printError("vmatte: shots: \(found) in \(detector.frameCount) frames (\(String(format: "%.1f", Date().timeIntervalSince(started))) s; --shots none or FILE to choose)")
            }
            return (detector.shotList, detector)
        case .file(let path):
            // Cuts are checked against the clip's length: counted when the container does not say it exactly.
            var count = info.frameCountIsExact ? info.frameCount : nil
            if count == nil {
                count = try MediaInput.forEachFrame(of: input, options: DecodeOptions(planes: .grey, threads: threads,
                                                                                      sequenceFrameRate: Rational(Int32(sequenceFPS), 1))) { _ in }
            }
            return (try ShotList.load(path, frameCount: count), nil)
        }
    }
}
