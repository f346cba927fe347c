import MatteCore
import Testing
import Trimaps

/// Which frame gets which trimap source, and the order frames are matted in, per shot.
@Suite struct TrimapPlanTests {
    /// Cuts at 10 and 20 in 30 frames; keys at 3 and 6 (shot one) and 15 (shot two); shot three has none.
    let shots = ShotList(cuts: [10, 20], frameCount: 30)

    @Test func feedbackRunsForwardFromEachKeyAndBackToTheShotStart() {
        let plan = TrimapPlan(keys: [15, 3, 6], shots: shots, propagation: .feedback, screenKeyed: true)
        #expect(plan.shots.map(\.keys) == [[3, 6], [15], []])
        #expect((0...2).map(plan.source) == Array(repeating: .backward(key: 3), count: 3))
        #expect(plan.source(for: 3) == .key(3))
        #expect(plan.source(for: 5) == .forward(key: 3))
        #expect(plan.source(for: 9) == .forward(key: 6))
        // The cut: shot two's frames before its key walk back from it, never on from frame 9.
        #expect((10...14).map(plan.source) == Array(repeating: .backward(key: 15), count: 5))
        #expect(plan.source(for: 19) == .forward(key: 15))
        #expect(plan.source(for: 20) == .screen)
        #expect(plan.backwardPasses == [TrimapPlan.BackwardPass(key: 3, frames: 0...2), TrimapPlan.BackwardPass(key: 15, frames: 10...14)])
        #expect(plan.preRoll == nil)
        #expect(plan.steps == [.backward(key: 3, matted: [3, 2, 1]), .backward(key: 15, matted: [15, 14, 13, 12, 11]), .main(first: 0, last: 29)])
        // Chains end at the cut.
        #expect(plan.feeds(8) && plan.feeds(9) == false && plan.feeds(12) == false && plan.feeds(15))
    }

    @Test func aChunkPreRollsFromTheKeyBeforeItWithinItsShot() {
        let chunk = TrimapPlan(keys: [3, 6, 15], shots: shots, propagation: .feedback, range: FrameRange(first: 17, last: 19))
        #expect(chunk.preRoll == 15...16)
        #expect(chunk.backwardPasses.isEmpty)
        #expect(chunk.steps == [.preRoll(15...16), .main(first: 17, last: 19)])
        // A chunk from inside shot one across the cut: pre-roll from key 6, and shot two's frames
        // before its key walked back from it; shot three is outside the chunk.
        let across = TrimapPlan(keys: [3, 6, 15], shots: shots, propagation: .feedback, range: FrameRange(first: 8, last: 12))
        // (frame 10's matte would feed no one.)
        #expect(across.steps == [.backward(key: 15, matted: [15, 14, 13, 12, 11]), .preRoll(6...7), .main(first: 8, last: 12)])
        #expect(across.backwardPasses == [TrimapPlan.BackwardPass(key: 15, frames: 10...14)])
        #expect(across.unkeyedShots.isEmpty && across.refusal == nil)
        // Starting on a shot's first frame before its key: no pre-roll from the shot before.
        let atCut = TrimapPlan(keys: [3, 6, 15], shots: shots, propagation: .feedback, range: FrameRange(first: 10, last: 11))
        #expect(atCut.preRoll == nil)
        #expect(atCut.steps == [.backward(key: 15, matted: [15, 14, 13, 12, 11]), .main(first: 10, last: 11)])
    }

    @Test func unkeyedShotsAreNamedWithTheFrameToPaint() {
        let plan = TrimapPlan(keys: [3, 15], shots: shots, propagation: .feedback)
        #expect(plan.unkeyedShots == [TrimapPlan.Shot(first: 20, last: 29, keys: [])])
        #expect(plan.source(for: 25) == .unkeyed)
        let message = plan.refusal ?? ""
        #expect(message.contains("shot 3: frames 20-29 has no key: paint frame 20"), "\(message)")
        // A screen key makes trimaps for it; a run outside it needs none.
        #expect(TrimapPlan(keys: [3, 15], shots: shots, propagation: .feedback, screenKeyed: true).refusal == nil)
        #expect(TrimapPlan(keys: [3, 15], shots: shots, propagation: .feedback, range: FrameRange(first: 0, last: 19)).refusal == nil)
        let open = TrimapPlan(keys: [], shots: ShotList(cuts: [5], frameCount: nil), propagation: .dilate)
        #expect(open.refusal?.contains("frames 5-end has no key: paint frame 5") == true)
        #expect(open.refusal?.contains("frames 0-4 has no key: paint frame 0") == true)
    }

    @Test func dilateUsesEachShotsOwnKeysAndMattesNothingTwice() {
        let plan = TrimapPlan(keys: [3, 15, 25], shots: shots, propagation: .dilate, range: FrameRange(first: 12, last: 27))
        #expect(plan.source(for: 12) == .dilate(shot: 1) && plan.source(for: 22) == .dilate(shot: 2) && plan.source(for: 25) == .key(25))
        #expect(plan.steps == [.main(first: 12, last: 27)])
        #expect(!plan.feeds(15))
    }

    @Test func oneShotIsTheBehaviourWithoutCuts() {
        let plan = TrimapPlan(keys: [5, 20], shots: .single(frameCount: 30), propagation: .feedback, range: FrameRange(first: 12, last: nil))
        #expect(plan.source(for: 2) == .backward(key: 5) && plan.source(for: 12) == .forward(key: 5) && plan.source(for: 29) == .forward(key: 20))
        #expect(plan.steps == [.preRoll(5...11), .main(first: 12, last: 29)])
    }

    @Test func aResumedRunRemattesFinishedFramesOnlyWhereTheirChainReachesAnUnfinishedOne() {
        let plan = TrimapPlan(keys: [3, 15], shots: shots, propagation: .feedback, screenKeyed: true)
        let finished = Set(0...12)
        // Frames 3-9 feed no unfinished frame of their shot (it is done); frame 9's chain stops at the cut.
        #expect(!(3...9).contains { plan.feedsUnfinishedFrame($0, isFinished: finished.contains) })
        let partly = Set(0...7)
        #expect((3...7).allSatisfy { plan.feedsUnfinishedFrame($0, isFinished: partly.contains) })
        #expect(!plan.feedsUnfinishedFrame(1, isFinished: partly.contains))
    }

    @Test func shotListsParseAndRefuseBadLines() throws {
        let list = try ShotList.parse("# edit list\n\n12\n  40 # a dissolve\n", path: "cuts.txt", frameCount: 50)
        #expect(list.cuts == [12, 40])
        #expect(list.shots == [ShotList.Shot(first: 0, last: 11), ShotList.Shot(first: 12, last: 39), ShotList.Shot(first: 40, last: 49)])
        #expect(list.shotIndex(containing: 11) == 0 && list.shotIndex(containing: 12) == 1 && list.shotIndex(containing: 49) == 2)
        #expect(try ShotList.parse("0\n7\n", path: "c", frameCount: nil).cuts == [7])
        for (text, words) in [("5\nx5\n", "line 2: 'x5' is not a frame number"), ("50\n", "frame 50 is beyond the clip, which has 50 frames"),
                              ("9\n9\n", "line 2: frame 9 does not come after"), ("-1\n", "negative"), ("3.5\n", "'3.5' is not a frame number")] {
            #expect {
                try ShotList.parse(text, path: "cuts.txt", frameCount: 50)
            } throws: { error in
                (error as? VMatteError)?.message.contains(words) == true && (error as? VMatteError)?.exitCode == 2
            }
        }
    }
}
