import Decode
import Encode
import Engine
import FFmpegSupport
import Foundation
import MatteCore

/// One streaming run from an input clip to an output, shared by the commands: opens the
/// input (and a matte clip when given), the writer the output path calls for, and drives the
/// pipeline with progress and a final report.
struct VideoJob {
    var command: String
    var input: String
    var options: RunOptions
    /// What the output carries when the user did not say (--alpha-only).
    var defaultContent: OutputContent?

    /// Runs the job; `process` turns each decoded frame into the frame to write. `keep` is
    /// told of each frame an interrupted run already finished (which is not made again), with
    /// a test of whether a frame is finished, for work later frames depend on.
    func run(matte matteSource: FrameSource? = nil,
             keep: ((VideoFrame, _ isFinished: (Int) -> Bool) throws -> Void)? = nil,
             process: @escaping (VideoFrame, ImageTensor?) throws -> OutputFrame) throws -> RunReport {
        let threads = options.threads == 0 ? ProcessInfo.processInfo.activeProcessorCount : options.threads
        let decodeOptions = DecodeOptions(planes: .rgb, threads: threads, frameRange: options.frameRange,
                                          sequenceFrameRate: Rational(Int32(options.sequenceFPS), 1))
        let source = try MediaInput.open(input, options: decodeOptions)
        let info = source.info
        if let matteSource, matteSource.info.width != info.width || matteSource.info.height != info.height {
            throw VMatteError.badInput("the matte '\(matteSource.info.path)' is \(matteSource.info.width)x\(matteSource.info.height) but '\(input)' is \(info.width)x\(info.height)")
        }
        let content: OutputContent? = options.alphaOnly ? .alphaOnly : defaultContent
        let plan = try OutputPlan.choose(for: options.output, content: content, sixteenBit: options.sixteenBit)
        var inputs = [input]
        if let matteSource { inputs.append(matteSource.info.path) }
        // Half-open, so chunks that abut share no audio packet; a range from the first frame
        // keeps the packets before time zero (encoder priming).
        let audioWindow = options.frameRange.map { range -> Range<Double> in
            let rate = info.frameRate.doubleValue
            let start = range.first == 0 ? -Double.infinity : Double(range.first) / rate
            return start..<(range.last.map { Double($0 + 1) / rate } ?? .infinity)
        }
        // --overwrite without --resume starts over, leftovers of an interrupted run included.
        let resume: AtomicOutput.Resume = options.resume ? .continueIfPresent : (options.overwrite ? .restart : .resumable)
        let sink: FrameSink
        if plan.isSequence {
            sink = try OutputWriter.open(plan: plan, path: options.output, overwrite: options.overwrite, inputs: inputs,
                                         width: info.width, height: info.height, frameRate: info.frameRate,
                                         timeBase: info.timeBase, audio: nil, threads: threads, resume: resume)
        } else {
            let audio = source.audio.map { _ in JoinAudio(sourcePath: input, window: audioWindow, fallbackCodec: plan.fallbackAudioCodec) }
            sink = try SegmentedMovieWriter(plan: plan, path: options.output, overwrite: options.overwrite, inputs: inputs,
                                            width: info.width, height: info.height, frameRate: info.frameRate,
                                            timeBase: info.timeBase, audio: audio, threads: threads,
                                            segmentFrames: options.segmentFrames, resume: resume)
        }
        if let folder = sink.resumeFolder {
            do {
                try ResumeJournal(command: command, input: input, frames: options.frames, plan: plan).check(in: folder)
            } catch {
                _ = sink.suspend()   // the folder is another job's: leave it as it was
                throw error
            }
        }

        let total = options.frameRange.map { range in
            let end = range.last.map { $0 + 1 } ?? (info.frameCount ?? 0)
            return max(0, min(end, info.frameCount ?? end) - range.first)
        } ?? info.frameCount
        let progress = ProgressReporter(label: "vmatte", total: total, quiet: options.quiet)
        let interrupt = InterruptFlag()
        interrupt.install()

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
            progress: { progress.update(frames: $0) })
        progress.finishLine()
        guard written > 0 else {
            sink.abort()
            throw VMatteError.badInput("'\(input)' has no frame in the range \(options.frames ?? "given")")
        }
        if plan.isSequence, let folder = sink.resumeFolder { ResumeJournal.remove(from: folder) }
        try sink.finish()
        let seconds = Date().timeIntervalSince(started)
        return RunReport(command: command, input: source.info, output: Paths.absolute(options.output),
                         outputCodec: plan.codec, outputPixelFormat: plan.pixelFormat, content: plan.content.rawValue,
                         frames: written, seconds: seconds, framesPerSecond: Double(written) / max(seconds, 1e-9),
                         stageSeconds: pipeline.stageSeconds,
                         notes: sink.notes, peakResidentMiB: ResourceUsage.peakResidentMiB,
                         openblasCore: BLASRuntime.coreName, openblasThreads: BLASRuntime.threadCount)
    }

    /// Prints the summary (unless quiet), the notes, and the JSON report when asked.
    func finish(_ report: RunReport) throws {
        if !options.quiet {
            for note in report.notes { printError("vmatte: \(note)") }
            printError("vmatte: \(report.summary)")
        }
        if options.json { try report.printJSON() }
    }
}
