import COpenBLAS

/// The OpenBLAS library as loaded in this process: which kernel it runs and how many threads.
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
}
