import Foundation
import MatteCore
import Metrics
import Testing

@Suite struct ImageErrorTests {
    @Test func measuresKnownDifferences() {
        let a = ImageTensor(width: 4, height: 2, channels: 1, fill: 0.5)
        var b = a
        #expect(ImageErrors.sad(a, b) == 0 && ImageErrors.psnr(a, b) == .infinity)
        b.pixels[3] = 0.75
        #expect(abs(ImageErrors.sad(a, b) - 0.25) < 1e-9)
        #expect(abs(ImageErrors.mse(a, b) - 0.0625 / 8) < 1e-12)
        #expect(abs(ImageErrors.psnr(a, b) - 10 * log10(8 / 0.0625)) < 1e-9)
    }
}
