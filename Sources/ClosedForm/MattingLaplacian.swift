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

        // Row i: the 5×5 neighbours of its pixel in stencil order, each the sum of its terms in
        // the 3×3 windows holding both pixels, those windows taken in raster order; any two
        // pixels within 2 of each other share a window, so every unknown neighbour has a
        // coefficient. Known foreground neighbours go to the right-hand side.
        let unknown = isUnknown, foreground = isForeground, pixels = unknowns
        let values = SharedBuffer<Double>(repeating: 0, count: n * Stencil.count)
        let rhs = SharedBuffer<Double>(repeating: 0, count: n)
        ParallelChunks.forEach(count: n, threads: threads, minimumChunk: 2048) { rows in
            var sums = [Double](repeating: 0, count: Stencil.count)
            for i in rows {
                let p = Int(pixels[i]), py = p / width, px = p % width
                for k in sums.indices { sums[k] = 0 }
                for cy in max(1, py - 1)...min(height - 2, py + 1) {
                    for cx in max(1, px - 1)...min(width - 2, px + 1) {
                        windows.addTerms(centre: cy * width + cx, of: p, offset: (cy - py, cx - px), into: &sums)
                    }
                }
                var known = 0.0
                for (position, step) in Stencil.steps.enumerated() {
                    let qy = py + step.dy, qx = px + step.dx
                    guard qy >= 0, qy < height, qx >= 0, qx < width else { continue }
                    let q = qy * width + qx
                    if unknown[q] {
                        values[i * Stencil.count + position] = sums[position]
                    } else if foreground[q] {
                        known += sums[position]
                    }
                }
                rhs[i] = -known
            }
        }
        matrix = StencilMatrix(size: n, grid: grid, values: values.finish())
        rightHandSide = rhs.finish()
    }
}

/// Per 3×3 window touching an unknown pixel: its mean colour μ and, for each of its nine pixels
/// j, (Σ + ε/9·I)⁻¹·(I_j − μ), so a row's terms in the window cost a dot product each.
private struct WindowStatistics {
    /// The picture's planes as given (each value widened to double where it is used, which is exact).
    private let colour: [Float]
    private let plane: Int
    /// Slot of each window centre (−1: the window holds no unknown pixel and is not needed).
    private var slot: [Int32]
    /// Per slot: mean (3), then the nine pixels' vectors (3 each, raster order).
    private var statistics: [Double]
    private static let perWindow = 30

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
        let statistics = SharedBuffer<Double>(repeating: 0, count: centres.count * Self.perWindow)
        let windowCentres = centres
        ParallelChunks.forEach(count: centres.count, threads: threads, minimumChunk: 4096) { range in
            colour.withUnsafeBufferPointer { rgb in
                for s in range {
                    Self.describe(window: windowCentres[s], width: width, plane: width * height, rgb: rgb, epsilon: epsilon,
                                  into: statistics.base + s * Self.perWindow)
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
        let i00 = c00 * inverseDeterminant, i01 = c01 * inverseDeterminant, i02 = c02 * inverseDeterminant
        let i11 = c11 * inverseDeterminant, i12 = c12 * inverseDeterminant, i22 = c22 * inverseDeterminant
        out[0] = mean.0; out[1] = mean.1; out[2] = mean.2
        for (j, o) in offsets.enumerated() {
            let qr = Double(rgb[centre + o]) - mean.0, qg = Double(rgb[plane + centre + o]) - mean.1
            let qb = Double(rgb[2 * plane + centre + o]) - mean.2
            out[3 + 3 * j] = i00 * qr + i01 * qg + i02 * qb
            out[4 + 3 * j] = i01 * qr + i11 * qg + i12 * qb
            out[5 + 3 * j] = i02 * qr + i12 * qg + i22 * qb
        }
    }

    /// Adds window `centre`'s term of L_pq, δ_pq − (1 + (I_p − μ)ᵀ·(Σ + ε/9·I)⁻¹·(I_q − μ)) / 9,
    /// for each of its nine pixels q to `sums` at q's stencil position around p; `offset` is
    /// the window centre's place relative to p.
    @inline(__always) func addTerms(centre: Int, of p: Int, offset: (dy: Int, dx: Int), into sums: inout [Double]) {
        let s = Int(slot[centre]) * Self.perWindow
        let pr = Double(colour[p]) - statistics[s], pg = Double(colour[plane + p]) - statistics[s + 1]
        let pb = Double(colour[2 * plane + p]) - statistics[s + 2]
        for j in 0..<9 {
            let dy = offset.dy + j / 3 - 1, dx = offset.dx + j % 3 - 1
            let w = s + 3 + 3 * j
            let quadratic = pr * statistics[w] + pg * statistics[w + 1] + pb * statistics[w + 2]
            sums[(dy + 2) * 5 + dx + 2] += (dy == 0 && dx == 0 ? 1 : 0) - (1 + quadratic) / 9
        }
    }
}
