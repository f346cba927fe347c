/// An inclusive range of zero-based frame indices, parsed from `a-b`, `a-` or `a`.
public struct FrameRange: Sendable, Equatable, CustomStringConvertible {
    public var first: Int
    /// The last frame to include, or nil for "to the end".
    public var last: Int?

    public init(first: Int, last: Int?) {
        self.first = first
        self.last = last
    }

    public init?(parsing text: String) {
        let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let first = Int(parts[0]), first >= 0 else { return nil }
        if parts.count == 1 {
            self.init(first: first, last: first)
        } else if parts[1].isEmpty {
            self.init(first: first, last: nil)
        } else {
            guard let last = Int(parts[1]), last >= first else { return nil }
            self.init(first: first, last: last)
        }
    }

    public func contains(_ index: Int) -> Bool { index >= first && (last.map { index <= $0 } ?? true) }
    /// True once `index` is past the range, so decoding can stop.
    public func isPast(_ index: Int) -> Bool { last.map { index > $0 } ?? false }
    public var description: String { last.map { "\(first)-\($0)" } ?? "\(first)-" }
}
