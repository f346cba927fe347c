import MatteCore

/// A painted trimap for one frame: 0 = background, 0.5 = unknown, 1 = foreground. Kept packed
/// (runs of equal values): a long clip with many keys would otherwise hold a frame of floats
/// for each of them.
public struct KeyTrimap: Sendable {
    public var frameIndex: Int
    public var path: String
    private var packed: PackedTrimap

    /// `values` must hold only the three trimap values (keys are snapped when loaded).
    public init(frameIndex: Int, path: String, values: ImageTensor) {
        self.frameIndex = frameIndex
        self.path = path
        packed = PackedTrimap(values)
    }

    /// The trimap as a one-plane image (unpacked on each read).
    public var values: ImageTensor {
        get { packed.unpacked() }
        set { packed = PackedTrimap(newValue) }
    }

    public var width: Int { packed.width }
    public var height: Int { packed.height }
}
