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
