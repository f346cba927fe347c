import Foundation
import MatteCore
import Testing
@testable import Trimaps

/// Synthetic moving shapes with exact soft alpha: the propagated unknown band must cover the
/// true transition pixels while staying narrow.
@Suite struct PropagationCoverageTests {
    static let width = 160, height = 96

    /// A soft-edged disc (edge 4 px wide) moving `velocity` pixels per frame (default 2 right,
    /// 1 down), over a textured background; with `window`, a see-through patch (alpha 0.6,
    /// radius 4) inside it that slides 1 px a frame across it. Returns the frame and its exact alpha.
    static func frame(_ t: Int, velocity: (Double, Double) = (2, 1), window: Bool = false) -> (rgb: ImageTensor, alpha: ImageTensor) {
        var rgb = ImageTensor(width: width, height: height, channels: 3)
        var alpha = ImageTensor(width: width, height: height, channels: 1)
        let cx = 50.0 + velocity.0 * Double(t), cy = 40.0 + velocity.1 * Double(t)
        for y in 0..<height {
            for x in 0..<width {
                let d = ((Double(x) - cx) * (Double(x) - cx) + (Double(y) - cy) * (Double(y) - cy)).squareRoot()
                let wx = Double(x) - (cx - 8 + Double(t)), wy = Double(y) - cy
                let inWindow = window && wx * wx + wy * wy < 16
                let a = Float(inWindow ? 0.6 : min(1, max(0, (22 - d) / 4)))
                alpha[0, y, x] = a
                // Background texture moves with the camera: static here; the disc is bright red.
                let background = Float((x * 7 + y * 13) % 29) / 40
                rgb[0, y, x] = a * 0.95 + (1 - a) * background
                rgb[1, y, x] = a * 0.1 + (1 - a) * background
                rgb[2, y, x] = a * 0.1 + (1 - a) * (1 - background)
            }
        }
        return (rgb, alpha)
    }

    /// The key a user paints: known where alpha is 0 or 1, unknown on the edge plus 2 px.
    static func key(_ t: Int, velocity: (Double, Double) = (2, 1), window: Bool = false) -> KeyTrimap {
        var values = frame(t, velocity: velocity, window: window).alpha
        for i in values.pixels.indices {
            let a = values.pixels[i]
            values.pixels[i] = a >= 1 ? TrimapValue.foreground : (a <= 0 ? TrimapValue.background : TrimapValue.unknown)
        }
        return KeyTrimap(frameIndex: t, path: "key\(t)", values: DilatePropagation.growUnknown(values, by: 2))
    }

    /// (share of true soft pixels inside the band, band area / true soft area).
    static func coverage(_ trimap: ImageTensor, _ alpha: ImageTensor) -> (covered: Double, ratio: Double) {
        var soft = 0, covered = 0, band = 0
        for i in alpha.pixels.indices {
            let isSoft = alpha.pixels[i] > 0 && alpha.pixels[i] < 1
            let unknown = trimap.pixels[i] == TrimapValue.unknown
            if isSoft { soft += 1; if unknown { covered += 1 } }
            if unknown { band += 1 }
            // A definite value must be right.
            if !unknown { #expect(trimap.pixels[i] == alpha.pixels[i], "wrong definite pixel") }
        }
        return (Double(covered) / Double(max(1, soft)), Double(band) / Double(max(1, soft)))
    }

    /// Frames before the first key get their feedback trimaps from the backward pass (in
    /// blocks of 5, so several are walked); an exact matte stands in for the engine.
    func run(keys: [KeyTrimap], frames: Range<Int>, feedback useFeedback: Bool) throws -> (worst: Double, meanRatio: Double) {
        let dilation = DilatePropagation(keys: keys, pixelsPerFrame: 2.5, maximumMargin: 60)
        let feedback = useFeedback ? FeedbackPropagation(dilation: dilation, margin: 4) : nil
        var beforeKey: [Int: PackedTrimap] = [:]
        if useFeedback, let key = dilation.keys.first?.frameIndex, key > frames.lowerBound {
            beforeKey = try BackwardFeedbackPass.trimaps(
                key: key, first: frames.lowerBound,
                propagation: FeedbackPropagation(dilation: dilation, margin: 4, direction: .backward), blockSize: 5,
                readFrames: { range in range.map { Self.frame($0).rgb } },
                matte: { _, _, index in Self.frame(index).alpha })
            #expect(beforeKey.keys.sorted() == Array(frames.lowerBound..<key))
        }
        var worst = 1.0, ratios = 0.0
        for t in frames {
            let (rgb, alpha) = Self.frame(t)
            let trimap = beforeKey[t]?.unpacked() ?? feedback?.trimap(for: t, frame: rgb) ?? dilation.trimap(for: t)
            let (covered, ratio) = Self.coverage(trimap, alpha)
            worst = min(worst, covered)
            ratios += ratio
            feedback?.record(alpha: alpha, for: t)  // an exact matte stands in for the engine
        }
        return (worst, ratios / Double(frames.count))
    }

    @Test(arguments: [false, true])
    func forwardFromOneKey(feedback: Bool) throws {
        let result = try run(keys: [Self.key(0)], frames: 0..<16, feedback: feedback)
        print("propagation \(feedback ? "feedback" : "dilate") forward: worst coverage \(result.worst), band/true area \(result.meanRatio)")
        #expect(result.worst >= 0.995)
    }

    @Test(arguments: [false, true])
    func backwardFromALaterKey(feedback: Bool) throws {
        let result = try run(keys: [Self.key(12)], frames: 0..<12, feedback: feedback)
        print("propagation \(feedback ? "feedback" : "dilate") backward: worst coverage \(result.worst), band/true area \(result.meanRatio)")
        #expect(result.worst >= 0.995)
    }

    @Test(arguments: [false, true])
    func betweenTwoKeys(feedback: Bool) throws {
        let result = try run(keys: [Self.key(0), Self.key(15)], frames: 0..<16, feedback: feedback)
        print("propagation \(feedback ? "feedback" : "dilate") two keys: worst coverage \(result.worst), band/true area \(result.meanRatio)")
        #expect(result.worst >= 0.995)
    }

    @Test func feedbackKeepsTheBandNarrowerThanDilation() throws {
        let dilate = try run(keys: [Self.key(0)], frames: 0..<16, feedback: false)
        let feedback = try run(keys: [Self.key(0)], frames: 0..<16, feedback: true)
        #expect(feedback.meanRatio <= dilate.meanRatio / 2)
        // Backward from a later key too: the band follows the matte, not the distance to the key.
        let dilateBack = try run(keys: [Self.key(15)], frames: 0..<16, feedback: false)
        let feedbackBack = try run(keys: [Self.key(15)], frames: 0..<16, feedback: true)
        print("propagation backward band/true area: dilate \(dilateBack.meanRatio), feedback \(feedbackBack.meanRatio)")
        #expect(feedbackBack.meanRatio <= dilateBack.meanRatio / 2)
    }

    /// A matte blind to faint alpha (below 0.3 it says 0) and a 1-px margin: the faint outer
    /// edge is lost from the matte's own band, and the key's painted band, carried along with
    /// the object, keeps it unknown.
    @Test func theKeysBandTravelsWithTheObject() {
        #expect(Self.worstCoverageWithABlindMatte(frames: 16, velocity: (2, 1), bandGrowth: 0.15) >= 0.995)
    }

    /// A slow drift (0.4 px a frame: every frame-to-frame estimate rounds to 0) with the
    /// faint-blind matte: the key's band must still follow the object 16 px away.
    @Test func theKeysBandFollowsASlowDrift() {
        #expect(Self.worstCoverageWithABlindMatte(frames: 41, velocity: (0.4, 0), bandGrowth: 0) >= 0.995)
    }

    /// Feedback from one key at frame 0 with a matte that says 0 wherever alpha is below 0.3.
    static func worstCoverageWithABlindMatte(frames: Int, velocity: (Double, Double), bandGrowth: Double) -> Double {
        let dilation = DilatePropagation(keys: [key(0, velocity: velocity)], pixelsPerFrame: 2.5, maximumMargin: 60)
        let feedback = FeedbackPropagation(dilation: dilation, margin: 1)
        feedback.bandGrowth = bandGrowth
        var worst = 1.0
        for t in 0..<frames {
            let (rgb, alpha) = frame(t, velocity: velocity)
            worst = min(worst, coverage(feedback.trimap(for: t, frame: rgb), alpha).covered)
            var blind = alpha
            for i in blind.pixels.indices where blind.pixels[i] < 0.3 { blind.pixels[i] = 0 }
            feedback.record(alpha: blind, for: t)
        }
        return worst
    }

    /// A see-through window inside the object (alpha 0.6, far from its edge) that moves away
    /// from where the key marked it stays unknown: only what the matte calls opaque becomes
    /// foreground, not all that is above one half.
    @Test func seeThroughPartsInsideStayUnknown() {
        let dilation = DilatePropagation(keys: [Self.key(0, window: true)], pixelsPerFrame: 2.5, maximumMargin: 60)
        let feedback = FeedbackPropagation(dilation: dilation, margin: 1)
        var worst = 1.0
        for t in 0..<12 {
            let (rgb, alpha) = Self.frame(t, window: true)
            worst = min(worst, Self.coverage(feedback.trimap(for: t, frame: rgb), alpha).covered)
            feedback.record(alpha: alpha, for: t)
        }
        #expect(worst >= 0.995)
    }

    @Test func packedTrimapsUnpackToTheSameValues() {
        let trimap = Self.key(3).values
        let packed = PackedTrimap(trimap)
        #expect(packed.unpacked() == trimap)
        var flat = ImageTensor(width: 7, height: 3, channels: 1, fill: TrimapValue.unknown)
        flat.pixels[20] = TrimapValue.foreground
        #expect(PackedTrimap(flat).unpacked() == flat)
    }

    @Test func theBackwardPassReadsEachFrameOnceAndMattesAllButTheFirst() throws {
        let dilation = DilatePropagation(keys: [Self.key(9)])
        var read: [Int] = [], matted: [Int] = []
        _ = try BackwardFeedbackPass.trimaps(
            key: 9, first: 2, propagation: FeedbackPropagation(dilation: dilation, direction: .backward), blockSize: 3,
            readFrames: { range in read += range; return range.map { Self.frame($0).rgb } },
            matte: { _, _, index in matted.append(index); return Self.frame(index).alpha })
        #expect(read.sorted() == Array(2...9))
        #expect(matted == Array((3...9).reversed()))
    }

    @Test func followsTheObjectNotTheStaticBackground() {
        // A textured square moves (5, 2) over a static textured background: matched within the
        // square, the shift is the square's; within the rest, none.
        func picture(_ ox: Int, _ oy: Int) -> (grey: ImageTensor, mask: ImageTensor) {
            var grey = ImageTensor(width: Self.width, height: Self.height, channels: 1)
            var mask = ImageTensor(width: Self.width, height: Self.height, channels: 1)
            for y in 0..<Self.height {
                for x in 0..<Self.width {
                    let inside = (30 + ox..<70 + ox).contains(x) && (20 + oy..<60 + oy).contains(y)
                    let (u, v) = inside ? (Double(x - ox), Double(y - oy)) : (Double(x), Double(y))
                    grey[0, y, x] = Float(inside ? 0.6 + 0.2 * sin(u / 3.1) * cos(v / 4.3) + 0.1 * cos(u * v / 53)
                                                 : 0.3 + 0.1 * sin(u / 7.3 + v / 11.1) + 0.1 * sin(u / 3.1 - v / 5.7 + 1) + 0.05 * cos(u * v / 97))
                    mask[0, y, x] = inside ? 1 : 0
                }
            }
            return (grey, mask)
        }
        let before = picture(0, 0), after = picture(5, 2)
        var background = before.mask
        for i in background.pixels.indices { background.pixels[i] = 1 - background.pixels[i] }
        let still = GlobalMotion.shift(from: before.grey, to: after.grey, region: background)
        #expect(still.dx == 0 && still.dy == 0)
        let object = GlobalMotion.shift(from: before.grey, to: after.grey, region: before.mask)
        #expect(object.dx == 5 && object.dy == 2)
    }

    @Test func findsTheGlobalShift() {
        // Smooth random texture (a sum of a few seeded waves), not periodic over the frame.
        var a = ImageTensor(width: Self.width, height: Self.height, channels: 1)
        for y in 0..<Self.height {
            for x in 0..<Self.width {
                let (fx, fy) = (Double(x), Double(y))
                a[0, y, x] = Float(0.5 + 0.2 * sin(fx / 7.3 + fy / 11.1) + 0.15 * sin(fx / 3.1 - fy / 5.7 + 1) + 0.1 * cos(fx * fy / 97))
            }
        }
        let moved = FeedbackPropagation.translate(a, dx: 7, dy: -3)
        let shift = GlobalMotion.shift(from: a, to: moved)
        #expect(shift.dx == 7 && shift.dy == -3)
    }
}
