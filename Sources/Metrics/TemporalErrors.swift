import MatteCore

/// Temporal coherence errors of the videomatting.com benchmark (Erofeev et al., BMVC 2015),
/// per pair of consecutive frames, over the whole frame; see docs/metrics.md.
public enum TemporalErrors {
    /// dtSSD_t = sqrt( Σ_p ((pred_t − pred_{t−1}) − (gt_t − gt_{t−1}))² / N ), unscaled.
    public static func dtSSD(pred: ImageTensor, previousPred: ImageTensor, gt: ImageTensor, previousGT: ImageTensor) -> Double {
        check(pred, previousPred, gt, previousGT)
        var total = 0.0
        for k in 0..<gt.planeSize {
            let d = (Double(pred.pixels[k]) - Double(previousPred.pixels[k])) - (Double(gt.pixels[k]) - Double(previousGT.pixels[k]))
            total += d * d
        }
        return (total / Double(max(gt.planeSize, 1))).squareRoot()
    }

    /// MESSDdt_t = Σ_p |(pred_t − gt_t)² − (pred_{t−1} − gt_{t−1})²| / N with zero motion (no
    /// ground-truth motion vectors: each pixel is compared with the same pixel), unscaled.
    public static func messdt(pred: ImageTensor, previousPred: ImageTensor, gt: ImageTensor, previousGT: ImageTensor) -> Double {
        check(pred, previousPred, gt, previousGT)
        var total = 0.0
        for k in 0..<gt.planeSize {
            let now = Double(pred.pixels[k]) - Double(gt.pixels[k])
            let before = Double(previousPred.pixels[k]) - Double(previousGT.pixels[k])
            total += abs(now * now - before * before)
        }
        return total / Double(max(gt.planeSize, 1))
    }

    static func check(_ images: ImageTensor...) {
        precondition(images.allSatisfy { $0.width == images[0].width && $0.height == images[0].height }, "frames differ in size")
    }
}
