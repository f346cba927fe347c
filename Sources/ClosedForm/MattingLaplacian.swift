import MatteCore

/// The closed-form matting system of Levin, Lischinski and Weiss (2008) for one image and
/// trimap: the matting Laplacian over 3×3 windows, restricted to the unknown pixels, with the
/// known pixels moved to the right-hand side (L_UU·α_U = −L_UK·α_K).
struct MattingLaplacian {
    let matrix: StencilMatrix
    let rightHandSide: [Double]
    /// The pixel (row-major index) of each unknown, in raster order.
    let unknownPixels: [Int32]

    /// `epsilon` regularises each window's colour covariance (Σ + ε/9·I), as pymatting does.
    init(rgb: ImageTensor, trimap: ImageTensor, epsilon: Double, threads: Int) throws {
        let width = rgb.width, height = rgb.height, plane = rgb.planeSize
        var isUnknown = [Bool](repeating: false, count: plane)
        var isForeground = [Bool](repeating: false, count: plane)
        var unknowns: [Int32] = []
        for p in 0..<plane {
            let value = TrimapValue.snap(trimap.pixels[p])
            if value == TrimapValue.unknown {
                isUnknown[p] = true
                unknowns.append(Int32(p))
            } else {
                isForeground[p] = value == TrimapValue.foreground
            }
        }
        unknownPixels = unknowns
        let n = unknowns.count
        let grid = NeighbourGrid(unknownPixels: unknowns, width: width)
        guard n > 0 else {
            matrix = StencilMatrix(size: 0, grid: grid, values: [])
            rightHandSide = []
            return
        }
        guard width >= 3, height >= 3 else {
            throw VMatteError.badInput("closed-form matting needs a picture of at least 3x3 pixels, not \(width)x\(height)")
        }
        let windows = WindowStatistics(colour: rgb.pixels, width: width, height: height, unknownPixels: unknowns, epsilon: epsilon, threads: threads)

        // Row i: the 5×5 neighbours of its pixel in stencil order; any two pixels within 2 of
        // each other share a 3×3 window, so every unknown neighbour has a coefficient.
        let unknown = isUnknown, foreground = isForeground, pixels = unknowns
        let values = SharedBuffer<Double>(repeating: 0, count: n * Stencil.count)
        let rhs = SharedBuffer<Double>(repeating: 0, count: n)
        ParallelChunks.forEach(count: n, threads: threads, minimumChunk: 2048) { rows in
            for i in rows {
                let p = Int(pixels[i]), py = p / width, px = p % width
                var known = 0.0
                for (position, step) in Stencil.steps.enumerated() {
                    let qy = py + step.dy, qx = px + step.dx
                    guard qy >= 0, qy < height, qx >= 0, qx < width else { continue }
                    let q = qy * width + qx
                    guard unknown[q] || foreground[q] else { continue }
                    let centreRows = max(1, max(py, qy) - 1)...min(height - 2, min(py, qy) + 1)
                    let centreColumns = max(1, max(px, qx) - 1)...min(width - 2, min(px, qx) + 1)
                    var value = 0.0
                    for cy in centreRows {
                        for cx in centreColumns { value += windows.entry(centre: cy * width + cx, p, q) }
                    }
                    if unknown[q] {
                        values[i * Stencil.count + position] = value
                    } else {
                        known += value
                    }
                }
                rhs[i] = -known
            }
        }
        matrix = StencilMatrix(size: n, grid: grid, values: values.finish())
        rightHandSide = rhs.finish()
    }
}

/// Per 3×3 window touching an unknown pixel: its mean colour and the inverse of its
/// regularised colour covariance.
private struct WindowStatistics {
    /// The picture's planes as given (each value widened to double where it is used, which is exact).
    private let colour: [Float]
    private let plane: Int
    /// Slot of each window centre (−1: the window holds no unknown pixel and is not needed).
    private var slot: [Int32]
    /// Per slot: mean (3) then the inverse covariance's upper triangle (m00 m01 m02 m11 m12 m22).
    private var statistics: [Double]

    init(colour: [Float], width: Int, height: Int, unknownPixels: [Int32], epsilon: Double, threads: Int) {
        self.colour = colour
        plane = width * height
        var slot = [Int32](repeating: -1, count: plane)
        var centres: [Int] = []
        for p in unknownPixels {
            let y = Int(p) / width, x = Int(p) % width
            for cy in max(1, y - 1)...min(height - 2, y + 1) {
                for cx in max(1, x - 1)...min(width - 2, x + 1) where slot[cy * width + cx] < 0 {
                    slot[cy * width + cx] = Int32(centres.count)
                    centres.append(cy * width + cx)
                }
            }
        }
        self.slot = slot
        let statistics = SharedBuffer<Double>(repeating: 0, count: centres.count * 9)
        let windowCentres = centres
        ParallelChunks.forEach(count: centres.count, threads: threads, minimumChunk: 4096) { range in
            colour.withUnsafeBufferPointer { rgb in
                for s in range {
                    Self.describe(window: windowCentres[s], width: width, plane: width * height, rgb: rgb, epsilon: epsilon,
                                  into: statistics.base + s * 9)
                }
            }
        }
        self.statistics = statistics.finish()
    }

    private static func describe(window centre: Int, width: Int, plane: Int, rgb: UnsafeBufferPointer<Float>, epsilon: Double,
                                 into out: UnsafeMutablePointer<Double>) {
        let offsets = [-width - 1, -width, -width + 1, -1, 0, 1, width - 1, width, width + 1]
        var mean = (0.0, 0.0, 0.0)
        for o in offsets {
            mean.0 += Double(rgb[centre + o])
            mean.1 += Double(rgb[plane + centre + o])
            mean.2 += Double(rgb[2 * plane + centre + o])
        }
        mean = (mean.0 / 9, mean.1 / 9, mean.2 / 9)
        // Σ + ε/9·I with Σ the population covariance of the nine colours.
        var a00 = epsilon, a01 = 0.0, a02 = 0.0, a11 = epsilon, a12 = 0.0, a22 = epsilon
        for o in offsets {
            let r = Double(rgb[centre + o]) - mean.0, g = Double(rgb[plane + centre + o]) - mean.1
            let b = Double(rgb[2 * plane + centre + o]) - mean.2
            a00 += r * r; a01 += r * g; a02 += r * b
            a11 += g * g; a12 += g * b; a22 += b * b
        }
        a00 /= 9; a01 /= 9; a02 /= 9; a11 /= 9; a12 /= 9; a22 /= 9
        let c00 = a11 * a22 - a12 * a12, c01 = a02 * a12 - a01 * a22, c02 = a01 * a12 - a02 * a11
        let c11 = a00 * a22 - a02 * a02, c12 = a01 * a02 - a00 * a12, c22 = a00 * a11 - a01 * a01
        let inverseDeterminant = 1 / (a00 * c00 + a01 * c01 + a02 * c02)
        out[0] = mean.0; out[1] = mean.1; out[2] = mean.2
        out[3] = c00 * inverseDeterminant; out[4] = c01 * inverseDeterminant; out[5] = c02 * inverseDeterminant
        out[6] = c11 * inverseDeterminant; out[7] = c12 * inverseDeterminant; out[8] = c22 * inverseDeterminant
    }

    /// Window `centre`'s term of L_pq: δ_pq − (1 + (I_p − μ)ᵀ·(Σ + ε/9·I)⁻¹·(I_q − μ)) / 9.
    @inline(__always) func entry(centre: Int, _ p: Int, _ q: Int) -> Double {
        let s = Int(slot[centre]) * 9
        let m0 = statistics[s], m1 = statistics[s + 1], m2 = statistics[s + 2]
        let pr = Double(colour[p]) - m0, pg = Double(colour[plane + p]) - m1, pb = Double(colour[2 * plane + p]) - m2
        let qr = Double(colour[q]) - m0, qg = Double(colour[plane + q]) - m1, qb = Double(colour[2 * plane + q]) - m2
        let i00 = statistics[s + 3], i01 = statistics[s + 4], i02 = statistics[s + 5]
        let i11 = statistics[s + 6], i12 = statistics[s + 7], i22 = statistics[s + 8]
        let quadratic = pr * (i00 * qr + i01 * qg + i02 * qb) + pg * (i01 * qr + i11 * qg + i12 * qb) + pb * (i02 * qr + i12 * qg + i22 * qb)
        return (p == q ? 1 : 0) - (1 + quadratic) / 9
    }
}
