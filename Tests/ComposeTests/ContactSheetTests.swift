import Compose
import MatteCore
import Testing

/// Which frames a preview sheet shows, and its tiles and labels on hand-checked values.
@Suite struct ContactSheetTests {
    @Test func showsTheKeysTheRangesEndsAndFramesBetween() {
        #expect(ContactSheet.chooseFrames(keys: [0, 12, 24], first: 0, last: 30) == [0, 4, 8, 12, 16, 20, 24, 26, 28, 30])
        #expect(ContactSheet.chooseFrames(keys: [10], first: 0, last: 5, between: 1) == [0, 3, 5])  // a key outside the range
        #expect(ContactSheet.chooseFrames(keys: [3], first: 3, last: 4) == [3, 4])
        let many = ContactSheet.chooseFrames(keys: Array(stride(from: 0, to: 1000, by: 10)), first: 0, last: 999, maximum: 40)
        #expect(many.count == 40 && many.first == 0 && many.last == 999 && many == many.sorted())
    }

    @Test func scalesByAveragingAndCompositesOverTheCheckerboard() {
        let image = ImageTensor(width: 4, height: 2, channels: 1, pixels: [0, 1, 2, 3, 4, 5, 6, 7])
        #expect(ContactSheet.downscale(image, width: 2, height: 1).pixels == [2.5, 4.5])  // (0+1+4+5)/4, (2+3+6+7)/4
        let white = ImageTensor(width: 16, height: 1, channels: 3, fill: 1)
        let alpha = ImageTensor(width: 16, height: 1, channels: 1, pixels: [Float](repeating: 0, count: 8) + [Float](repeating: 1, count: 8))
        let over = ContactSheet.overCheckerboard(white, alpha: alpha)
        #expect(over[0, 0, 0] == ContactSheet.checkerShades.0 && over[2, 0, 8] == 1)
    }

    @Test func drawsLabelsInTheBuiltInFont() {
        var strip = ImageTensor(width: 40, height: 9, channels: 1)
        BitmapFont.draw("17", into: &strip, x: 1, y: 1, scale: 1, ink: [1])
        // "1": the stem in the third column; "7": a full top bar from x = 7.
        #expect(strip[0, 1, 3] == 1 && strip[0, 7, 3] == 1 && strip[0, 1, 1] == 0)
        #expect((7..<12).allSatisfy { strip[0, 1, $0] == 1 } && strip[0, 2, 7] == 0)
        #expect(BitmapFont.size(of: "FRAME 12", scale: 2) == (width: 94, height: 14))
        let sheet = ContactSheet(frames: [5, 1], keys: [1], width: 64, height: 32, tileWidth: 32)
        #expect(sheet.frames == [1, 5] && sheet.wants(5) && !sheet.wants(2) && sheet.layout.tileHeight == 16)
        sheet.add(frame: 5, source: ImageTensor(width: 64, height: 32, channels: 3, fill: 0.5), trimap: nil,
                  matte: ImageTensor(width: 64, height: 32, channels: 1, fill: 1))
        #expect(sheet.placedFrames == [5] && sheet.missingFrames == [1])
        let rendered = sheet.render()
        let at = sheet.layout.tileOrigin(slot: 0, column: 2)
        #expect(rendered[1, at.y + 3, at.x + 3] == 0.5)  // an opaque matte shows the source
    }
}
