import MatteCore
import Metrics
import Testing

/// Cases whose scores follow from the definitions by hand.
@Suite struct HandComputedMetricsTests {
    let width = 40, height = 30

    /// A soft horizontal ramp: 0 on the left, 1 on the right.
    var ramp: ImageTensor {
        var image = ImageTensor(width: width, height: height, channels: 1)
        for y in 0..<height { for x in 0..<width { image[0, y, x] = Float(x) / Float(width - 1) } }
        return image
    }

    /// Unknown band in the middle columns 10..<30.
    var trimap: ImageTensor {
        var image = ImageTensor(width: width, height: height, channels: 1)
        for y in 0..<height { for x in 0..<width { image[0, y, x] = x < 10 ? 0 : (x < 30 ? 128.0 / 255 : 1) } }
        return image
    }

    @Test func perfectPredictionScoresZero() {
        for region in [EvaluationRegion(trimap: trimap), .wholeFrame(width: width, height: height)] {
            #expect(MattingMetrics.scores(pred: ramp, gt: ramp, region: region) == MattingScores(sad: 0, mse: 0, gradient: 0, connectivity: 0))
        }
    }

    @Test func constantOffsetGivesSADAndMSEInClosedForm() {
        let c: Float = 0.125  // exact in binary, so pred − gt is exactly c
        var gt = ImageTensor(width: width, height: height, channels: 1, fill: 0.25)
        gt[0, 3, 4] = 0.5
        var pred = gt
        for i in pred.pixels.indices { pred.pixels[i] += c }
        let region = EvaluationRegion(trimap: trimap)
        #expect(region.pixelCount == 20 * height)
        #expect(MattingMetrics.sad(pred: pred, gt: gt, region: region) == Double(c) * Double(region.pixelCount) / 1000)
        #expect(MattingMetrics.mse(pred: pred, gt: gt, region: region) == Double(c * c))
        // A constant offset leaves the gradient unchanged.
        #expect(abs(GradientError.error(pred: pred, gt: gt, region: region)) < 1e-20)
    }

    @Test func gaussgradientKernelHasTheOfficialSize() {
        let (gauss, derivative) = GradientError.kernels()
        #expect(gauss.count == 9 && derivative.count == 9)  // halfsize = ceil(1.4·sqrt(−2·ln(√(2π)·1.4·0.01))) = 4
        #expect(abs(gauss.reduce(0) { $0 + $1 * $1 } - 1) < 1e-12)
        #expect(derivative[4] == 0 && derivative[3] == -derivative[5] && derivative[3] > 0)
    }

    @Test func largestComponentBreaksTiesInColumnMajorOrder() {
        // Two 2×2 blocks: top-right (first in row-major order) and bottom-left (first by column).
        var mask = [Bool](repeating: false, count: 36)
        for (y, x) in [(0, 4), (0, 5), (1, 4), (1, 5), (4, 0), (4, 1), (5, 0), (5, 1)] { mask[y * 6 + x] = true }
        let omega = ConnectivityError.largestComponent(mask, width: 6, height: 6)
        #expect(omega[4 * 6] && !omega[4])
        #expect(ConnectivityError.largestComponent([Bool](repeating: false, count: 4), width: 2, height: 2) == [false, false, false, false])
    }

    @Test func temporallyConstantErrorHasZeroTemporalScores() {
        var evaluator = SequenceEvaluator()
        let region = EvaluationRegion.wholeFrame(width: width, height: height)
        for t in 0..<3 {
            // Multiples of 1/16, so every sum and difference is exact in Float.
            var gt = ImageTensor(width: width, height: height, channels: 1)
            for i in gt.pixels.indices { gt.pixels[i] = Float(i % 8) / 16 + Float(t) * 0.125 }
            var pred = gt
            for i in pred.pixels.indices { pred.pixels[i] += 0.0625 }
            evaluator.add(frame: t, pred: pred, gt: gt, region: region)
        }
        let mean = evaluator.mean
        #expect(mean.dtSSD == 0 && mean.messdt == 0)
        #expect(evaluator.frames[0].dtSSD == nil && evaluator.frames[1].dtSSD == 0)
    }

    @Test func singleFrameHasNoTemporalScores() {
        var evaluator = SequenceEvaluator()
        evaluator.add(frame: 0, pred: ramp, gt: ramp, region: .wholeFrame(width: width, height: height))
        #expect(evaluator.mean.dtSSD == nil && evaluator.mean.messdt == nil)
    }
}
