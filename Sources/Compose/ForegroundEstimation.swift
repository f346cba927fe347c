import Dispatch
import Foundation
import MatteCore

/// Estimates the foreground colour F (and background B) behind each pixel from I = αF + (1−α)B,
/// with multilevel foreground estimation (Germer et al. 2020): coarse to fine, a few Jacobi
/// iterations per level of a per-pixel 2×2 solve with alpha-gradient smoothness weights.
public struct ForegroundEstimation: Sendable {
    /// Weight pulling F and B towards their neighbours everywhere.
    public var regularization: Float = 1e-5
    /// Extra smoothness weight per unit of alpha difference between neighbours.
    public var gradientWeight: Float = 1
    /// Iterations on levels no larger than `smallSize` in both directions.
    public var smallIterations = 10
    /// Iterations on the larger levels.
    public var largeIterations = 2
    public var smallSize = 32

    public init() {}

    /// The foreground colours (3 planes, 0…1). Pixels with α = 1 keep the image's colour.
    public func foreground(image: ImageTensor, alpha: ImageTensor) -> ImageTensor {
        estimate(image: image, alpha: alpha).foreground
    }

    /// Foreground and background colours, each 3 planes in 0…1.
    public func estimate(image: ImageTensor, alpha: ImageTensor) -> (foreground: ImageTensor, background: ImageTensor) {
        precondition(image.channels == 3 && alpha.channels == 1 && image.width == alpha.width && image.height == alpha.height,
                     "foreground estimation needs an RGB image and a matte of the same size")
        let w0 = image.width, h0 = image.height
        guard w0 > 0, h0 > 0 else { return (image, image) }
        let levels = max(1, Int(ceil(log2(Double(max(w0, h0))))))
        var f = ImageTensor(width: 1, height: 1, channels: 3)
        var b = ImageTensor(width: 1, height: 1, channels: 3)
        for level in 0...levels {
            let t = Double(level) / Double(levels)
            let w = max(1, Int((pow(Double(w0), t)).rounded())), h = max(1, Int((pow(Double(h0), t)).rounded()))
            let levelImage = level == levels ? image : Self.nearest(image, width: w, height: h)
            let levelAlpha = level == levels ? alpha : Self.nearest(alpha, width: w, height: h)
            f = Self.nearest(f, width: w, height: h)
            b = Self.nearest(b, width: w, height: h)
            let iterations = (w <= smallSize && h <= smallSize) ? smallIterations : largeIterations
            // Known pixels surrounded by equal alpha are only worth solving on coarse levels,
            // where they carry colour outwards; on the two finest levels they keep F = I or
            // the upsampled estimate.
            let skipKnown = level >= levels - 1 && w * h > 4096
            var nextF = f, nextB = b
            for _ in 0..<iterations {
                iterate(image: levelImage, alpha: levelAlpha, f: f, b: b, nextF: &nextF, nextB: &nextB, skipKnown: skipKnown)
                swap(&f, &nextF)
                swap(&b, &nextB)
            }
        }
        // Known foreground keeps the observed colour exactly.
        f.pixels.withUnsafeMutableBufferPointer { fp in
            image.pixels.withUnsafeBufferPointer { ip in
                alpha.pixels.withUnsafeBufferPointer { ap in
                    let n = ap.count
                    for i in 0..<n where ap[i] >= 1 {
                        fp[i] = ip[i]; fp[n + i] = ip[n + i]; fp[2 * n + i] = ip[2 * n + i]
                    }
                }
            }
        }
        return (f, b)
    }

    /// One Jacobi sweep: every pixel's F and B from its own observation and its neighbours' previous values.
    private func iterate(image: ImageTensor, alpha: ImageTensor, f: ImageTensor, b: ImageTensor,
                         nextF: inout ImageTensor, nextB: inout ImageTensor, skipKnown: Bool) {
        let w = image.width, h = image.height, n = w * h
        let reg = regularization, gw = gradientWeight
        image.pixels.withUnsafeBufferPointer { ip in
        alpha.pixels.withUnsafeBufferPointer { ap in
        f.pixels.withUnsafeBufferPointer { fp in
        b.pixels.withUnsafeBufferPointer { bp in
        nextF.pixels.withUnsafeMutableBufferPointer { nf in
        nextB.pixels.withUnsafeMutableBufferPointer { nb in
            // Bands write disjoint rows of the new buffers and only read the old ones.
            nonisolated(unsafe) let I = ip.baseAddress!, A = ap.baseAddress!, F = fp.baseAddress!, B = bp.baseAddress!
            nonisolated(unsafe) let NF = nf.baseAddress!, NB = nb.baseAddress!
            let bands = n > 65536 ? 16 : 1
            let rowsPerBand = (h + bands - 1) / bands
            DispatchQueue.concurrentPerform(iterations: bands) { band in
                let y0 = band * rowsPerBand, y1 = min(h, y0 + rowsPerBand)
                guard y0 < y1 else { return }
                for y in y0..<y1 {
                    let up = (y > 0 ? y - 1 : y) * w, down = (y < h - 1 ? y + 1 : y) * w, row = y * w
                    for x in 0..<w {
                        let i = row + x
                        let a0 = A[i]
                        let l = row + (x > 0 ? x - 1 : x), r = row + (x < w - 1 ? x + 1 : x)
                        let u = up + x, d = down + x
                        let al = A[l], ar = A[r], au = A[u], ad = A[d]
                        if skipKnown && (a0 == 0 || a0 == 1) && al == a0 && ar == a0 && au == a0 && ad == a0 {
                            for c in 0..<3 {
                                let o = c * n + i
                                if a0 == 1 { NF[o] = I[o]; NB[o] = B[o] } else { NF[o] = F[o]; NB[o] = I[o] }
                            }
                            continue
                        }
                        let a1 = 1 - a0
                        let wl = reg + gw * abs(a0 - al), wr = reg + gw * abs(a0 - ar)
                        let wu = reg + gw * abs(a0 - au), wd = reg + gw * abs(a0 - ad)
                        let sum = wl + wr + wu + wd
                        let m00 = a0 * a0 + sum, m11 = a1 * a1 + sum, m01 = a0 * a1
                        let inverse = 1 / (m00 * m11 - m01 * m01)
                        for c in 0..<3 {
                            let o = c * n
                            let observed = I[o + i]
                            let b0 = a0 * observed + wl * F[o + l] + wr * F[o + r] + wu * F[o + u] + wd * F[o + d]
                            let b1 = a1 * observed + wl * B[o + l] + wr * B[o + r] + wu * B[o + u] + wd * B[o + d]
                            NF[o + i] = min(1, max(0, (m11 * b0 - m01 * b1) * inverse))
                            NB[o + i] = min(1, max(0, (m00 * b1 - m01 * b0) * inverse))
                        }
                    }
                }
            }
        }}}}}}
    }

    /// Nearest-neighbour resampling (the method's level pyramid).
    static func nearest(_ source: ImageTensor, width: Int, height: Int) -> ImageTensor {
        if source.width == width && source.height == height { return source }
        var out = ImageTensor(width: width, height: height, channels: source.channels)
        let sw = source.width, sh = source.height
        let xs = (0..<width).map { min(sw - 1, $0 * sw / width) }
        source.pixels.withUnsafeBufferPointer { sp in
            out.pixels.withUnsafeMutableBufferPointer { op in
                for c in 0..<source.channels {
                    for y in 0..<height {
                        let sy = min(sh - 1, y * sh / height)
                        let srow = (c * sh + sy) * sw, orow = (c * height + y) * width
                        for x in 0..<width { op[orow + x] = sp[srow + xs[x]] }
                    }
                }
            }
        }
        return out
    }
}
