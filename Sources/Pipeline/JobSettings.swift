import Decode
import Encode
import Foundation
import MatteCore

/// What a run writes and how: the output, the frames, threads and resume choices of the command line.
public struct JobSettings: Sendable {
    public var output: String
    /// The zero-based frames to process as given (`a-b`, `a-`, `a`); nil for all of them.
    public var frames: String?
    public var alphaOnly = false
    public var sixteenBit = false
    /// Frame rate given to image-sequence inputs, which carry none.
    public var sequenceFPS = 25
    /// 0 for all cores.
    public var threads = 0
    public var overwrite = false
    public var resume = false
    public var segmentFrames = SegmentedMovieWriter.defaultSegmentFrames
    public var quiet = false
    public var json = false

    public init(output: String) {
        self.output = output
    }

    public var frameRange: FrameRange? { frames.flatMap(FrameRange.init(parsing:)) }

    /// Threads for decoding, encoding and the other stage work: `threads`, or every core.
    public var workerThreads: Int { threads == 0 ? ProcessInfo.processInfo.activeProcessorCount : threads }

    /// How the run's inputs are opened: the run's frames, with the worker threads unless told
    /// otherwise, and `sequenceFPS` for image sequences.
    public func decodeOptions(planes: DecodedPlanes = .rgb, threads: Int? = nil) -> DecodeOptions {
        decodeOptions(planes: planes, threads: threads, frames: frameRange)
    }

    /// As `decodeOptions(planes:threads:)`, for the frames of `frames` (nil: the whole clip).
    public func decodeOptions(planes: DecodedPlanes = .rgb, threads: Int? = nil, frames: FrameRange?) -> DecodeOptions {
        DecodeOptions(planes: planes, threads: threads ?? workerThreads, frameRange: frames,
                      sequenceFrameRate: Rational(Int32(sequenceFPS), 1))
    }
}
