import Compose
import Foundation
import MatteCore
import Testing

/// Trimaps keyed from a green screen agree with the true matte where they claim to know.
@Suite struct ScreenKeyTests {
    func check(_ scene: GreenScreenScene, sourceLocation: SourceLocation = #_sourceLocation) {
        let trimap = ScreenKey(screen: .auto).trimap(for: scene.shot)
        var wrongForeground = 0, wrongBackground = 0, softKnown = 0, unknown = 0, soft = 0
        for (i, a) in scene.alpha.pixels.enumerated() {
            let t = trimap.pixels[i]
            // Known is wrong by more than 0.15 of alpha; the network mattes only the unknown.
            if t == TrimapValue.foreground && a < 0.85 { wrongForeground += 1 }
            if t == TrimapValue.background && a > 0.15 { wrongBackground += 1 }
            if a > 0.15 && a < 0.85 { soft += 1; if t != TrimapValue.unknown { softKnown += 1 } }
            if t == TrimapValue.unknown { unknown += 1 }
        }
        let n = scene.alpha.planeSize
        print("screen key \(scene.alpha.width)x\(scene.alpha.height): unknown \(unknown * 100 / n)% of the frame, "
              + "soft pixels marked known \(softKnown) of \(soft), wrong foreground \(wrongForeground), wrong background \(wrongBackground)")
        #expect(wrongForeground <= n / 1000 && wrongBackground <= n / 1000 && softKnown <= soft / 100, sourceLocation: sourceLocation)
        #expect(unknown < n / 3, sourceLocation: sourceLocation)
    }

    @Test func proceduralShape() {
        check(GreenScreenScene.procedural(width: 320, height: 240))
    }

    @Test(.enabled(if: GreenScreenScene.hasAlphamatting, GreenScreenScene.noAlphamattingReason))
    func alphamattingGT09() throws {
        check(try GreenScreenScene.alphamatting())
    }

    @Test func detectsTheScreenColour() {
        let green = ImageTensor(width: 4, height: 4, channels: 3, pixels: [Float](repeating: 0.1, count: 16) + [Float](repeating: 0.8, count: 16) + [Float](repeating: 0.2, count: 16))
        let blue = ImageTensor(width: 4, height: 4, channels: 3, pixels: [Float](repeating: 0.1, count: 16) + [Float](repeating: 0.3, count: 16) + [Float](repeating: 0.9, count: 16))
        #expect(ScreenKey.detect(green) == .green && ScreenKey.detect(blue) == .blue)
    }
}
