import MatteCore

/// Propagation from the matte itself: the trimap of frame t comes from the alpha of frame
/// t−1, moved by the object's motion between the frames: an unknown band of `margin` pixels
/// around the matte's half-alpha edge and wherever it is neither opaque nor clear, foreground
/// inside, background outside, plus the last key's band carried along with the object (and
/// widened by `bandGrowth` per frame); it restarts at each keyframe. The dilation
/// trimap (`DilatePropagation`) bounds it: where the keys agree on a definite region it stays
/// definite, so feedback only narrows the band. Frames must be given in order: forward, or
/// backward (frame t from the matte of t+1) for the frames before the first key
/// (`BackwardFeedbackPass`); a frame whose neighbour has no matte gets the dilation trimap.
public final class FeedbackPropagation: @unchecked Sendable {
    /// Which neighbour's matte a frame's trimap comes from.
    public enum Direction: Sendable {
        /// Frame t from frame t−1.
        case forward
        /// Frame t from frame t+1.
        case backward
    }

    public let dilation: DilatePropagation
    public let direction: Direction
    /// Distance kept between confident regions and the unknown band, in pixels.
    public var margin: Double
    /// Alpha at or below this counts as clear background; faint alpha above it stays unknown.
    public var faint: Float = 0.03
    /// Objects smaller than this (pixels at alpha ≥ ½) follow the picture's motion instead of their own.
    static let smallestTrackedObject = 256
    private var previousIndex: Int?
    private var previousAlpha: ImageTensor?
    private var previousGrey: ImageTensor?
    private var currentGrey: ImageTensor?
    /// How fast (pixels per frame from the key) the carried key band widens: it moves with the
    /// object but cannot turn, scale or bend with it.
    public var bandGrowth: Double = 0.15
    /// Distance from each pixel to the last key's unknown band, as painted.
    private var keyBandDistance: [Float]?
    /// The last key's picture and matte (nil when too small to track), and the object's offset
    /// from there to the last frame: the band is moved by the object's motion measured from the
    /// key itself, because frame-to-frame whole-pixel estimates drop a slow drift's fractions.
    private var keyGrey: ImageTensor?
    private var keyAlpha: ImageTensor?
    private var keyIndex: Int?
    private var keyOffset = (dx: 0, dy: 0)
    private var keyIndices: Set<Int>

    public init(dilation: DilatePropagation, margin: Double = 6, direction: Direction = .forward) {
        self.dilation = dilation
        self.margin = margin
        self.direction = direction
        keyIndices = Set(dilation.keys.map(\.frameIndex))
    }

    /// The trimap for frame `index` whose picture is `frame` (3 planes).
    public func trimap(for index: Int, frame: ImageTensor) -> ImageTensor {
        let bound = dilation.trimap(for: index)
        currentGrey = GlobalMotion.grey(frame)
        let neighbour = direction == .forward ? index - 1 : index + 1
        guard !keyIndices.contains(index), let previousIndex, previousIndex == neighbour,
              let previousAlpha, let previousGrey, let currentGrey, let keyBandDistance, let keyIndex else {
            keyBandDistance = DistanceTransform.toNearest(in: bound) { value, _ in value == TrimapValue.unknown }
            keyGrey = currentGrey
            keyAlpha = nil
            keyIndex = index
            keyOffset = (0, 0)
            return bound
        }
        // The object's own move (its matte as the region), or the picture's when the matte
        // holds too little of it to match.
        let motion = GlobalMotion.shift(from: previousGrey, to: currentGrey,
                                        region: Self.isTrackable(previousAlpha) ? previousAlpha : nil)
        let moved = Self.translate(previousAlpha, dx: motion.dx, dy: motion.dy)
        keyOffset = offsetFromKey(to: currentGrey, expected: (keyOffset.dx + motion.dx, keyOffset.dy + motion.dy))
        // Foreground only where the previous matte is opaque, background only where it is clear:
        // see-through parts inside the object stay unknown as well as faint ones outside it
        // (a pixel once called foreground is forced to 1 and would never be looked at again).
        var fromMatte = ImageTensor(width: moved.width, height: moved.height, channels: 1)
        for i in moved.pixels.indices {
            let a = moved.pixels[i]
            fromMatte.pixels[i] = a >= 1 - faint ? TrimapValue.foreground : (a <= faint ? TrimapValue.background : TrimapValue.unknown)
        }
        fromMatte = DilatePropagation.growUnknown(fromMatte, by: margin)
        // The band the user painted on the key travels with the object: what the matte cannot
        // see yet (faint hair, wisps) stays unknown where the key said so.
        let band = Self.translate(keyBandDistance, dx: keyOffset.dx, dy: keyOffset.dy, width: bound.width)
        let reach = Float(bandGrowth * Double(abs(index - keyIndex)))
        var result = bound
        for i in result.pixels.indices where bound.pixels[i] == TrimapValue.unknown {
            result.pixels[i] = band[i] <= reach ? TrimapValue.unknown : fromMatte.pixels[i]
        }
        return result
    }

    /// Records frame `index`'s final matte for the next frame's trimap.
    public func record(alpha: ImageTensor, for index: Int) {
        if index == keyIndex, keyAlpha == nil, Self.isTrackable(alpha) { keyAlpha = alpha }
        previousAlpha = alpha
        previousIndex = index
        previousGrey = currentGrey
    }

    /// Where the object is now relative to the key: its matte at the key matched against
    /// `grey`, searched around `expected` (the last offset plus the last step).
    private func offsetFromKey(to grey: ImageTensor, expected: (dx: Int, dy: Int)) -> (dx: Int, dy: Int) {
        guard let keyGrey, let keyAlpha else { return expected }
        return GlobalMotion.shift(from: keyGrey, to: grey, range: 8, region: keyAlpha, expected: expected)
    }

    /// Whether a matte holds enough of the object (pixels at alpha ≥ ½) to match it on its own.
    static func isTrackable(_ alpha: ImageTensor) -> Bool {
        alpha.pixels.reduce(0) { $0 + ($1 >= 0.5 ? 1 : 0) } >= smallestTrackedObject
    }

    /// A mask of `width` columns moved by (dx, dy), edges repeated.
    static func translate(_ mask: [Float], dx: Int, dy: Int, width: Int) -> [Float] {
        guard dx != 0 || dy != 0 else { return mask }
        let height = mask.count / width
        var result = mask
        for y in 0..<height {
            let sourceRow = min(height - 1, max(0, y - dy)) * width
            for x in 0..<width { result[y * width + x] = mask[sourceRow + min(width - 1, max(0, x - dx))] }
        }
        return result
    }

    /// `image` moved by (dx, dy), edges repeated.
    static func translate(_ image: ImageTensor, dx: Int, dy: Int) -> ImageTensor {
        var result = image
        result.pixels = translate(image.pixels, dx: dx, dy: dy, width: image.width)
        return result
    }

}
