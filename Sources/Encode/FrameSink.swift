import MatteCore

/// Where finished frames go: a movie file or an image sequence.
public protocol FrameSink: AnyObject, Sendable {
    /// Things worth telling the user (e.g. audio re-encoded), gathered while writing.
    var notes: [String] { get }
    func write(_ frame: OutputFrame) throws
    /// Finishes the file and moves it to its final name.
    func finish() throws
    /// Stops and deletes the partial output.
    func abort()
    /// True when frame `index` is already complete in a continued output (so it need not be made again).
    func hasCompleteFrame(_ index: Int) -> Bool
    /// Stops, keeping the partial output for `--resume` where the sink can continue it;
    /// returns false (and deletes it) where it cannot.
    func suspend() -> Bool
    /// The folder an interrupted run leaves for `--resume` (where a job journal belongs), if any.
    var resumeFolder: String? { get }
}

extension FrameSink {
    public var resumeFolder: String? { nil }
    public func hasCompleteFrame(_ index: Int) -> Bool { false }
    public func suspend() -> Bool {
        abort()
        return false
    }
}
