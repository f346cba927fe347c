/// What happens when a background video is shorter than the clip.
public enum BackgroundEnd: String, Sendable, CaseIterable {
    /// Start the background again from its first frame.
    case loop
    /// Keep showing its last frame.
    case hold
}
