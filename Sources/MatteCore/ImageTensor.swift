/// A float32 image stored as planes (channel-major, CHW), values nominally in 0...1.
public struct ImageTensor: Sendable, Equatable {
    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var channels: Int
    /// Pixels, plane after plane, row-major within a plane.
    public var pixels: [Float]

    public init(width: Int, height: Int, channels: Int, fill: Float = 0) {
        precondition(width >= 0 && height >= 0 && channels > 0, "invalid tensor shape")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = [Float](repeating: fill, count: width * height * channels)
    }

    public init(width: Int, height: Int, channels: Int, pixels: [Float]) {
        precondition(pixels.count == width * height * channels, "pixel count does not match the shape")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    public var planeSize: Int { width * height }

    /// Changes the shape, keeping the allocation when the element count is unchanged (contents undefined).
    public mutating func reshape(width: Int, height: Int, channels: Int) {
        let count = width * height * channels
        if pixels.count != count { pixels = [Float](repeating: 0, count: count) }
        self.width = width
        self.height = height
        self.channels = channels
    }

    /// The value of channel `c` at column `x`, row `y`.
    @inlinable public subscript(c: Int, y: Int, x: Int) -> Float {
        get { pixels[(c * height + y) * width + x] }
        set { pixels[(c * height + y) * width + x] = newValue }
    }

    /// A copy of one plane as a single-channel tensor.
    public func plane(_ c: Int) -> ImageTensor {
        let start = c * planeSize
        return ImageTensor(width: width, height: height, channels: 1, pixels: Array(pixels[start..<start + planeSize]))
    }
}
