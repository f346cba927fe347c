import MatteCore

/// A painted trimap for one frame: 0 = background, 0.5 = unknown, 1 = foreground.
public struct KeyTrimap: Sendable {
    public var frameIndex: Int
    public var path: String
    public var values: ImageTensor

    public init(frameIndex: Int, path: String, values: ImageTensor) {
        self.frameIndex = frameIndex
        self.path = path
        self.values = values
    }
}
