import Compose

/// The colour a matting run writes: background, foreground colour, despill, blending.
public struct CompositeSettings: Sendable {
    /// Where the foreground colour comes from.
    public enum ForegroundSource: String, Sendable, CaseIterable {
        case estimated, source
    }

    /// Which screen colour to remove.
    public enum DespillScreen: String, Sendable, CaseIterable {
        case green, blue, none
    }

    /// An image, a video or a colour to composite over; nil writes the foreground with alpha.
    public var background: String?
    public var backgroundFit: BackgroundFit = .fill
    public var backgroundEnd: BackgroundEnd = .loop
    public var foreground: ForegroundSource = .estimated
    /// Nil: the screen key's colour when keyed, else none.
    public var despill: DespillScreen?
    public var despillAmount: Float = 1
    public var linearLight = false

    public init() {}
}
