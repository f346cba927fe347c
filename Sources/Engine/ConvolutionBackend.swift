/// What runs the network's convolutions: oneDNN's JIT kernels in its blocked layout, or
/// im2col / shifted taps over OpenBLAS's sgemm (docs/engine.md compares them).
public enum ConvolutionBackend: String, Sendable, CaseIterable {
    case oneDNN = "onednn"
    case openBLAS = "openblas"

    /// The faster of the two on the shipped networks (`vmatte bench engine --backend`).
    public static let standard = ConvolutionBackend.oneDNN
}
