import MatteCore

/// What loading a painted trimap found: how many pixels were not exactly black, 50 % grey
/// or white (and were snapped), and whether it has any unknown pixel at all.
public struct TrimapCheck: Sendable, Equatable {
    public var path: String
    public var pixelCount: Int
    public var snappedPixels: Int
    public var unknownPixels: Int

    /// A painted value counts as exact within half an 8-bit step of 0, 128/255 or 1.
    static let tolerance: Float = 0.5 / 255
    /// More than this share of pixels off the three values: a photo, not a trimap.
    public static let photoFraction = 0.25

    public init(_ grey: ImageTensor, path: String) throws {
        self.path = path
        pixelCount = grey.pixels.count
        var snapped = 0, unknown = 0
        for value in grey.pixels {
            let exact = abs(value) <= Self.tolerance || abs(value - 1) <= Self.tolerance || abs(value - 128.0 / 255) <= Self.tolerance
            if !exact { snapped += 1 }
            if TrimapValue.snap(value) == TrimapValue.unknown { unknown += 1 }
        }
        snappedPixels = snapped
        unknownPixels = unknown
        if Double(snapped) > Self.photoFraction * Double(max(1, pixelCount)) {
            let percent = Int((100 * Double(snapped) / Double(max(1, pixelCount))).rounded())
            throw VMatteError.badInput(
                "'\(path)' does not look like a trimap: \(percent)% of its pixels are neither black, 50% grey nor white (paint background 0, unknown 128, foreground 255)")
        }
    }

    /// Lines worth telling the user (snapped values, no unknown region).
    public var warnings: [String] {
        var lines: [String] = []
        if snappedPixels > 0 {
            lines.append("'\(path)': \(snappedPixels) pixels were not exactly 0, 128 or 255 and were snapped (below 64 → background, above 191 → foreground, between → unknown)")
        }
        if unknownPixels == 0 {
            lines.append("'\(path)' has no unknown (grey) pixels: its frame's matte is the trimap itself")
        }
        return lines
    }
}
