import ClosedForm
import Engine
import Decode
import Encode
import Foundation
import MatteCore
import Trimaps

/// A matting job: each frame's trimap from the plan, matted, composed and written, with the
/// trimaps and a contact sheet written beside when asked.
public struct MattingRun {
    public var job: VideoJob
    /// The input's stream, as probed when the run was planned.
    public var clip: VideoStreamInfo
    public var plan: TrimapPlan
    public var trimaps: PlannedTrimaps
    public var matting: any AlphaMatting
    public var stage: CompositeStage
    public var threads: MattingThreads
    public var preview: PreviewOutput?
    /// Where every frame's trimap is written, if anywhere.
    public var trimapExport: FrameSink?

    public init(job: VideoJob, clip: VideoStreamInfo, plan: TrimapPlan, trimaps: PlannedTrimaps, matting: any AlphaMatting, stage: CompositeStage,
                threads: MattingThreads, preview: PreviewOutput?, trimapExport: FrameSink?) {
        self.job = job
        self.clip = clip
        self.plan = plan
        self.trimaps = trimaps
        self.matting = matting
        self.stage = stage
        self.threads = threads
        self.preview = preview
        self.trimapExport = trimapExport
    }

    /// The sink for `--export-trimaps DIR|FILE`: grey trimaps, at the clip's size and timing.
    /// `inputs` (the clip and the run's output) are never written over.
    public static func trimapExport(to path: String, inputs: [String], format: VideoFormat, overwrite: Bool) throws -> FrameSink {
        try OutputWriter.open(plan: try OutputPlan.choose(for: path, content: .alphaOnly), path: path, overwrite: overwrite,
                              inputs: inputs, format: format)
    }

    /// Checks an `--export-trimaps` destination before any work, writing nothing.
    public static func checkTrimapExport(to path: String, inputs: [String], overwrite: Bool) throws {
        try OutputPlan.choose(for: path, content: .alphaOnly).checkDestination(path, overwrite: overwrite, inputs: inputs)
    }

    /// Mattes the job's frames and writes them, then the report (and the preview).
    public func run() throws {
        var report: RunReport
        do {
            try prepareTrimaps()
            report = try matteFrames()
        } catch {
            trimapExport?.abort()
            throw error
        }
        try trimapExport?.finish()
        report.shots = plan.runShots
        if let note = threads.note { report.notes.append(note) }
        if let engine = matting as? MattingEngine {
            report.convolutionBackend = engine.backend.rawValue
            if let problem = engine.oneDNNProblem { report.notes.append("\(problem); those convolutions ran on OpenBLAS") }
        }
        report.closedForm = (matting as? ClosedFormMatting)?.totals ?? (matting as? MattingEngine)?.closedFormTotals
        if let closedForm = matting as? ClosedFormMatting {
            if !closedForm.lastSolve.converged {
                report.notes.append("closed-form: the last frame's solve stopped at \(closedForm.maximumIterations) iterations before reaching its tolerance")
            }
            report.notes.append("matted by closed-form matting (Levin, Lischinski, Weiss 2008)")
        }
        report.knn = (matting as? KNNMatting)?.totals ?? (matting as? MattingEngine)?.knnTotals
        if let knn = matting as? KNNMatting {
            if !knn.lastSolve.converged {
                report.notes.append("knn: the last frame's solve stopped at \(KNNMatting.maximumIterations) iterations before reaching its tolerance")
            }
            report.notes.append("matted by KNN matting (after Chen, Li, Tang 2013)")
        }
        try job.finish(report)
        try preview?.write(quiet: job.settings.quiet)
    }

    /// The matting the plan needs before the run's frames: backward passes to the frames
    /// before a shot's first key, and the pre-roll from the key before a chunk's first frame,
    /// read in blocks of at most ~1 GiB of decoded pictures.
    private func prepareTrimaps() throws {
        let frameBytes = max(1, clip.width * clip.height * 3 * MemoryLayout<Float>.size)
        let (input, settings) = (job.input, job.settings)
        try trimaps.prepare(matting: matting, blockSize: max(4, min(64, (1 << 30) / frameBytes)),
                            readFrames: { range, body in
                                let options = settings.decodeOptions(frames: FrameRange(first: range.lowerBound, last: range.upperBound))
                                guard try MediaInput.forEachFrame(of: input, options: options, body) == range.count else {
                                    throw VMatteError.badInput("'\(input)' ends before frame \(range.upperBound), which trimap propagation needs")
                                }
                            },
                            log: { if !settings.quiet { printError("vmatte: \($0)") } })
    }

    /// The colour work (foreground estimation, compositing) runs on the compose thread,
    /// overlapping the next frame's matting.
    private func matteFrames() throws -> RunReport {
        let stage = self.stage, alphaOnly = job.settings.alphaOnly
        var compose: (@Sendable (OutputFrame) throws -> OutputFrame)?
        if !alphaOnly { compose = { @Sendable matted in try stage.output(for: matted) } }
        let trimapClock = TrimapClock()
        var report = try job.run(keep: { frame, isFinished in
            try trimaps.keep(frame, isFinished: isFinished, matting: matting)
        }, compose: compose) { frame, _ in
            threads.refitIfDue(beforeFrame: frame.index)
            (matting as? ClosedFormMatting)?.threads = BLASRuntime.threadCount
            let trimap = trimapClock.time { trimaps.trimap(for: frame.index, image: frame.image) }
            try trimapExport?.write(OutputFrame(rgb: nil, alpha: trimap, index: frame.index, pts: frame.pts, timeBase: frame.timeBase))
            let alpha = try matting.matte(rgb: frame.image, trimap: trimap)
            trimaps.record(alpha: alpha, for: frame.index)
            preview?.add(frame, trimap: trimap, matte: alpha)
            if alphaOnly { return try stage.output(for: frame, alpha: alpha, alphaOnly: true) }
            return OutputFrame(rgb: frame.image, alpha: alpha, index: frame.index, pts: frame.pts, timeBase: frame.timeBase)
        }
        report.stageSeconds.trimaps = trimapClock.seconds
        return report
    }
}

/// Adds up the processing thread's time in trimap propagation.
private final class TrimapClock {
    private(set) var seconds = 0.0

    func time<T>(_ body: () -> T) -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { seconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        return body()
    }
}
