import Foundation
import MatteCore

/// The shots of a clip, given by its hard cuts: each cut is the first frame of a new shot.
public struct ShotList: Sendable, Equatable, Codable {
    /// One shot: its first frame and its last (nil when the clip's length is not known).
    public struct Shot: Sendable, Equatable, Codable {
        public var first: Int
        public var last: Int?

        public init(first: Int, last: Int?) {
            self.first = first
            self.last = last
        }

        public func contains(_ index: Int) -> Bool { index >= first && (last.map { index <= $0 } ?? true) }
        /// `first-last`, or `first-` (to the end).
        public var description: String { last.map { "\(first)-\($0)" } ?? "\(first)-" }
    }

    /// The cut frames, ascending, each above 0.
    public let cuts: [Int]
    /// Frames in the clip, when known.
    public let frameCount: Int?

    /// Shots cut at `cuts` (sorted, duplicates and 0 dropped) in a clip of `frameCount` frames.
    public init(cuts: [Int], frameCount: Int?) {
        self.cuts = Array(Set(cuts.filter { $0 > 0 })).sorted()
        self.frameCount = frameCount
        if let frameCount { precondition(self.cuts.allSatisfy { $0 < frameCount }, "a cut lies beyond the clip") }
    }

    /// One shot over the whole clip (`--shots none`).
    public static func single(frameCount: Int?) -> ShotList { ShotList(cuts: [], frameCount: frameCount) }

    /// Every shot in order.
    public var shots: [Shot] {
        let starts = [0] + cuts
        return starts.enumerated().map { i, start in
            Shot(first: start, last: i + 1 < starts.count ? starts[i + 1] - 1 : frameCount.map { $0 - 1 })
        }
    }

    /// The index (in `shots`) of the shot holding frame `index`.
    public func shotIndex(containing index: Int) -> Int {
        var low = 0, high = cuts.count
        // The number of cuts at or before `index`.
        while low < high {
            let mid = (low + high) / 2
            if cuts[mid] <= index { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Reads a shot list: one cut frame (zero-based, the first frame of a new shot) per line,
    /// ascending; blank lines and `#` comments are skipped. Cuts at or past `frameCount` are refused.
    public static func parse(_ text: String, path: String, frameCount: Int?) throws -> ShotList {
        var cuts: [Int] = []
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let at = "'\(path)' line \(number + 1)"
            guard let cut = Int(trimmed) else {
                throw VMatteError.badInput("\(at): '\(trimmed)' is not a frame number (one zero-based cut frame per line: the first frame of a new shot)")
            }
            guard cut >= 0 else { throw VMatteError.badInput("\(at): frame \(cut) is negative (frames are numbered from 0)") }
            if let frameCount, cut >= frameCount {
                throw VMatteError.badInput("\(at): frame \(cut) is beyond the clip, which has \(frameCount) frames (numbered from 0)")
            }
            if let previous = cuts.last, cut <= previous {
                throw VMatteError.badInput("\(at): frame \(cut) does not come after the cut before it (\(previous)); list cuts in ascending order, once each")
            }
            cuts.append(cut)
        }
        return ShotList(cuts: cuts, frameCount: frameCount)
    }

    /// Reads a shot list file (see `parse`).
    public static func load(_ path: String, frameCount: Int?) throws -> ShotList {
        guard let data = FileManager.default.contents(atPath: path), !Paths.isDirectory(path) else {
            throw VMatteError.badInput("the shot list '\(path)' cannot be read (give a text file with one cut frame per line)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw VMatteError.badInput("the shot list '\(path)' is not text (give one cut frame per line)")
        }
        return try parse(text, path: path, frameCount: frameCount)
    }
}
