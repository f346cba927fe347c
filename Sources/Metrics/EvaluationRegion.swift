import MatteCore

/// The pixels a matting score covers: a trimap's unknown band, or the whole frame.
public struct EvaluationRegion: Sendable {
    public let width: Int
    public let height: Int
    /// One flag per pixel (row-major), true where the pixel counts; nil when every pixel counts.
    public let mask: [Bool]?
    /// How many pixels count.
    public let pixelCount: Int

    /// Every pixel of a `width`×`height` frame.
    public static func wholeFrame(width: Int, height: Int) -> EvaluationRegion {
        EvaluationRegion(width: width, height: height, mask: nil, pixelCount: width * height)
    }

    /// The unknown pixels of a painted trimap (first plane; grey levels snapped with `TrimapValue.snap`).
    public init(trimap: ImageTensor) {
        var mask = [Bool](repeating: false, count: trimap.planeSize)
        var count = 0
        for i in mask.indices where TrimapValue.snap(trimap.pixels[i]) == TrimapValue.unknown {
            mask[i] = true
            count += 1
        }
        self.init(width: trimap.width, height: trimap.height, mask: mask, pixelCount: count)
    }

    public init(width: Int, height: Int, mask: [Bool]?, pixelCount: Int) {
        precondition(mask == nil || mask!.count == width * height, "mask does not match the frame size")
        self.width = width
        self.height = height
        self.mask = mask
        self.pixelCount = pixelCount
    }

    /// Whether pixel `index` (row-major) counts.
    @inline(__always) public func contains(_ index: Int) -> Bool { mask?[index] ?? true }

    /// Sums `term(i)` over the pixels that count, in row-major order.
    @inline(__always) func sum(_ term: (Int) -> Double) -> Double {
        var total = 0.0
        if let mask {
            for i in 0..<width * height where mask[i] { total += term(i) }
        } else {
            for i in 0..<width * height { total += term(i) }
        }
        return total
    }
}
