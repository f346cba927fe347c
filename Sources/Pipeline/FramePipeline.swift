import Decode
import Encode
import FFmpegSupport
import Foundation
import MatteCore

/// Runs decode → process → (compose →) encode with each stage on its own thread and bounded
/// queues between them, so encoding frame n overlaps composing n+1, processing n+2 and
/// decoding n+3 while memory stays at a few frames.
public final class FramePipeline: @unchecked Sendable {
    /// What passes between the stages: a frame, a failure, or the end of the stream.
    enum Item {
        case frame(VideoFrame)
        case output(OutputFrame)
        case end
        case failure(Error)
    }

    private let depth: Int
    private let interrupt: InterruptFlag
    /// Where the last run's time went, per stage thread.
    public private(set) var stageSeconds = StageSeconds()

    public static let interrupted = VMatteError.runtime("interrupted: stopped before the end, and the partial output was removed")

    /// Decoded frames wait for matting in at most about this many bytes of colour planes (but at
    /// least one frame): decoding is many times faster than matting, so a short queue keeps it fed.
    static let decodedBytes = 32 << 20

    /// How many decoded frames of this size may wait: `depth`, fewer for large frames.
    static func decodedFrames(width: Int, height: Int, depth: Int) -> Int {
        let frameBytes = max(1, width * height * 3 * MemoryLayout<Float>.size)
        return max(1, min(depth, decodedBytes / frameBytes))
    }

    public init(depth: Int = 3, interrupt: InterruptFlag) {
        self.depth = depth
        self.interrupt = interrupt
    }

    /// Reads every frame of `source`, maps it with `process`, then (when given) `compose` on a
    /// thread of its own, and writes it to `sink`; `compose` is not given the frames an
    /// interrupted run already wrote. `progress` is told after each written frame. Returns the
    /// number of frames written; on failure the sink is aborted. Finishing the sink is the caller's decision.
    public func run(source: FrameSource, sink: FrameSink,
                    process: @escaping (VideoFrame) throws -> OutputFrame,
                    compose: (@Sendable (OutputFrame) throws -> OutputFrame)? = nil,
                    progress: @escaping @Sendable (Int) -> Void) throws -> Int {
        let decoded = BoundedQueue<Item>(capacity: Self.decodedFrames(width: source.info.displayWidth,
                                                                 height: source.info.displayHeight, depth: depth))
        // With a compose thread, one frame waits on each side of it: as many frames in memory as without.
        let processed = BoundedQueue<Item>(capacity: compose == nil ? depth : 1)
        let composed = compose == nil ? processed : BoundedQueue<Item>(capacity: 1)

        let recycled = TensorPool(limit: 2 * depth + 2)
        let clock = StageClock()
        let decoder = Thread { [interrupt] in
            do {
                while true {
                    if interrupt.isSet {
                        decoded.push(.failure(Self.interrupted), heavy: false)
                        return
                    }
                    var frame = VideoFrame(image: recycled.take() ?? ImageTensor(width: 0, height: 0, channels: 1))
                    guard try clock.time(\.decode, { try source.read(into: &frame) }) else { break }
                    guard decoded.push(.frame(frame)) else { return }
                }
                decoded.push(.end, heavy: false)
            } catch {
                decoded.push(.failure(error), heavy: false)
            }
        }
        decoder.name = "vmatte.decode"
        decoder.start()

        if let compose {
            let composer = Thread {
                while let item = processed.pop() {
                    switch item {
                    case .output(let frame) where !frame.alreadyWritten:
                        do {
                            let output = try clock.time(\.compose) { try compose(frame) }
                            guard composed.push(.output(output)) else { return }
                        } catch {
                            // The writer ends on the failure; the decoder and the processing thread stop here.
                            composed.push(.failure(error), heavy: false)
                            decoded.cancel()
                            processed.cancel()
                            return
                        }
                    case .end, .failure:
                        composed.push(item, heavy: false)
                        return
                    default:
                        guard composed.push(item) else { return }
                    }
                }
            }
            composer.name = "vmatte.compose"
            composer.start()
        }

        let writerDone = DispatchSemaphore(value: 0)
        let outcome = PipelineOutcome()
        let writer = Thread {
            defer { writerDone.signal() }
            do {
                var written = 0
                while let item = composed.pop() {
                    switch item {
                    case .output(let frame):
                        try clock.time(\.encode) { try sink.write(frame) }
                        written += 1
                        if let rgb = frame.rgb { recycled.put(rgb) }
                        progress(written)
                    case .end:
                        outcome.set(written: written)
                        return
                    case .failure(let error):
                        outcome.set(error: error)
                        return
                    case .frame:
                        preconditionFailure("unprocessed frame reached the writer")
                    }
                }
            } catch {
                outcome.set(error: error)
                decoded.cancel()
                processed.cancel()
                composed.cancel()
            }
        }
        writer.name = "vmatte.encode"
        writer.start()

        // This thread processes.
        processing: while let item = clock.time(\.processWaiting, { decoded.pop() }) {
            if interrupt.isSet {
                processed.push(.failure(Self.interrupted), heavy: false)
                break
            }
            switch item {
            case .frame(let frame):
                do {
                    let output = try clock.time(\.process) { try process(frame) }
                    guard processed.push(.output(output)) else { break processing }
                } catch {
                    processed.push(.failure(error), heavy: false)
                    break processing
                }
            case .end, .failure:
                processed.push(item, heavy: false)
                break processing
            case .output:
                preconditionFailure("output frame in the decode queue")
            }
        }
        writerDone.wait()
        decoded.cancel()
        processed.cancel()
        stageSeconds = clock.seconds

        if let error = outcome.error {
            if (error as? VMatteError) == Self.interrupted {
                if sink.suspend() {
                    throw VMatteError.runtime("interrupted: the frames written so far are kept; run the same command with --resume to continue")
                }
                throw error
            }
            sink.abort()
            throw error
        }
        return outcome.written
    }
}

/// Adds up the stage threads' times.
private final class StageClock: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = StageSeconds()

    func time<T>(_ stage: WritableKeyPath<StageSeconds, Double>, _ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer {
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            lock.withLock { stored[keyPath: stage] += elapsed }
        }
        return try body()
    }

    var seconds: StageSeconds { lock.withLock { stored } }
}

/// What the writer thread ended with.
private final class PipelineOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var storedError: Error?
    private var storedWritten = 0

    func set(error: Error) { lock.withLock { if storedError == nil { storedError = error } } }
    func set(written: Int) { lock.withLock { storedWritten = written } }
    var error: Error? { lock.withLock { storedError } }
    var written: Int { lock.withLock { storedWritten } }
}

/// Frame buffers handed back by the writer for the decoder to fill again: freshly allocated
/// memory is slow to touch, reused memory is not.
private final class TensorPool: @unchecked Sendable {
    private let lock = NSLock()
    private var tensors: [ImageTensor] = []
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    func take() -> ImageTensor? { lock.withLock { tensors.popLast() } }

    func put(_ tensor: ImageTensor) {
        lock.withLock { if tensors.count < limit { tensors.append(tensor) } }
    }
}
