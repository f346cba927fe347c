import MatteCore

/// Distance (in pixels, Euclidean up to a few percent: the 3-4 chamfer) from every pixel to
/// the nearest pixel that satisfies a condition, in two passes.
enum DistanceTransform {
    /// `isSeed(value, differsFromANeighbour)` picks the seed pixels. With `reach`, only
    /// distances up to it are exact: the passes run over the seeds' bounding box grown by more
    /// than `reach` (a shortest chamfer path stays inside its ends' box, so distances there
    /// are those of the whole picture), and every pixel outside it is further than `reach`.
    static func toNearest(in image: ImageTensor, reach: Float? = nil, isSeed: (Float, Bool) -> Bool) -> [Float] {
        let width = image.width, height = image.height
        let far = Float(width + height) * 4
        var d = [Float](repeating: far, count: width * height)
        let p = image.pixels
        var top = height, bottom = -1, left = width, right = -1
        for y in 0..<height {
            for x in 0..<width {
                let i = y * width + x, v = p[i]
                let differs = (x > 0 && p[i - 1] != v) || (x + 1 < width && p[i + 1] != v)
                    || (y > 0 && p[i - width] != v) || (y + 1 < height && p[i + width] != v)
                if isSeed(v, differs) {
                    d[i] = 0
                    top = min(top, y); bottom = max(bottom, y); left = min(left, x); right = max(right, x)
                }
            }
        }
        guard width > 0, height > 0 else { return d }
        var rows = 0..<height, columns = 0..<width
        if let reach {
            guard bottom >= 0 else { return d }
            let grow = Int(reach.rounded(.up)) + 1
            rows = max(0, top - grow)..<min(height, bottom + grow + 1)
            columns = max(0, left - grow)..<min(width, right + grow + 1)
        }
        d.withUnsafeMutableBufferPointer { sweep($0, width: width, rows: rows, columns: columns) }
        return d
    }

    /// The forward and backward chamfer passes over `rows` × `columns` of a map `width` wide,
    /// as if that rectangle were the whole map.
    private static func sweep(_ d: UnsafeMutableBufferPointer<Float>, width: Int, rows: Range<Int>, columns: Range<Int>) {
        let straight: Float = 1, diagonal: Float = 4.0 / 3.0
        let first = columns.lowerBound, last = columns.upperBound - 1, count = columns.count
        // Forward: from the left and the row above. The first row and column have fewer neighbours.
        let top = rows.lowerBound * width
        for x in first + 1..<max(first + 1, last + 1) { d[top + x] = min(d[top + x], d[top + x - 1] + straight) }
        for y in rows.dropFirst() {
            let row = y * width
            var best = min(d[row + first], d[row + first - width] + straight)
            if count > 1 { best = min(best, d[row + first - width + 1] + diagonal) }
            d[row + first] = best
            if count > 2 {
                for i in row + first + 1..<row + last {
                    d[i] = min(min(min(min(d[i], d[i - 1] + straight), d[i - width] + straight),
                                   d[i - width - 1] + diagonal), d[i - width + 1] + diagonal)
                }
            }
            if count > 1 {
                let i = row + last
                d[i] = min(min(min(d[i], d[i - 1] + straight), d[i - width] + straight), d[i - width - 1] + diagonal)
            }
        }
        // Backward: from the right and the row below.
        let bottom = (rows.upperBound - 1) * width
        for x in stride(from: last - 1, through: first, by: -1) { d[bottom + x] = min(d[bottom + x], d[bottom + x + 1] + straight) }
        for y in rows.dropLast().reversed() {
            let row = y * width
            var i = row + last
            var best = min(d[i], d[i + width] + straight)
            if count > 1 { best = min(best, d[i + width - 1] + diagonal) }
            d[i] = best
            if count > 2 {
                for i in stride(from: row + last - 1, to: row + first, by: -1) {
                    d[i] = min(min(min(min(d[i], d[i + 1] + straight), d[i + width] + straight),
                                   d[i + width + 1] + diagonal), d[i + width - 1] + diagonal)
                }
            }
            if count > 1 {
                i = row + first
                d[i] = min(min(min(d[i], d[i + 1] + straight), d[i + width] + straight), d[i + width + 1] + diagonal)
            }
        }
    }
}
