import MatteCore

/// How every frame's trimap is made and in what order frames are matted, from the keys, the
/// shots and the options: propagation never crosses a cut, each shot from its own keys.
public struct TrimapPlan: Sendable, Equatable {
    /// How keys reach the other frames of their shot.
    public enum Propagation: String, Sendable, Codable, CaseIterable {
        case dilate, feedback
    }

    /// Where one frame's trimap comes from (a screen key, when given, is laid under it).
    public enum Source: Sendable, Equatable {
        /// The frame is a key: its painted trimap.
        case key(Int)
        /// Feedback from the previous frame's matte, in the chain that starts at this key.
        case forward(key: Int)
        /// Feedback from the next frame's matte, walked back from this key (its shot's first).
        case backward(key: Int)
        /// The keys of this shot (an index into `shots`), their bands grown with the distance.
        case dilate(shot: Int)
        /// No painted key in the shot: the screen key alone.
        case screen
        /// No painted key in the shot and no screen key: the shot cannot be matted.
        case unkeyed
    }

    /// One shot and the keys inside it.
    public struct Shot: Sendable, Equatable, Codable {
        public var first: Int
        public var last: Int?
        public var keys: [Int]

        public init(first: Int, last: Int?, keys: [Int]) {
            self.first = first
            self.last = last
            self.keys = keys
        }

        /// Where to paint when the shot has no key: its first frame (forward from there, no frame matted twice).
        public var suggestedKey: Int? { keys.isEmpty ? first : nil }
        public func contains(_ index: Int) -> Bool { index >= first && (last.map { index <= $0 } ?? true) }
        /// `first-last`, or `first-end`.
        public var frames: String { "\(first)-\(last.map(String.init) ?? "end")" }
    }

    /// Frames walked back from a shot's first key before the main pass: `frames` get their
    /// trimaps from it (matted from `frames.upperBound + 1` down to `frames.lowerBound + 1`).
    public struct BackwardPass: Sendable, Equatable {
        public var key: Int
        public var frames: ClosedRange<Int>

        public init(key: Int, frames: ClosedRange<Int>) {
            self.key = key
            self.frames = frames
        }
    }

    /// One stretch of matting, in the order they run.
    public enum Step: Sendable, Equatable {
        /// Frames matted in this order to make the trimaps of the frames before a key.
        case backward(key: Int, matted: [Int])
        /// Frames matted from a key up to the run's first frame, not written.
        case preRoll(ClosedRange<Int>)
        /// The run's own frames, written.
        case main(first: Int, last: Int?)
    }

    public let shots: [Shot]
    public let propagation: Propagation
    /// Whether a screen key makes trimaps too (shots without painted keys then need none).
    public let screenKeyed: Bool
    /// The run's frames.
    public let first: Int
    public let last: Int?
    /// Frames matted before the run, from the key before its first frame (feedback chains).
    public let preRoll: ClosedRange<Int>?
    public let backwardPasses: [BackwardPass]
    private let shotList: ShotList

    /// The plan for frames `range` (nil: the whole clip) of a clip cut into `shots`, with
    /// painted keys on `keys`.
    public init(keys: [Int], shots: ShotList, propagation: Propagation, screenKeyed: Bool = false, range: FrameRange? = nil) {
        shotList = shots
        let sortedKeys = Array(Set(keys)).sorted()
        self.shots = shots.shots.map { shot in Shot(first: shot.first, last: shot.last, keys: sortedKeys.filter { shot.contains($0) }) }
        self.propagation = propagation
        self.screenKeyed = screenKeyed
        let first = range?.first ?? 0
        let last = range?.last.map { min($0, shots.frameCount.map { $0 - 1 } ?? $0) } ?? shots.frameCount.map { $0 - 1 }
        self.first = first
        self.last = last
        let runEnd = last ?? Int.max
        var preRoll: ClosedRange<Int>?
        var passes: [BackwardPass] = []
        // (Nothing before a range that lies past the clip's end.)
        if propagation == .feedback && first <= runEnd {
            let firstShot = self.shots[shots.shotIndex(containing: first)]
            if let key = firstShot.keys.last(where: { $0 < first }) { preRoll = key...(first - 1) }
            for shot in self.shots where shot.first <= runEnd && (shot.last ?? Int.max) >= first {
                guard let key = shot.keys.first else { continue }
                let lower = max(shot.first, first)
                if lower < key { passes.append(BackwardPass(key: key, frames: lower...(key - 1))) }
            }
        }
        self.preRoll = preRoll
        backwardPasses = passes
    }

    /// The index (in `shots`) of the shot holding frame `index`.
    public func shotIndex(containing index: Int) -> Int { shotList.shotIndex(containing: index) }

    /// Where frame `index`'s trimap comes from.
    public func source(for index: Int) -> Source {
        let shotIndex = shotIndex(containing: index)
        let keys = shots[shotIndex].keys
        guard let firstKey = keys.first else { return screenKeyed ? .screen : .unkeyed }
        if keys.contains(index) { return .key(index) }
        switch propagation {
        case .dilate: return .dilate(shot: shotIndex)
        case .feedback:
            if index < firstKey { return .backward(key: firstKey) }
            return .forward(key: keys.last { $0 < index }!)
        }
    }

    /// The shots of the run (those holding one of its frames).
    public var runShots: [Shot] {
        shots.filter { $0.first <= (last ?? Int.max) && ($0.last ?? Int.max) >= first }
    }

    /// The run's shots that nothing can make trimaps for: no painted key and no screen key.
    public var unkeyedShots: [Shot] { screenKeyed ? [] : runShots.filter(\.keys.isEmpty) }

    /// Why the run cannot start, naming each unkeyed shot's frames and the frame to paint; nil when it can.
    public var refusal: String? {
        let unkeyed = unkeyedShots
        guard !unkeyed.isEmpty else { return nil }
        let lines = unkeyed.map { shot in
            "  shot \(shots.firstIndex(of: shot)! + 1): frames \(shot.frames) has no key: paint frame \(shot.first) (\(String(format: "%06d.png", shot.first)))"
        }
        let count = unkeyed.count == 1 ? "a shot has" : "\(unkeyed.count) shots have"
        return "\(count) no trimap key (propagation never crosses a cut):\n" + lines.joined(separator: "\n")
            + "\n(vmatte shots lists the cuts; --shots FILE gives them, --shots none treats the clip as one shot)"
    }

    /// Whether frame `index`'s matte makes the trimap of the frame after it (feedback forward).
    public func feeds(_ index: Int) -> Bool {
        guard propagation == .feedback else { return false }
        switch source(for: index) {
        case .key, .forward:
            if case .forward = source(for: index + 1) { return true }
            return false
        default:
            return false
        }
    }

    /// For a frame a resumed run already finished: whether it must still be matted because
    /// the chain it feeds reaches an unfinished frame of the run before the next key or cut.
    public func feedsUnfinishedFrame(_ index: Int, isFinished: (Int) -> Bool) -> Bool {
        var frame = index
        while feeds(frame) {
            frame += 1
            if let last, frame > last { return false }
            if !isFinished(frame) { return true }
        }
        return false
    }

    /// The matting of the run in order: backward passes, the pre-roll, then the run's frames.
    public var steps: [Step] {
        var steps: [Step] = backwardPasses.map { pass in
            .backward(key: pass.key, matted: Array(stride(from: pass.key, to: pass.frames.lowerBound, by: -1)))
        }
        if let preRoll { steps.append(.preRoll(preRoll)) }
        steps.append(.main(first: first, last: last))
        return steps
    }
}
