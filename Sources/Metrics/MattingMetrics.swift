import Dispatch
import MatteCore

/// The four image-matting scores of one frame, with the Composition-1k benchmark's scalings.
public struct MattingScores: Sendable, Equatable, Codable {
    /// Sum of absolute differences over the region, /1000.
    public var sad: Double
    /// Mean squared difference over the region (unscaled).
    public var mse: Double
    /// Gradient error over the region, /1000.
    public var gradient: Double
    /// Connectivity error over the region, /1000.
    public var connectivity: Double

    public init(sad: Double, mse: Double, gradient: Double, connectivity: Double) {
        self.sad = sad
        self.mse = mse
        self.gradient = gradient
        self.connectivity = connectivity
    }
}

/// SAD, MSE, gradient and connectivity errors of a predicted alpha against the ground truth,
/// as the Composition-1k (Deep Image Matting) MATLAB evaluation defines them; see docs/metrics.md.
/// Alphas are single-plane tensors in 0...1 (only the first plane is read).
public enum MattingMetrics {
    /// All four scores of one frame.
    public static func scores(pred: ImageTensor, gt: ImageTensor, region: EvaluationRegion) -> MattingScores {
        check(pred, gt, region)
        // The two costly scores are independent: run them side by side.
        nonisolated(unsafe) var gradient = 0.0, connectivity = 0.0
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            if part == 0 {
                gradient = GradientError.error(pred: pred, gt: gt, region: region)
            } else {
                connectivity = ConnectivityError.error(pred: pred, gt: gt, region: region)
            }
        }
        return MattingScores(sad: sad(pred: pred, gt: gt, region: region), mse: mse(pred: pred, gt: gt, region: region),
                             gradient: gradient, connectivity: connectivity)
    }

    /// Σ |pred − gt| over the region, /1000.
    public static func sad(pred: ImageTensor, gt: ImageTensor, region: EvaluationRegion) -> Double {
        check(pred, gt, region)
        let p = pred.pixels, g = gt.pixels
        return region.sum { abs(Double(p[$0]) - Double(g[$0])) } / 1000
    }

    /// Σ (pred − gt)² over the region / its pixel count; 0 for an empty region (MATLAB gives NaN).
    public static func mse(pred: ImageTensor, gt: ImageTensor, region: EvaluationRegion) -> Double {
        check(pred, gt, region)
        guard region.pixelCount > 0 else { return 0 }
        let p = pred.pixels, g = gt.pixels
        return region.sum { let d = Double(p[$0]) - Double(g[$0]); return d * d } / Double(region.pixelCount)
    }

    static func check(_ pred: ImageTensor, _ gt: ImageTensor, _ region: EvaluationRegion) {
        precondition(pred.width == gt.width && pred.height == gt.height, "prediction and ground truth differ in size")
        precondition(region.width == gt.width && region.height == gt.height, "region and alpha differ in size")
    }
}
