/// How a frame is cut into tiles: cores of `size`×`size` pixels, each run with `halo`
/// pixels of context on every side. Tiles whose core holds no unknown pixel are not run.
public struct TileSettings: Sendable, Equatable {
    public var size: Int
    public var halo: Int
    /// Run the whole frame instead when the tiles would cost as much (off only to measure tiling).
    public var wholeFrameWhenCheaper: Bool

    public init(size: Int, halo: Int, wholeFrameWhenCheaper: Bool = true) {
        self.size = size
        self.halo = halo
        self.wholeFrameWhenCheaper = wholeFrameWhenCheaper
    }

    /// Defaults chosen where tiled and whole-frame mattes agree closely (docs/engine.md).
    public static let standard = TileSettings(size: 256, halo: 128)
}
