import CFFmpeg
import Foundation
import FFmpegSupport
import MatteCore

/// Writes a movie as closed segments of a fixed number of frames, in a folder beside the
/// output, and joins them into the output by stream copy (with the source's audio) at the end.
/// A killed run keeps every finished segment, and the same command with `--resume` continues
/// after them. Segments start at multiples of `segmentFrames`, so a resumed run encodes exactly
/// what an uninterrupted one does.
public final class SegmentedMovieWriter: FrameSink, @unchecked Sendable {
    /// Frames per segment unless the caller says otherwise: at most this many are redone after a kill.
    public static let defaultSegmentFrames = 100

    public private(set) var notes: [String] = []
    /// The folder that holds the finished segments (and the caller's journal) until the join.
    public let segmentFolder: String
    private let finalPath: String
    private let overwrite: Bool
    private let inputs: [String]
    private let plan: OutputPlan
    private let format: VideoFormat
    private let audio: JoinAudio?
    private let threads: Int
    private let segmentFrames: Int
    private let fileExtension: String
    /// Frames finished by an interrupted run (read once, when opened).
    private let resumedRanges: [ClosedRange<Int>]
    private var current: (writer: ContainerWriter, first: Int, last: Int?, end: Int)?
    private var closed = false

    /// Checks the output path; creates the segment folder, or continues the one an interrupted
    /// run left when `resume` says so (`.resumable` refuses to start over one).
    public init(plan: OutputPlan, path: String, overwrite: Bool, inputs: [String], format: VideoFormat,
                audio: JoinAudio?, threads: Int = 0, segmentFrames: Int = defaultSegmentFrames,
                resume: AtomicOutput.Resume) throws {
        guard case .movie = plan.kind else { preconditionFailure("SegmentedMovieWriter writes movie files only") }
        precondition(segmentFrames > 0, "segments hold at least one frame")
        // Checked now; the file itself is made only by the join, so a killed run leaves none.
        let check = try AtomicOutput(finalPath: path, isFolder: false, overwrite: overwrite, inputs: inputs)
        check.discard()
        finalPath = check.finalPath
        self.overwrite = overwrite
        self.inputs = inputs
        let final = finalPath as NSString
        segmentFolder = (final.deletingLastPathComponent as NSString)
            .appendingPathComponent(".\(final.lastPathComponent).vmatte-segments")
        self.plan = plan
        self.format = format
        self.audio = audio
        self.threads = threads
        self.segmentFrames = segmentFrames
        fileExtension = final.pathExtension
        if Paths.isDirectory(segmentFolder) {
            switch resume {
            case .resumable:
                throw VMatteError.badInput("an interrupted run left '\(segmentFolder)': add --resume to continue it, or --overwrite to start over")
            case .never, .restart:
                try FileManager.default.removeItem(atPath: segmentFolder)
            case .continueIfPresent:
                break
            }
        }
        if Paths.isDirectory(segmentFolder) {
            resumedRanges = try Self.finishedSegments(in: segmentFolder, fileExtension: fileExtension, removingOthers: true).map(\.frames)
            let kept = resumedRanges.reduce(0) { $0 + $1.count }
            if kept > 0 { notes.append("resumed: \(kept) frame\(kept == 1 ? "" : "s") kept from the interrupted run") }
        } else {
            guard mkdir(segmentFolder, 0o755) == 0 else {
                throw VMatteError.badInput("cannot write into the folder '\(final.deletingLastPathComponent)': \(Paths.lastErrorText())")
            }
            resumedRanges = []
        }
    }

    deinit {
        if !closed { abort() }
    }

    public var resumeFolder: String? { segmentFolder }

    public func hasCompleteFrame(_ index: Int) -> Bool {
        resumedRanges.contains { $0.contains(index) }
    }

    public func write(_ frame: OutputFrame) throws {
        guard !closed else { throw VMatteError.runtime("the output '\(finalPath)' is already closed") }
        if frame.alreadyWritten || hasCompleteFrame(frame.index) {
            try closeSegment()   // segments hold consecutive frames only
            return
        }
        if let current, frame.index >= current.end || frame.index <= (current.last ?? current.first - 1) {
            try closeSegment()
        }
        if current == nil { try openSegment(at: frame.index) }
        try current!.writer.write(frame)
        current!.last = frame.index
    }

    private func segmentName(first: Int, last: Int?) -> String {
        last.map { String(format: "frames-%08d-%08d.%@", first, $0, fileExtension) }
            ?? String(format: "frames-%08d.%@", first, fileExtension)
    }

    private func openSegment(at first: Int) throws {
        let path = (segmentFolder as NSString).appendingPathComponent(segmentName(first: first, last: nil))
        let segment = try AtomicOutput(finalPath: path, isFolder: false, overwrite: true, inputs: [])
        do {
            let writer = try ContainerWriter(plan: plan, output: segment, format: format, threads: threads)
            current = (writer, first, nil, (first / segmentFrames + 1) * segmentFrames)
        } catch {
            segment.discard()
            throw error
        }
    }

    /// Finishes the open segment and gives it the name that marks it complete.
    private func closeSegment() throws {
        guard let segment = current else { return }
        current = nil
        guard let last = segment.last else {
            segment.writer.abort()
            return
        }
        try segment.writer.finish()
        let folder = segmentFolder as NSString
        let written = folder.appendingPathComponent(segmentName(first: segment.first, last: nil))
        guard rename(written, folder.appendingPathComponent(segmentName(first: segment.first, last: last))) == 0 else {
            throw VMatteError.runtime("cannot name the finished segment '\(written)': \(Paths.lastErrorText())")
        }
    }

    /// Closes the last segment, joins all of them into the output and removes the folder. If
    /// the join fails the segments stay, for `--resume` to join again.
    public func finish() throws {
        guard !closed else { return }
        do {
            try closeSegment()
        } catch {
            abort()
            throw error
        }
        closed = true
        var output: AtomicOutput?
        do {
            let segments = try Self.finishedSegments(in: segmentFolder, fileExtension: fileExtension, removingOthers: false)
            for (previous, next) in zip(segments, segments.dropFirst()) where next.frames.lowerBound != previous.frames.upperBound + 1 {
                throw VMatteError.runtime("the segments in '\(segmentFolder)' do not follow on: frames \(previous.frames.upperBound + 1)-\(next.frames.lowerBound - 1) are missing")
            }
            let joined = try AtomicOutput(finalPath: finalPath, isFolder: false, overwrite: overwrite, inputs: inputs)
            output = joined
            if segments.count == 1 && audio == nil {
                // Nothing to add: the one segment is the output.
                guard rename(segments[0].path, joined.temporaryPath) == 0 else {
                    throw VMatteError.runtime("cannot move the finished segment to '\(joined.temporaryPath)': \(Paths.lastErrorText())")
                }
                try joined.commit()
                try? FileManager.default.removeItem(atPath: segmentFolder)
                return
            }
            let joiner = try ChunkJoiner(segments: segments.map(\.path), output: finalPath, audio: audio)
            let summary = try joiner.write(to: joined)
            let expected = segments.reduce(0) { $0 + $1.frames.count }
            guard summary.frames == expected else {
                throw VMatteError.runtime("joining the segments gave \(summary.frames) frames, not \(expected)")
            }
            notes += summary.notes
        } catch {
            output?.discard()
            throw VMatteError.runtime("\(error) — the finished segments are kept in '\(segmentFolder)': run the same command with --resume to join them")
        }
        try? FileManager.default.removeItem(atPath: segmentFolder)
    }

    /// Keeps the finished segments for `--resume`. The open segment is closed as a short one
    /// where every frame is coded alone (ProRes, FFV1, PNG); with inter-frame codecs it is
    /// dropped, so the resumed run codes the same groups of pictures an uninterrupted one does.
    public func suspend() -> Bool {
        guard !closed else { return true }
        closed = true
        if let segment = current {
            if Self.isIntraOnly(plan.codec) {
                do { try closeSegment() } catch { segment.writer.abort() }
            } else {
                segment.writer.abort()
            }
            current = nil
        }
        return true
    }

    public func abort() {
        closed = true
        current?.writer.abort()
        current = nil
        try? FileManager.default.removeItem(atPath: segmentFolder)
    }

    private static func isIntraOnly(_ encoderName: String) -> Bool {
        guard let encoder = avcodec_find_encoder_by_name(encoderName), let descriptor = avcodec_descriptor_get(encoder.pointee.id) else { return false }
        return descriptor.pointee.props & Int32(AV_CODEC_PROP_INTRA_ONLY) != 0
    }

    /// The complete segments in `folder`, in frame order; with `removingOthers`, partial ones
    /// a killed run left are deleted.
    private static func finishedSegments(in folder: String, fileExtension: String, removingOthers: Bool) throws
        -> [(path: String, frames: ClosedRange<Int>)] {
        let pattern = try NSRegularExpression(pattern: "^frames-(\\d{8})-(\\d{8})\\.\(NSRegularExpression.escapedPattern(for: fileExtension))$")
        var segments: [(path: String, frames: ClosedRange<Int>)] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            let path = (folder as NSString).appendingPathComponent(name)
            let whole = NSRange(name.startIndex..., in: name)
            if let match = pattern.firstMatch(in: name, range: whole),
               let first = Int((name as NSString).substring(with: match.range(at: 1))),
               let last = Int((name as NSString).substring(with: match.range(at: 2))), first <= last {
                segments.append((path, first...last))
            } else if removingOthers && !name.hasSuffix(".json") {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
        return segments.sorted { $0.frames.lowerBound < $1.frames.lowerBound }
    }
}
