import MatteCore

/// A trimap kept small while it waits for its frame: runs of equal values (a trimap is a few
/// large regions, so a 1080p frame takes kilobytes instead of 8 MB of floats).
public struct PackedTrimap: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// Each run: the value's code (0 background, 1 unknown, 2 foreground) in the low 2 bits, the length above.
    private var runs: [UInt32] = []

    public init(_ trimap: ImageTensor) {
        precondition(trimap.channels == 1, "a trimap has one plane")
        width = trimap.width
        height = trimap.height
        var code: UInt32 = 0, length: UInt32 = 0
        for value in trimap.pixels {
            let next = Self.code(value)
            if next == code && length < (UInt32.max >> 2) {
                length += 1
            } else {
                if length > 0 { runs.append(length << 2 | code) }
                code = next
                length = 1
            }
        }
        if length > 0 { runs.append(length << 2 | code) }
    }

    private static func code(_ value: Float) -> UInt32 {
        value == TrimapValue.background ? 0 : (value == TrimapValue.foreground ? 2 : 1)
    }

    /// The trimap as a one-plane image again.
    public func unpacked() -> ImageTensor {
        var image = ImageTensor(width: width, height: height, channels: 1)
        let values: [Float] = [TrimapValue.background, TrimapValue.unknown, TrimapValue.foreground]
        image.pixels.withUnsafeMutableBufferPointer { pixels in
            var start = 0
            for run in runs {
                let length = Int(run >> 2)
                let value = values[Int(run & 3)]
                for i in start..<(start + length) { pixels[i] = value }
                start += length
            }
        }
        return image
    }
}
