import MatteCore

/// The baseline propagation: a frame takes the trimap of its nearest keyframe(s) with the
/// unknown band grown by a margin that increases with the distance to the key. Between two
/// keys both are combined: foreground only where both say foreground, background only where
/// both say background, unknown elsewhere.
public struct DilatePropagation: Sendable {
    public let keys: [KeyTrimap]
    /// Band growth in pixels per frame of distance to the key, and its cap.
    public var pixelsPerFrame: Double
    public var maximumMargin: Double

    public init(keys: [KeyTrimap], pixelsPerFrame: Double = 3, maximumMargin: Double = 80) {
        precondition(!keys.isEmpty, "propagation needs at least one key")
        self.keys = keys.sorted { $0.frameIndex < $1.frameIndex }
        self.pixelsPerFrame = pixelsPerFrame
        self.maximumMargin = maximumMargin
    }

    /// The trimap for frame `index`.
    public func trimap(for index: Int) -> ImageTensor {
        let before = keys.last { $0.frameIndex <= index }
        let after = keys.first { $0.frameIndex >= index }
        switch (before, after) {
        case let (key?, other?) where key.frameIndex == other.frameIndex:
            return key.values
        case let (key?, other?):
            return Self.intersect(grown(key, to: index), grown(other, to: index))
        case let (key?, nil), let (nil, key?):
            return grown(key, to: index)
        case (nil, nil):
            preconditionFailure("no keys")
        }
    }

    private func grown(_ key: KeyTrimap, to index: Int) -> ImageTensor {
        let margin = min(maximumMargin, pixelsPerFrame * Double(abs(index - key.frameIndex)))
        return Self.growUnknown(key.values, by: margin)
    }

    /// Marks unknown every pixel within `margin` pixels of an unknown pixel (or of the
    /// boundary between foreground and background, which always needs a band).
    public static func growUnknown(_ trimap: ImageTensor, by margin: Double) -> ImageTensor {
        guard margin >= 0.5 else { return trimap }
        let distance = DistanceTransform.toNearest(in: trimap) { value, neighbourDiffers in
            value == TrimapValue.unknown || neighbourDiffers
        }
        var result = trimap
        for i in result.pixels.indices where distance[i] <= Float(margin) { result.pixels[i] = TrimapValue.unknown }
        return result
    }

    /// Known only where both trimaps agree.
    static func intersect(_ a: ImageTensor, _ b: ImageTensor) -> ImageTensor {
        var result = a
        for i in result.pixels.indices where a.pixels[i] != b.pixels[i] { result.pixels[i] = TrimapValue.unknown }
        return result
    }
}

/// Distance (in pixels, Euclidean up to a few percent: the 3-4 chamfer) from every pixel to
/// the nearest pixel that satisfies a condition, in two passes.
enum DistanceTransform {
    /// `isSeed(value, differsFromANeighbour)` picks the seed pixels.
    static func toNearest(in image: ImageTensor, isSeed: (Float, Bool) -> Bool) -> [Float] {
        let width = image.width, height = image.height
        let far = Float(width + height) * 4
        var d = [Float](repeating: far, count: width * height)
        let p = image.pixels
        for y in 0..<height {
            for x in 0..<width {
                let i = y * width + x, v = p[i]
                let differs = (x > 0 && p[i - 1] != v) || (x + 1 < width && p[i + 1] != v)
                    || (y > 0 && p[i - width] != v) || (y + 1 < height && p[i + width] != v)
                if isSeed(v, differs) { d[i] = 0 }
            }
        }
        let straight: Float = 1, diagonal: Float = 4.0 / 3.0
        for y in 0..<height {
            for x in 0..<width {
                let i = y * width + x
                var best = d[i]
                if x > 0 { best = min(best, d[i - 1] + straight) }
                if y > 0 {
                    best = min(best, d[i - width] + straight)
                    if x > 0 { best = min(best, d[i - width - 1] + diagonal) }
                    if x + 1 < width { best = min(best, d[i - width + 1] + diagonal) }
                }
                d[i] = best
            }
        }
        for y in stride(from: height - 1, through: 0, by: -1) {
            for x in stride(from: width - 1, through: 0, by: -1) {
                let i = y * width + x
                var best = d[i]
                if x + 1 < width { best = min(best, d[i + 1] + straight) }
                if y + 1 < height {
                    best = min(best, d[i + width] + straight)
                    if x + 1 < width { best = min(best, d[i + width + 1] + diagonal) }
                    if x > 0 { best = min(best, d[i + width - 1] + diagonal) }
                }
                d[i] = best
            }
        }
        return d
    }
}
