import MatteCore

/// Lays a foreground over a background through its matte: C = F·α + B·(1−α).
public struct Compositor: Sendable {
    /// Blend in linear light (decode the sRGB transfer first, encode after) instead of on the coded values.
    public var linearLight: Bool

    public init(linearLight: Bool = false) {
        self.linearLight = linearLight
    }

    /// The composite of `foreground` (3 planes) over `background` (3 planes, already the frame's size).
    public func composite(foreground: ImageTensor, alpha: ImageTensor, background: ImageTensor) -> ImageTensor {
        precondition(foreground.channels == 3 && background.channels == 3 && alpha.channels == 1,
                     "compositing needs RGB foreground and background and a one-plane matte")
        precondition(foreground.width == alpha.width && foreground.height == alpha.height
                     && background.width == alpha.width && background.height == alpha.height,
                     "foreground, matte and background must have the same size")
        var out = ImageTensor(width: alpha.width, height: alpha.height, channels: 3)
        let n = alpha.planeSize
        let transfer = linearLight ? TransferFunction.shared : nil
        foreground.pixels.withUnsafeBufferPointer { fp in
            background.pixels.withUnsafeBufferPointer { bp in
                alpha.pixels.withUnsafeBufferPointer { ap in
                    out.pixels.withUnsafeMutableBufferPointer { op in
                        for c in 0..<3 {
                            let o = c * n
                            if let transfer {
                                for i in 0..<n {
                                    let a = min(1, max(0, ap[i]))
                                    let mixed = transfer.toLinear(fp[o + i]) * a + transfer.toLinear(bp[o + i]) * (1 - a)
                                    op[o + i] = transfer.fromLinear(mixed)
                                }
                            } else {
                                for i in 0..<n {
                                    let a = min(1, max(0, ap[i]))
                                    op[o + i] = fp[o + i] * a + bp[o + i] * (1 - a)
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
