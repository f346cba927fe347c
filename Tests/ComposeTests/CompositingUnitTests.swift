import Compose
import Foundation
import MatteCore
import Testing

/// Despill, the compositing formula, colours and background placement on hand-checked values.
@Suite struct CompositingUnitTests {
    @Test func despillLimitsTheScreenChannel() {
        func despilled(_ rgb: [Float], _ despill: Despill) -> [Float] {
            var image = ImageTensor(width: 1, height: 1, channels: 3, pixels: rgb)
            despill.apply(to: &image)
            return image.pixels
        }
        #expect(despilled([0.2, 0.9, 0.4], Despill(screen: .green)) == [0.2, 0.4, 0.4])
        #expect(abs(despilled([0.2, 0.9, 0.4], Despill(screen: .green, limit: .average))[1] - 0.3) < 1e-6)
        #expect(abs(despilled([0.2, 0.9, 0.4], Despill(screen: .green, amount: 0.5))[1] - 0.65) < 1e-6)
        #expect(despilled([0.2, 0.3, 0.4], Despill(screen: .green)) == [0.2, 0.3, 0.4])
        #expect(despilled([0.1, 0.3, 0.8], Despill(screen: .blue)) == [0.1, 0.3, 0.3])
    }

    @Test func compositesByTheMatteInCodedOrLinearLight() {
        let f = ImageTensor(width: 3, height: 1, channels: 3, fill: 1)
        let b = ImageTensor(width: 3, height: 1, channels: 3, fill: 0)
        let a = ImageTensor(width: 3, height: 1, channels: 1, pixels: [1, 0, 0.5])
        let coded = Compositor().composite(foreground: f, alpha: a, background: b)
        #expect(coded.pixels[0] == 1 && coded.pixels[1] == 0 && coded.pixels[2] == 0.5)
        let linear = Compositor(linearLight: true).composite(foreground: f, alpha: a, background: b)
        #expect(abs(linear.pixels[0] - 1) < 1e-4 && abs(linear.pixels[1]) < 1e-4)
        #expect(abs(Double(linear.pixels[2]) - TransferFunction.encode(0.5)) < 1e-3)
        for v in stride(from: Float(0), through: 1, by: 0.01) {
            let t = TransferFunction.shared
            #expect(abs(t.fromLinear(t.toLinear(v)) - v) < 2e-3)
        }
    }

    @Test func parsesColours() {
        #expect(BackgroundColor.parse("#0f0")! == (0, 1, 0))
        #expect(BackgroundColor.parse("#00FF00")! == (0, 1, 0))
        #expect(BackgroundColor.parse("Grey")! == (0.5, 0.5, 0.5))
        #expect(BackgroundColor.parse("#336699")!.2 == Float(0x99) / 255)
        #expect(BackgroundColor.parse("#12") == nil && BackgroundColor.parse("#ggg") == nil && BackgroundColor.parse("sky") == nil)
    }

    @Test func placesBackgroundsByFitFillAndStretch() {
        // 40×20: left half red, right half blue.
        var image = ImageTensor(width: 40, height: 20, channels: 3)
        for y in 0..<20 { for x in 0..<40 { image[x < 20 ? 0 : 2, y, x] = 1 } }
        let fit = BackgroundFit.fit.place(image, width: 40, height: 40)
        #expect(fit[0, 5, 5] == 0 && fit[2, 34, 35] == 0)
        #expect(fit[0, 20, 5] == 1 && fit[2, 20, 35] == 1)
        let fill = BackgroundFit.fill.place(image, width: 40, height: 40)
        // Scaled ×2 to 80×40 and cropped to the middle 40 columns: the red/blue split stays in the middle.
        #expect(fill[0, 0, 0] == 1 && fill[0, 39, 19] > 0.4 && fill[2, 39, 39] == 1 && fill[2, 0, 21] > 0.9)
        let stretch = BackgroundFit.stretch.place(image, width: 20, height: 60)
        #expect(stretch[0, 0, 0] == 1 && stretch[2, 59, 19] == 1 && stretch[0, 30, 4] == 1)
    }
}
