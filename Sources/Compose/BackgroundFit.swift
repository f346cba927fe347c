import MatteCore

/// How a background of another size is brought to the frame's size.
public enum BackgroundFit: String, Sendable, CaseIterable {
    /// Whole background visible, scaled to fit inside the frame; the rest is black (letterbox).
    case fit
    /// Frame covered, scaled to cover and centre-cropped.
    case fill
    /// Scaled to the frame in each direction independently, ignoring its aspect ratio.
    case stretch

    /// `image` (3 planes) resampled bilinearly to `width`×`height` the way this mode says.
    public func place(_ image: ImageTensor, width: Int, height: Int) -> ImageTensor {
        if image.width == width && image.height == height { return image }
        let sx = Double(width) / Double(image.width), sy = Double(height) / Double(image.height)
        let scaleX: Double, scaleY: Double
        switch self {
        case .fit: scaleX = min(sx, sy); scaleY = scaleX
        case .fill: scaleX = max(sx, sy); scaleY = scaleX
        case .stretch: scaleX = sx; scaleY = sy
        }
        let offsetX = (Double(width) - Double(image.width) * scaleX) / 2
        let offsetY = (Double(height) - Double(image.height) * scaleY) / 2
        return Self.resample(image, width: width, height: height, scaleX: scaleX, scaleY: scaleY, offsetX: offsetX, offsetY: offsetY)
    }

    /// Output pixel centre (x + ½) maps to source position ((x + ½ − offset) / scale − ½); outside the source is black.
    private static func resample(_ image: ImageTensor, width: Int, height: Int, scaleX: Double, scaleY: Double,
                                 offsetX: Double, offsetY: Double) -> ImageTensor {
        var out = ImageTensor(width: width, height: height, channels: image.channels)
        let sw = image.width, sh = image.height
        // Per column: the two source columns, the weight of the second, and whether it is inside.
        let columns = (0..<width).map { x -> (Int, Int, Float, Bool) in
            let s = (Double(x) + 0.5 - offsetX) / scaleX - 0.5
            let inside = s >= -0.5 && s <= Double(sw) - 0.5
            let c = min(Double(sw - 1), max(0, s))
            let x0 = Int(c)
            return (x0, min(sw - 1, x0 + 1), Float(c - Double(x0)), inside)
        }
        image.pixels.withUnsafeBufferPointer { sp in
            out.pixels.withUnsafeMutableBufferPointer { op in
                for y in 0..<height {
                    let s = (Double(y) + 0.5 - offsetY) / scaleY - 0.5
                    guard s >= -0.5 && s <= Double(sh) - 0.5 else { continue }
                    let c = min(Double(sh - 1), max(0, s))
                    let y0 = Int(c), y1 = min(sh - 1, y0 + 1)
                    let fy = Float(c - Double(y0))
                    for channel in 0..<image.channels {
                        let row0 = (channel * sh + y0) * sw, row1 = (channel * sh + y1) * sw
                        let orow = (channel * height + y) * width
                        for x in 0..<width {
                            let (x0, x1, fx, inside) = columns[x]
                            guard inside else { continue }
                            let top = sp[row0 + x0] + (sp[row0 + x1] - sp[row0 + x0]) * fx
                            let bottom = sp[row1 + x0] + (sp[row1 + x1] - sp[row1 + x0]) * fx
                            op[orow + x] = top + (bottom - top) * fy
                        }
                    }
                }
            }
        }
        return out
    }
}
