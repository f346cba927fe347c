import MatteCore

/// Scales a trimap to the video's size by nearest neighbour (no new in-between values),
/// for keys painted on a proxy of the same shape.
public enum TrimapResize {
    /// True when the two sizes have the same aspect ratio within 1 %.
    public static func sameAspect(_ a: (width: Int, height: Int), _ b: (width: Int, height: Int)) -> Bool {
        let ratioA = Double(a.width) / Double(a.height), ratioB = Double(b.width) / Double(b.height)
        return abs(ratioA - ratioB) <= 0.01 * ratioB
    }

    public static func nearest(_ trimap: ImageTensor, width: Int, height: Int) -> ImageTensor {
        var result = ImageTensor(width: width, height: height, channels: 1)
        let sourceColumns = (0..<width).map { min(trimap.width - 1, ($0 * trimap.width + trimap.width / 2) / width) }
        for y in 0..<height {
            let sourceRow = min(trimap.height - 1, (y * trimap.height + trimap.height / 2) / height) * trimap.width
            for x in 0..<width { result.pixels[y * width + x] = trimap.pixels[sourceRow + sourceColumns[x]] }
        }
        return result
    }
}
