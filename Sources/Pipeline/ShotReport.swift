import Foundation
import MatteCore
import Trimaps

/// What `vmatte shots` prints: a clip's cuts, its shots with their keys, and the frames to paint.
public struct ShotReport: Codable, Sendable {
    /// One shot.
    public struct Entry: Codable, Sendable {
        public var first: Int
        public var last: Int?
        public var frames: Int?
        /// The shot's keys; nil when no key folder was given.
        public var keys: [Int]?
        public var suggestedKey: Int?
    }

    public var input: String
    public var frames: Int?
    public var detection: String
    public var sceneThreshold: Double?
    public var cuts: [Int]
    public var shots: [Entry]
    public var scores: [Double]?
    private var source: ShotSource?

    private enum CodingKeys: String, CodingKey {
        case input, frames, detection, sceneThreshold, cuts, shots, scores
    }

    /// The report of `shots` (found through `source`), keyed by `keys` when a key folder was given.
    public init(input: String, shots: ShotList, source: ShotSource, keys: [Int]?, scores: [Double]?) {
        let plan = TrimapPlan(keys: keys ?? [], shots: shots, propagation: .feedback)
        self.input = Paths.absolute(input)
        frames = shots.frameCount
        detection = source.mode
        if case .detected(let threshold) = source { sceneThreshold = threshold }
        cuts = shots.cuts
        self.shots = plan.shots.map { shot in
            Entry(first: shot.first, last: shot.last, frames: shot.last.map { $0 - shot.first + 1 },
                  keys: keys == nil ? nil : shot.keys, suggestedKey: shot.suggestedKey)
        }
        self.scores = scores
        self.source = source
    }

    public func printJSON() throws {
        try Pipeline.printJSON(self)
    }

    /// The listing for a reader: a line for the clip, one per shot, then the scores when asked.
    public var text: String {
        let found = switch source {
        case .detected(let threshold)?: "cuts found at scene threshold \(threshold)"
        case .single?: "--shots none"
        case .file(let path)?: "cuts from '\(path)'"
        case nil: detection
        }
        var lines = ["\(shots.count) shot\(shots.count == 1 ? "" : "s") in \(frames.map { "\($0) frames" } ?? "the clip") (\(found))"]
        for (number, entry) in shots.enumerated() {
            var line = "shot \(number + 1): frames \(entry.first)-\(entry.last.map(String.init) ?? "end")"
            if let frames = entry.frames { line += " (\(frames) frame\(frames == 1 ? "" : "s"))" }
            if let shotKeys = entry.keys, !shotKeys.isEmpty { line += ", keys \(shotKeys.map(String.init).joined(separator: ", "))" }
            if let suggested = entry.suggestedKey { line += entry.keys == nil ? ", paint frame \(suggested)" : ", no key: paint frame \(suggested)" }
            lines.append(line)
        }
        if let scores {
            lines.append("frame score")
            for (index, score) in scores.enumerated() { lines.append("\(index) \(String(format: "%.2f", score))\(cuts.contains(index) ? " cut" : "")") }
        }
        return lines.map { $0 + "\n" }.joined()
    }
}
