import MatteCore

/// Makes the trimaps a `TrimapPlan` describes: holds the keys, each shot's dilation and
/// feedback chain and the backward pass's trimaps, runs the matting the plan needs before the
/// run's frames (backward passes, pre-roll) and then gives each frame's trimap in order.
public final class PlannedTrimaps {
    public let plan: TrimapPlan
    private let keys: [Int: KeyTrimap]
    private let bandRate: Double, bandCap: Double, motionMargin: Double
    /// Lays the screen key's trimap under a painted one (nil without a screen key).
    private let screenTrimap: ((ImageTensor) -> ImageTensor)?
    private var dilations: [Int: DilatePropagation] = [:]
    /// The feedback chain running forward, and the shot it belongs to.
    private var forward: (shot: Int, propagation: FeedbackPropagation)?
    private var backward: [Int: PackedTrimap] = [:]
    private var finished: [Int: Bool] = [:]

    public init(plan: TrimapPlan, keys: [KeyTrimap], bandRate: Double, bandCap: Double, motionMargin: Double,
                screenTrimap: ((ImageTensor) -> ImageTensor)? = nil) {
        self.plan = plan
        self.keys = Dictionary(keys.map { ($0.frameIndex, $0) }, uniquingKeysWith: { first, _ in first })
        self.bandRate = bandRate
        self.bandCap = bandCap
        self.motionMargin = motionMargin
        self.screenTrimap = screenTrimap
    }

    /// Runs what the plan mattes before the run's frames: each backward pass (reading frames
    /// in blocks of `blockSize`), then the pre-roll. `readFrames(range, body)` decodes a range
    /// in order; `log` is told what is done (for the user).
    public func prepare(matting: any AlphaMatting, blockSize: Int,
                        readFrames: (ClosedRange<Int>, (VideoFrame) throws -> Void) throws -> Void,
                        log: (String) -> Void) throws {
        for pass in plan.backwardPasses {
            log("feedback trimaps for frames \(pass.frames.lowerBound)-\(pass.frames.upperBound), walking back from the key at frame \(pass.key) (those frames are matted twice)")
            let shot = plan.shotIndex(containing: pass.key)
            let made = try BackwardFeedbackPass.trimaps(
                key: pass.key, first: pass.frames.lowerBound,
                propagation: FeedbackPropagation(dilation: dilation(shot), margin: motionMargin, direction: .backward),
                blockSize: blockSize,
                readFrames: { range in
                    var pictures: [ImageTensor] = []
                    try readFrames(range) { pictures.append($0.image) }
                    return pictures
                },
                matte: { picture, trimap, _ in try matting.matte(rgb: picture, trimap: trimap) })
            backward.merge(made) { _, new in new }
        }
        if let preRoll = plan.preRoll {
            log("feedback: matting frames \(preRoll.lowerBound)-\(preRoll.upperBound) from the key at frame \(preRoll.lowerBound) first")
            try readFrames(preRoll) { frame in try advance(frame, matting: matting) }
        }
    }

    /// The trimap for frame `index` (its picture `image`); frames must come in order.
    public func trimap(for index: Int, image: ImageTensor) -> ImageTensor {
        let painted: ImageTensor?
        switch plan.source(for: index) {
        case .key(let frame):
            // Feedback restarts its chain here (and gives the key itself).
            painted = plan.propagation == .feedback ? chain(for: index).trimap(for: index, frame: image) : keys[frame]?.values
        case .forward:
            painted = chain(for: index).trimap(for: index, frame: image)
        case .backward:
            painted = backward[index]?.unpacked() ?? dilation(plan.shotIndex(containing: index)).trimap(for: index)
        case .dilate(let shot):
            painted = dilation(shot).trimap(for: index)
        case .screen, .unkeyed:
            painted = nil
        }
        guard let screenTrimap else {
            guard let painted else { preconditionFailure("frame \(index) has no trimap: the plan refuses unkeyed shots") }
            return painted
        }
        // Painted keys override the screen key where they are definite.
        var keyed = screenTrimap(image)
        if let painted {
            for i in keyed.pixels.indices where painted.pixels[i] != TrimapValue.unknown { keyed.pixels[i] = painted.pixels[i] }
        }
        return keyed
    }

    /// Records frame `index`'s matte, for the next frame's trimap.
    public func record(alpha: ImageTensor, for index: Int) {
        guard plan.propagation == .feedback, let forward, forward.shot == plan.shotIndex(containing: index) else { return }
        switch plan.source(for: index) {
        case .key, .forward: forward.propagation.record(alpha: alpha, for: index)
        default: break
        }
    }

    /// A frame a resumed run already finished: matted again (not written) when the chain it
    /// feeds reaches an unfinished frame, so that frame gets what an uninterrupted run gives it.
    public func keep(_ frame: VideoFrame, isFinished: (Int) -> Bool, matting: any AlphaMatting) throws {
        let known = plan.feedsUnfinishedFrame(frame.index) { index in
            if let done = finished[index] { return done }
            let done = isFinished(index)
            finished[index] = done
            return done
        }
        if known { try advance(frame, matting: matting) }
    }

    private func advance(_ frame: VideoFrame, matting: any AlphaMatting) throws {
        let trimap = trimap(for: frame.index, image: frame.image)
        record(alpha: try matting.matte(rgb: frame.image, trimap: trimap), for: frame.index)
    }

    /// The forward feedback chain of the shot holding `index` (a new one on entering a shot).
    private func chain(for index: Int) -> FeedbackPropagation {
        let shot = plan.shotIndex(containing: index)
        if let forward, forward.shot == shot { return forward.propagation }
        let propagation = FeedbackPropagation(dilation: dilation(shot), margin: motionMargin)
        forward = (shot, propagation)
        return propagation
    }

    /// The dilation of a shot's own keys.
    private func dilation(_ shot: Int) -> DilatePropagation {
        if let made = dilations[shot] { return made }
        let shotKeys = plan.shots[shot].keys.compactMap { keys[$0] }
        let made = DilatePropagation(keys: shotKeys, pixelsPerFrame: bandRate, maximumMargin: bandCap)
        dilations[shot] = made
        return made
    }
}
