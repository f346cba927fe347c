/// The one definition of trimap values: 0 = background, 0.5 = unknown, 1 = foreground.
public enum TrimapValue {
    public static let background: Float = 0
    public static let unknown: Float = 0.5
    public static let foreground: Float = 1

    /// Snaps a painted grey level in 0…1: below 1/4 is background, above 3/4 foreground,
    /// anything between unknown (the thresholds training uses).
    @inline(__always) public static func snap(_ value: Float) -> Float {
        value < 0.25 ? background : (value > 0.75 ? foreground : unknown)
    }
}
