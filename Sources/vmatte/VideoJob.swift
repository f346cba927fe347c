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

    /// Runs the job; `process` turns each decoded frame into the frame to write.
    func run(matte matteSource: FrameSource? = nil,
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
        if options.resume && !plan.isSequence {
            throw VMatteError.badInput("--resume continues PNG-sequence outputs; a video output restarts (render chunks with --frames and `vmatte join` them)")
        }
        let sink = try OutputWriter.open(plan: plan, path: options.output, overwrite: options.overwrite, inputs: inputs,
                                         width: info.width, height: info.height, frameRate: info.frameRate,
                                         timeBase: info.timeBase, audio: plan.isSequence ? nil : source.audio, threads: threads,
                                         resume: plan.isSequence ? (options.resume ? .continueIfPresent : .resumable) : .never)
        if let sequence = sink as? PNGSequenceWriter {
            try ResumeJournal(command: command, input: input, frames: options.frames, plan: plan).check(in: sequence.partialFolder)
        }
        let container = sink as? ContainerWriter

        let total = options.frameRange.map { range in
            let end = range.last.map { $0 + 1 } ?? (info.frameCount ?? 0)
            return max(0, min(end, info.frameCount ?? end) - range.first)
        } ?? info.frameCount
        let progress = ProgressReporter(label: "vmatte", total: total, quiet: options.quiet)
        let interrupt = InterruptFlag()
        interrupt.install()

        // Half-open, so chunks that abut share no audio packet; a range from the first frame
        // keeps the packets before time zero (encoder priming).
        let audioWindow = options.frameRange.map { range -> Range<Double> in
            let rate = info.frameRate.doubleValue
            let start = range.first == 0 ? -Double.infinity : Double(range.first) / rate
            return start..<(range.last.map { Double($0 + 1) / rate } ?? .infinity)
        }
        let writeAudio: (@Sendable (Packet) throws -> Void)? = container.map { writer in
            { @Sendable packet in
                if let audioWindow, let time = source.audio.map({ Double(packet.pointer.pointee.pts) * Double($0.timeBase.num) / Double($0.timeBase.den) }),
                   !audioWindow.contains(time) { return }
                try writer.writeAudio(packet)
            }
        }

        var matteFrame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
        let started = Date()
        let written = try FramePipeline(interrupt: interrupt).run(
            source: source, sink: sink, writeAudio: writeAudio,
            process: { frame in
                var matte: ImageTensor?
                if let matteSource {
                    guard try matteSource.read(into: &matteFrame) else {
                        throw VMatteError.badInput("the matte '\(matteSource.info.path)' ends before frame \(frame.index) of '\(input)'")
                    }
                    matte = matteFrame.image
                }
                if sink.hasCompleteFrame(frame.index) {
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
        if let sequence = sink as? PNGSequenceWriter { ResumeJournal.remove(from: sequence.partialFolder) }
        try sink.finish()
        let seconds = Date().timeIntervalSince(started)
        return RunReport(command: command, input: source.info, output: Paths.absolute(options.output),
                         outputCodec: plan.codec, outputPixelFormat: plan.pixelFormat, content: plan.content.rawValue,
                         frames: written, seconds: seconds, framesPerSecond: Double(written) / max(seconds, 1e-9),
                         notes: sink.notes, peakResidentMiB: ResourceUsage.peakResidentMiB,
                         openblasCore: BLASRuntime.coreName)
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
