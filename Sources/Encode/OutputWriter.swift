import MatteCore

/// Opens the sink an output plan calls for: a segmented (resumable) movie or a PNG sequence.
public enum OutputWriter {
    /// `audio` is joined into movies from the source file; PNG sequences have none. `resume`
    /// says what to do with what an interrupted run left (`SegmentedMovieWriter`, `AtomicOutput`).
    public static func open(plan: OutputPlan, path: String, overwrite: Bool, inputs: [String], format: VideoFormat,
                            audio: JoinAudio? = nil, threads: Int = 0,
                            segmentFrames: Int = SegmentedMovieWriter.defaultSegmentFrames,
                            resume: AtomicOutput.Resume = .never) throws -> FrameSink {
        switch plan.kind {
        case .movie:
            return try SegmentedMovieWriter(plan: plan, path: path, overwrite: overwrite, inputs: inputs, format: format,
                                            audio: audio, threads: threads, segmentFrames: segmentFrames, resume: resume)
        case .pngSequence(let folder, _):
            let output = try AtomicOutput(finalPath: folder, isFolder: true, overwrite: overwrite, inputs: inputs, resume: resume)
            do {
                return try PNGSequenceWriter(plan: plan, output: output, width: format.width, height: format.height, threads: threads)
            } catch {
                output.discard()
                throw error
            }
        }
    }
}
