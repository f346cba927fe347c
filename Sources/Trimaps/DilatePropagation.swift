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
    private let distances = KeyBandDistances()

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
            // Known only where both grown keys agree.
            let a = grown(key, to: index), b = grown(other, to: index)
            var result = key.values
            let aValues = result.pixels, bValues = other.values.pixels
            for i in result.pixels.indices {
                let fromA = a.distance[i] <= a.margin ? TrimapValue.unknown : aValues[i]
                let fromB = b.distance[i] <= b.margin ? TrimapValue.unknown : bValues[i]
                result.pixels[i] = fromA == fromB ? fromA : TrimapValue.unknown
            }
            return result
        case let (key?, nil), let (nil, key?):
            let (distance, margin) = grown(key, to: index)
            return Self.markUnknown(key.values, within: margin, of: distance)
        case (nil, nil):
            preconditionFailure("no keys")
        }
    }

    /// The key's band distances and the margin its band grows by at `index` (−1 below half a
    /// pixel: the key as painted).
    private func grown(_ key: KeyTrimap, to index: Int) -> (distance: [Float], margin: Float) {
        let margin = min(maximumMargin, pixelsPerFrame * Double(abs(index - key.frameIndex)))
        return (distances.distance(for: key), margin >= 0.5 ? Float(margin) : -1)
    }

    /// Marks unknown every pixel within `margin` pixels of an unknown pixel (or of the
    /// boundary between foreground and background, which always needs a band).
    public static func growUnknown(_ trimap: ImageTensor, by margin: Double) -> ImageTensor {
        guard margin >= 0.5 else { return trimap }
        return markUnknown(trimap, within: Float(margin), of: KeyBandDistances.bandDistance(trimap, reach: Float(margin)))
    }

    private static func markUnknown(_ trimap: ImageTensor, within margin: Float, of distance: [Float]) -> ImageTensor {
        var result = trimap
        for i in result.pixels.indices where distance[i] <= margin { result.pixels[i] = TrimapValue.unknown }
        return result
    }
}
