import Decode
import Encode
import Engine
import Foundation
import MatteCore

/// One streaming run from an input clip to an output, shared by the commands: opens the
/// input (and a matte clip when given), the writer the output path calls for, and drives the
/// pipeline with progress and a final report.
public struct VideoJob {
    public var command: String
    public var input: String
    public var settings: JobSettings
    /// What the output carries when the user did not say (--alpha-only).
    public var defaultContent: OutputContent?
    /// Stops the run between frames; nil makes one for the run that listens for SIGINT and SIGTERM.
    public var interrupt: InterruptFlag?

    public init(command: String, input: String, settings: JobSettings, defaultContent: OutputContent?, interrupt: InterruptFlag? = nil) {
        self.command = command
        self.input = input
        self.settings = settings
        self.defaultContent = defaultContent
        self.interrupt = interrupt
    }

    /// Runs the job; `process` turns each decoded frame into the frame to write, or into one
    /// that `compose` (given, it runs on a thread of its own, overlapping the next frame's
    /// processing) finishes. `keep` is told of each frame an interrupted run already finished
    /// (which is not made again), with a test of whether a frame is finished, for work later
    /// frames depend on.
    public func run(matte matteSource: FrameSource? = nil,
                    keep: ((VideoFrame, _ isFinished: (Int) -> Bool) throws -> Void)? = nil,
                    compose: (@Sendable (OutputFrame) throws -> OutputFrame)? = nil,
                    process: @escaping (VideoFrame, ImageTensor?) throws -> OutputFrame) throws -> RunReport {
        let source = try MediaInput.open(input, options: settings.decodeOptions())
        let info = source.info
        if let matteSource, matteSource.info.width != info.width || matteSource.info.height != info.height {
            throw VMatteError.badInput("the matte '\(matteSource.info.path)' is \(matteSource.info.width)x\(matteSource.info.height) but '\(input)' is \(info.width)x\(info.height)")
        }
        let plan = try outputPlan()
        let sink = try openSink(plan: plan, source: source, inputs: [input] + (matteSource.map { [$0.info.path] } ?? []))
        if let folder = sink.resumeFolder {
            do {
                try ResumeJournal(command: command, input: input, frames: settings.frames, plan: plan).check(in: folder)
            } catch {
                _ = sink.suspend()   // the folder is another job's: leave it as it was
                throw error
            }
        }

        let progress = ProgressReporter(label: "vmatte", total: Self.frameTotal(of: info, in: settings.frameRange), quiet: settings.quiet)
        let interrupt = self.interrupt ?? InterruptFlag.listeningForSignals()
        var matteFrame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
        let started = Date()
        let pipeline = FramePipeline(interrupt: interrupt)
        let written = try pipeline.run(
            source: source, sink: sink,
            process: { frame in
                var matte: ImageTensor?
                if let matteSource {
                    guard try matteSource.read(into: &matteFrame) else {
                        throw VMatteError.badInput("the matte '\(matteSource.info.path)' ends before frame \(frame.index) of '\(input)'")
                    }
                    matte = matteFrame.image
                }
                if sink.hasCompleteFrame(frame.index) {
                    try keep?(frame, sink.hasCompleteFrame)
                    var kept = OutputFrame(rgb: nil, alpha: nil, index: frame.index, pts: frame.pts, timeBase: frame.timeBase)
                    kept.alreadyWritten = true
                    return kept
                }
                return try process(frame, matte)
            },
            compose: compose,
            progress: { progress.update(frames: $0) })
        progress.finishLine()
        guard written > 0 else {
            sink.abort()
            throw VMatteError.badInput("'\(input)' has no frame in the range \(settings.frames ?? "given")")
        }
        if plan.isSequence, let folder = sink.resumeFolder { ResumeJournal.remove(from: folder) }
        try sink.finish()
        let seconds = Date().timeIntervalSince(started)
        return RunReport(command: command, input: source.info, output: Paths.absolute(settings.output),
                         outputCodec: plan.codec, outputPixelFormat: plan.pixelFormat, content: plan.content.rawValue,
                         frames: written, seconds: seconds, framesPerSecond: Double(written) / max(seconds, 1e-9),
                         stageSeconds: pipeline.stageSeconds,
                         notes: sink.notes, peakResidentMiB: ResourceUsage.peakResidentMiB,
                         openblasCore: BLASRuntime.coreName, openblasThreads: BLASRuntime.threadCount)
    }

    /// Checks the output before any work, writing nothing: that its name gives an output type
    /// for what the run writes, and that it can be written (its folder exists and is writable,
    /// it is not an input, an existing output only with --overwrite). `run` checks again when
    /// it opens the output, interrupted runs' leftovers included.
    public func checkOutput() throws {
        try outputPlan().checkDestination(settings.output, overwrite: settings.overwrite, inputs: [input])
    }

    /// What the output's name and the run's content call for.
    private func outputPlan() throws -> OutputPlan {
        try OutputPlan.choose(for: settings.output, content: settings.alphaOnly ? .alphaOnly : defaultContent,
                              sixteenBit: settings.sixteenBit)
    }

    /// The writer for `plan`, with the source's audio (over the run's frames) for movies.
    private func openSink(plan: OutputPlan, source: FrameSource, inputs: [String]) throws -> FrameSink {
        let audio = source.audio.map { _ in
            JoinAudio(sourcePath: input, window: Self.audioWindow(for: settings.frameRange, frameRate: source.info.frameRate),
                      fallbackCodec: plan.fallbackAudioCodec)
        }
        // --overwrite without --resume starts over, leftovers of an interrupted run included.
        let resume: AtomicOutput.Resume = settings.resume ? .continueIfPresent : (settings.overwrite ? .restart : .resumable)
        return try OutputWriter.open(plan: plan, path: settings.output, overwrite: settings.overwrite, inputs: inputs,
                                     format: source.info.format, audio: audio, threads: settings.workerThreads,
                                     segmentFrames: settings.segmentFrames, resume: resume)
    }

    /// The source time, in seconds, whose audio goes with `range`: half-open, so chunks that
    /// abut share no audio packet; a range from the first frame keeps the packets before time
    /// zero (encoder priming). Nil (all of it) without a range.
    public static func audioWindow(for range: FrameRange?, frameRate: Rational) -> Range<Double>? {
        range.map { range in
            let rate = frameRate.doubleValue
            let start = range.first == 0 ? -Double.infinity : Double(range.first) / rate
            return start..<(range.last.map { Double($0 + 1) / rate } ?? .infinity)
        }
    }

    /// How many frames of `range` the input has, for progress; nil when its length is unknown.
    public static func frameTotal(of info: VideoStreamInfo, in range: FrameRange?) -> Int? {
        guard let range else { return info.frameCount }
        let end = range.last.map { $0 + 1 } ?? (info.frameCount ?? 0)
        return max(0, min(end, info.frameCount ?? end) - range.first)
    }

    /// Prints the summary (unless quiet), the notes, and the JSON report when asked.
    public func finish(_ report: RunReport) throws {
        if !settings.quiet {
            for note in report.notes { printError("vmatte: \(note)") }
            printError("vmatte: \(report.summary)")
        }
        if settings.json { try report.printJSON() }
    }
}
