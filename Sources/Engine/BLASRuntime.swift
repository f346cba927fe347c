import COpenBLAS
import Foundation

/// The OpenBLAS library as loaded in this process: which kernel it runs, how many threads,
/// and the choice of kernel for CPUs this OpenBLAS build does not recognise.
public enum BLASRuntime {
    /// The CPU kernel OpenBLAS chose (e.g. "Prescott", "Haswell", "SkylakeX").
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    public static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// OpenBLAS threads for `cores` cores of which other work keeps `busyCores` busy: one per
    /// idle core, at least one. Its threads meet at the end of every product, so one thread
    /// that has to share its core stalls the rest: on 2 cores with both busy, 2 threads
    /// matted an image 11× slower than 1 thread did.
    public static func threadCount(cores: Int, busyCores: Double) -> Int {
        let idle = Double(cores) - busyCores
        return max(1, min(cores, Int(idle.rounded())))
    }

    /// The `OPENBLAS_CORETYPE` that suits a CPU with these /proc/cpuinfo flags, or nil to
    /// leave OpenBLAS's own choice: Debian's 0.3.21 does not know recent AVX-512 CPUs and
    /// falls back to its generic Prescott kernel, at about a quarter of the speed.
    public static func recommendedCore(cpuFlags: Set<String>) -> String? {
        if ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(cpuFlags.contains) { return "SkylakeX" }
        if ["avx2", "fma"].allSatisfy(cpuFlags.contains) { return "Haswell" }
        return nil
    }

    /// This machine's CPU flags (empty where /proc/cpuinfo is unreadable).
    public static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }

    /// Runs a small sgemm and compares it with a plain double-precision product: a kernel
    /// that computes wrong results on this CPU fails here.
    public static func productIsCorrect() -> Bool {
        let m = 37, n = 53, k = 61
        let a = (0..<(m * k)).map { Float(($0 * 7919) % 23) / 11 - 1 }
        let b = (0..<(k * n)).map { Float(($0 * 104_729) % 19) / 9 - 1 }
        var c = [Float](repeating: 0, count: m * n)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b, Int32(n), 0, &c, Int32(n))
        for i in 0..<m {
            for j in 0..<n {
                var expected = 0.0
                for l in 0..<k { expected += Double(a[i * k + l]) * Double(b[l * n + j]) }
                if abs(Double(c[i * n + j]) - expected) > 1e-3 * max(1, abs(expected)) { return false }
            }
        }
        return true
    }
}
