import MatteCore
import Testing
@testable import Trimaps

@Suite struct DilatePropagationTests {
    /// A disc of foreground with a 2-pixel unknown rim, centred at `cx`.
    func key(frame: Int, cx: Int) -> KeyTrimap {
        var values = ImageTensor(width: 80, height: 40, channels: 1, fill: TrimapValue.background)
        for y in 0..<40 {
            for x in 0..<80 {
                let d = Double((x - cx) * (x - cx) + (y - 20) * (y - 20)).squareRoot()
                values[0, y, x] = d < 8 ? TrimapValue.foreground : (d < 10 ? TrimapValue.unknown : TrimapValue.background)
            }
        }
        return KeyTrimap(frameIndex: frame, path: "key\(frame).png", values: values)
    }

    func unknownCount(_ trimap: ImageTensor) -> Int { trimap.pixels.filter { $0 == TrimapValue.unknown }.count }

    /// A key is kept packed, and reads back as painted: a clip with many keys holds kilobytes for each.
    @Test func aKeyReadsBackAsPainted() {
        var painted = key(frame: 3, cx: 41).values
        #expect(painted.width == 80 && painted.height == 40)
        var stored = KeyTrimap(frameIndex: 3, path: "key3.png", values: painted)
        #expect(stored.values == painted && stored.width == 80 && stored.height == 40)
        painted[0, 0, 0] = TrimapValue.unknown
        stored.values = painted
        #expect(stored.values == painted)
    }

    @Test func theKeyFrameKeepsItsTrimap() {
        let propagation = DilatePropagation(keys: [key(frame: 5, cx: 30)])
        #expect(propagation.trimap(for: 5) == key(frame: 5, cx: 30).values)
    }

    @Test func theBandGrowsWithDistanceUpToTheCap() {
        let propagation = DilatePropagation(keys: [key(frame: 10, cx: 30)], pixelsPerFrame: 1, maximumMargin: 4)
        let near = unknownCount(propagation.trimap(for: 12)), far = unknownCount(propagation.trimap(for: 14))
        #expect(unknownCount(propagation.trimap(for: 10)) < near && near < far)
        #expect(unknownCount(propagation.trimap(for: 30)) == far)
        // Backward from the key as forward.
        #expect(unknownCount(propagation.trimap(for: 8)) == near)
        // Two frames from the key at 1 px per frame: 2 px beyond the rim is unknown, 4 px is not.
        let grown = propagation.trimap(for: 12)
        #expect(grown[0, 20, 30 + 11] == TrimapValue.unknown && grown[0, 20, 30 + 13] == TrimapValue.background)
    }

    @Test func betweenTwoKeysOnlyAgreementStaysKnown() {
        let propagation = DilatePropagation(keys: [key(frame: 0, cx: 30), key(frame: 10, cx: 40)], pixelsPerFrame: 0, maximumMargin: 0)
        let middle = propagation.trimap(for: 5)
        #expect(middle[0, 20, 25] == TrimapValue.unknown)     // foreground only in the first key
        #expect(middle[0, 20, 35] == TrimapValue.foreground)  // inside both discs
        #expect(middle[0, 2, 2] == TrimapValue.background)
    }
}
