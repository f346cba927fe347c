import COpenBLAS
import Foundation

/// The fp32 rate this machine reaches in practice: a large square sgemm on the threads in
/// use, the yardstick for a convolution's fraction of peak.
public enum MeasuredPeak {
    public static func gflops(size: Int = 1536, repeats: Int = 3) -> Double {
        let a = [Float](repeating: 0.5, count: size * size), b = [Float](repeating: 0.25, count: size * size)
        var c = [Float](repeating: 0, count: size * size)
        var best = Double.infinity
        for _ in 0...repeats {
            let start = Date()
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(size), Int32(size), Int32(size), 1, a, Int32(size), b, Int32(size), 0, &c, Int32(size))
            best = min(best, Date().timeIntervalSince(start))
        }
        return 2 * pow(Double(size), 3) / best / 1e9
    }
}
