@testable import ClosedForm
import Engine
import Foundation
import MatteCore
import Testing

/// The Swift closed-form solver against pymatting's `estimate_alpha_cf` on a crop of the
/// sample (scripts/make_closed_form_golden.py), and its behaviour on small made-up cases.
@Suite struct ClosedFormMattingTests {
    static let goldenPath: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/closed_form_golden.safetensors").path
    }()

    static func golden() throws -> (rgb: ImageTensor, trimap: ImageTensor, alpha: [Float]) {
        let file = try SafeTensorsFile(path: goldenPath)
        let shape = try #require(file.entries["image"]).shape
        let rgb = ImageTensor(width: shape[2], height: shape[1], channels: 3, pixels: try file.floats("image"))
        let trimap = ImageTensor(width: shape[2], height: shape[1], channels: 1, pixels: try file.floats("trimap"))
        return (rgb, trimap, try file.floats("alpha"))
    }

    /// training/knn_matting.py's matte of the same crop.
    static func goldenKNN() throws -> [Float] { try SafeTensorsFile(path: goldenPath).floats("knn") }

    @Test func equalsPymatting() throws {
        let (rgb, trimap, expected) = try Self.golden()
        let solver = ClosedFormMatting()
        let alpha = try solver.matte(rgb: rgb, trimap: trimap)
        let differences = zip(alpha.pixels, expected).map { Double(abs($0 - $1)) }
        let mean = differences.reduce(0, +) / Double(differences.count)
        #expect(solver.lastSolve.converged)
        #expect(mean <= 1e-4, "mean |Swift − pymatting| = \(mean)")
        #expect((differences.max() ?? 0) <= 1e-2, "largest |Swift − pymatting| = \(differences.max() ?? 0)")
        #expect(expected.contains { $0 > 0.05 && $0 < 0.95 }, "the golden matte has fractional values")
    }

    /// The next frame of a clip (here: the same picture with a little noise) solved from the
    /// previous frame's matte reaches the cold solve's answer in fewer iterations.
    @Test func warmStartFromThePreviousFrameConvergesFaster() throws {
        let (rgb, trimap, _) = try Self.golden()
        var next = rgb
        var generator = SystemRandomNumberGenerator()
        for i in next.pixels.indices { next.pixels[i] = min(1, max(0, next.pixels[i] + Float.random(in: -0.004...0.004, using: &generator))) }
        let cold = ClosedFormMatting(warmStarts: false)
        let coldAlpha = try cold.matte(rgb: next, trimap: trimap)
        let video = ClosedFormMatting()
        _ = try video.matte(rgb: rgb, trimap: trimap)
        let warmAlpha = try video.matte(rgb: next, trimap: trimap)
        #expect(video.lastSolve.converged)
        #expect(video.lastSolve.iterations < cold.lastSolve.iterations, "warm \(video.lastSolve.iterations), cold \(cold.lastSolve.iterations)")
        let largest = zip(coldAlpha.pixels, warmAlpha.pixels).map { abs($0 - $1) }.max() ?? 0
        #expect(largest < 1e-3)
    }

    /// Two flat colours meeting at a hard edge in the middle of a 24×16 picture, the left
    /// columns foreground and the right ones background, the rest unknown.
    static func twoFlatColours() -> (rgb: ImageTensor, trimap: ImageTensor) {
        let width = 24, height = 16
        var rgb = ImageTensor(width: width, height: height, channels: 3)
        var trimap = ImageTensor(width: width, height: height, channels: 1, fill: TrimapValue.unknown)
        for y in 0..<height {
            for x in 0..<width {
                let isRed = x < 12
                rgb[0, y, x] = isRed ? 0.9 : 0.1
                rgb[1, y, x] = 0.2
                rgb[2, y, x] = isRed ? 0.1 : 0.8
                if x < 3 { trimap[0, y, x] = TrimapValue.foreground }
                if x >= width - 3 { trimap[0, y, x] = TrimapValue.background }
            }
        }
        return (rgb, trimap)
    }

    /// Every pixel of `alpha` (of `twoFlatColours`) within `tolerance` of its colour's side.
    static func expectSplitAtTheEdge(_ alpha: ImageTensor, tolerance: Float) {
        for y in 0..<alpha.height {
            for x in 0..<alpha.width {
                #expect(abs(alpha[0, y, x] - (x < 12 ? 1 : 0)) < tolerance, "pixel (\(x), \(y)) = \(alpha[0, y, x])")
            }
        }
    }

    /// Two flat colours meeting at a hard edge: the matte is the foreground colour's side.
    @Test func separatesTwoFlatColours() throws {
        let (rgb, trimap) = Self.twoFlatColours()
        Self.expectSplitAtTheEdge(try ClosedFormMatting().matte(rgb: rgb, trimap: trimap), tolerance: 1e-3)
    }

    /// The restricted system is the matting Laplacian's: symmetric, and with the known
    /// pixels' columns added back each row sums to zero (constant alpha lies in its null space).
    @Test func laplacianRowsAreSymmetricAndSumToZero() throws {
        let (rgb, trimap, _) = try Self.golden()
        var allUnknown = trimap
        for y in 0..<trimap.height {
            for x in 0..<trimap.width where x > 0 && x < trimap.width - 1 && y > 0 && y < trimap.height - 1 {
                allUnknown[0, y, x] = TrimapValue.unknown
            }
        }
        // One background ring: the rows' sums are then exactly the (negated) background columns, which are zero in b.
        let system = try MattingLaplacian(rgb: rgb, trimap: allUnknown, epsilon: 1e-7, threads: 2)
        let matrix = system.matrix, width = trimap.width
        let rowOfPixel = Dictionary(uniqueKeysWithValues: system.unknownPixels.enumerated().map { (Int($1), $0) })
        func neighbour(_ i: Int, _ position: Int) -> Int? {
            let p = Int(system.unknownPixels[i]), step = Stencil.steps[position]
            let y = p / width + step.dy, x = p % width + step.dx
            guard y >= 0, y < trimap.height, x >= 0, x < width else { return nil }
            return rowOfPixel[y * width + x]
        }
        var largestAsymmetry = 0.0, zerosWhereNoUnknown = true
        for i in 0..<matrix.size {
            for position in 0..<Stencil.count {
                guard let j = neighbour(i, position) else {
                    zerosWhereNoUnknown = zerosWhereNoUnknown && matrix.coefficient(row: i, position: position) == 0
                    continue
                }
                let transposed = matrix.coefficient(row: j, position: Stencil.count - 1 - position)
                largestAsymmetry = max(largestAsymmetry, abs(matrix.coefficient(row: i, position: position) - transposed))
            }
        }
        #expect(largestAsymmetry < 1e-6)
        #expect(zerosWhereNoUnknown)
        // Interior rows far from the ring see no known pixel: their sums vanish.
        var largestInteriorSum = 0.0
        for i in 0..<matrix.size {
            let p = Int(system.unknownPixels[i]), y = p / width, x = p % width
            guard y >= 3, y < trimap.height - 3, x >= 3, x < width - 3 else { continue }
            let sum = (0..<Stencil.count).reduce(0.0) { $0 + matrix.coefficient(row: i, position: $1) }
            largestInteriorSum = max(largestInteriorSum, abs(sum) / max(1, abs(matrix.coefficient(row: i, position: Stencil.centre))))
        }
        #expect(largestInteriorSum < 1e-6)
    }

    /// A soft disc of one colour over another (the colour-line model holds exactly) with an
    /// unknown ring of over 16 384 pixels, so the preconditioner is cut into blocks.
    static func softDisc() -> (rgb: ImageTensor, trimap: ImageTensor, alpha: [Float]) {
        let size = 192
        var rgb = ImageTensor(width: size, height: size, channels: 3)
        var trimap = ImageTensor(width: size, height: size, channels: 1, fill: TrimapValue.unknown)
        var truth = [Float](repeating: 0, count: size * size)
        for y in 0..<size {
            for x in 0..<size {
                let radius = Float(((x - 96) * (x - 96) + (y - 96) * (y - 96))).squareRoot()
                let alpha = min(1, max(0, (75 - radius) / 30))
                truth[y * size + x] = alpha
                rgb[0, y, x] = 0.1 + 0.8 * alpha
                rgb[1, y, x] = 0.7 - 0.5 * alpha
                rgb[2, y, x] = 0.3
                if radius < 30 { trimap[0, y, x] = TrimapValue.foreground }
                if radius > 85 { trimap[0, y, x] = TrimapValue.background }
            }
        }
        return (rgb, trimap, truth)
    }

    /// The blocks factored apart reach the one-block factor's answer, which is the disc's alpha.
    @Test func blockPreconditionerReachesTheOneBlockAnswer() throws {
        let (rgb, trimap, truth) = Self.softDisc()
        let system = try MattingLaplacian(rgb: rgb, trimap: trimap, epsilon: 1e-7, threads: 2)
        let blocked = IncompleteCholesky(system.matrix), single = IncompleteCholesky(system.matrix, maximumBlocks: 1)
        #expect(blocked.blocks.count == IncompleteCholesky.standardBlocks && single.blocks.count == 1)
        var x = [Double](repeating: 0, count: system.matrix.size), y = x
        let blockedSolve = ConjugateGradient.solve(system.matrix, system.rightHandSide, x: &x, preconditioner: blocked,
                                                   relativeTolerance: 1e-7, maximumIterations: 10_000, threads: 2)
        let singleSolve = ConjugateGradient.solve(system.matrix, system.rightHandSide, x: &y, preconditioner: single,
                                                  relativeTolerance: 1e-7, maximumIterations: 10_000, threads: 1)
        #expect(blockedSolve.converged && singleSolve.converged)
        #expect(Double(blockedSolve.iterations) < 1.5 * Double(singleSolve.iterations), "\(blockedSolve.iterations) against \(singleSolve.iterations)")
        let largest = zip(x, y).map { abs($0 - $1) }.max() ?? 0
        #expect(largest < 1e-4, "largest |blocks − one block| = \(largest)")
        let error = zip(system.unknownPixels, x).map { abs(Double(truth[Int($0)]) - $1) }.max() ?? 0
        #expect(error < 1e-2, "largest |alpha − the disc's| = \(error)")
    }

    /// A solve stopped early is the same on any number of threads: blocks and sums follow the problem, not the cores.
    @Test func stoppedSolveIsTheSameOnOneAndTwoThreads() throws {
        let (rgb, trimap, _) = Self.softDisc()
        let one = try ClosedFormMatting(relativeTolerance: 1e-3, threads: 1).matte(rgb: rgb, trimap: trimap)
        let two = try ClosedFormMatting(relativeTolerance: 1e-3, threads: 2).matte(rgb: rgb, trimap: trimap)
        #expect(one.pixels == two.pixels)
    }

    /// Unknown pixels on every edge of the picture, solved to convergence, against the
    /// closed-form system written out densely from its definition and solved directly.
    @Test func equalsADenseDirectSolveWithUnknownPixelsOnTheEdges() throws {
        let width = 11, height = 9, epsilon = 1e-3
        var rgb = ImageTensor(width: width, height: height, channels: 3)
        var trimap = ImageTensor(width: width, height: height, channels: 1, fill: TrimapValue.unknown)
        for i in rgb.pixels.indices { rgb.pixels[i] = Float(i * 7919 % 1009) / 1009 }
        for y in 2..<5 { for x in 2..<5 { trimap[0, y, x] = TrimapValue.foreground } }
        for y in 5..<8 { for x in 7..<10 { trimap[0, y, x] = TrimapValue.background } }
        let n = width * height
        var laplacian = [Double](repeating: 0, count: n * n)
        for cy in 1..<height - 1 {
            for cx in 1..<width - 1 {
                let window = (cy - 1...cy + 1).flatMap { y in (cx - 1...cx + 1).map { x in y * width + x } }
                let colours = window.map { p in (0..<3).map { Double(rgb.pixels[$0 * n + p]) } }
                let mean = (0..<3).map { c in colours.reduce(0) { $0 + $1[c] } / 9 }
                var covariance = [[Double]](repeating: [0, 0, 0], count: 3)
                for r in 0..<3 {
                    for c in 0..<3 {
                        covariance[r][c] = colours.reduce(0) { $0 + ($1[r] - mean[r]) * ($1[c] - mean[c]) } / 9 + (r == c ? epsilon / 9 : 0)
                    }
                }
                let inverse = Self.inverse3(covariance)
                for (a, p) in window.enumerated() {
                    for (b, q) in window.enumerated() {
                        var quadratic = 0.0
                        for r in 0..<3 { for c in 0..<3 { quadratic += (colours[a][r] - mean[r]) * inverse[r][c] * (colours[b][c] - mean[c]) } }
                        laplacian[p * n + q] += (p == q ? 1 : 0) - (1 + quadratic) / 9
                    }
                }
            }
        }
        let unknown = (0..<n).filter { trimap.pixels[$0] == TrimapValue.unknown }
        var system = unknown.map { p in unknown.map { laplacian[p * n + $0] } }
        var rhs = unknown.map { p in -(0..<n).reduce(0.0) { $0 + (trimap.pixels[$1] == TrimapValue.foreground ? laplacian[p * n + $1] : 0) } }
        let expected = Self.solveDense(&system, &rhs)
        let solver = ClosedFormMatting(epsilon: epsilon, relativeTolerance: 1e-12)
        let alpha = try solver.matte(rgb: rgb, trimap: trimap)
        #expect(solver.lastSolve.converged)
        let largest = zip(unknown, expected).map { abs(Double(alpha.pixels[$0]) - min(1, max(0, $1))) }.max() ?? 0
        #expect(largest < 1e-6, "largest |stencil solve − dense solve| = \(largest)")
        #expect(unknown.contains { $0 % width == 0 } && unknown.contains { $0 % width == width - 1 }
                && unknown.contains { $0 < width } && unknown.contains { $0 >= n - width })
    }

    static func inverse3(_ m: [[Double]]) -> [[Double]] {
        let c00 = m[1][1] * m[2][2] - m[1][2] * m[2][1], c01 = m[0][2] * m[2][1] - m[0][1] * m[2][2]
        let c02 = m[0][1] * m[1][2] - m[0][2] * m[1][1], c10 = m[1][2] * m[2][0] - m[1][0] * m[2][2]
        let c11 = m[0][0] * m[2][2] - m[0][2] * m[2][0], c12 = m[0][2] * m[1][0] - m[0][0] * m[1][2]
        let c20 = m[1][0] * m[2][1] - m[1][1] * m[2][0], c21 = m[0][1] * m[2][0] - m[0][0] * m[2][1]
        let c22 = m[0][0] * m[1][1] - m[0][1] * m[1][0]
        let determinant = m[0][0] * c00 + m[0][1] * c10 + m[0][2] * c20
        return [[c00, c01, c02], [c10, c11, c12], [c20, c21, c22]].map { $0.map { $0 / determinant } }
    }

    /// Gaussian elimination with partial pivoting.
    static func solveDense(_ a: inout [[Double]], _ b: inout [Double]) -> [Double] {
        let n = b.count
        for k in 0..<n {
            let pivot = (k..<n).max { abs(a[$0][k]) < abs(a[$1][k]) }!
            a.swapAt(k, pivot)
            b.swapAt(k, pivot)
            for i in k + 1..<n {
                let factor = a[i][k] / a[k][k]
                for j in k..<n { a[i][j] -= factor * a[k][j] }
                b[i] -= factor * b[k]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            x[i] = (b[i] - (i + 1..<n).reduce(0.0) { $0 + a[i][$1] * x[$1] }) / a[i][i]
        }
        return x
    }

    @Test func refusesMismatchedSizes() {
        let rgb = ImageTensor(width: 8, height: 8, channels: 3)
        let trimap = ImageTensor(width: 9, height: 8, channels: 1)
        #expect(throws: VMatteError.self) { try ClosedFormMatting().matte(rgb: rgb, trimap: trimap) }
    }

    @Test func withoutUnknownPixelsTheTrimapIsTheMatte() throws {
        var trimap = ImageTensor(width: 6, height: 5, channels: 1)
        for i in 0..<15 { trimap.pixels[i] = 1 }
        let alpha = try ClosedFormMatting().matte(rgb: ImageTensor(width: 6, height: 5, channels: 3), trimap: trimap)
        #expect(alpha.pixels == trimap.pixels)
    }
}
