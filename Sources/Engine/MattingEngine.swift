import ClosedForm
import MatteCore

/// Mattes one image: Deep Image Matting on the trimap's unknown region, the trimap's own
/// values elsewhere. Whole-frame or tiled; reuses its working memory from call to call.
public final class MattingEngine: AlphaMatting, @unchecked Sendable {
    public let network: MattingNetwork
    public let tiles: TileSettings?
    /// Also run every tile mirrored left to right and average the two predictions: about twice
    /// the compute for a somewhat lower error (docs/quality.md).
    public let averagesMirrored: Bool
    /// Where the refinement runs (the unknown band gives the same matte for less work; the
    /// whole map only to measure the difference).
    public var refinedPixels: MattingNetwork.RefinedPixels = .unknownBand
    /// What runs the convolutions.
    public var backend: ConvolutionBackend = .standard
    /// Why oneDNN refused a convolution chain (it then ran on OpenBLAS), nil when it never did.
    public var oneDNNProblem: String? { workspace.oneDNNProblem }
    private let workspace = Workspace()
    /// The closed-form matte a fused model reads beside the image (one solve per frame, each from zero).
    private let closedFormSolver: ClosedFormMatting?
    /// The closed-form matte of the current frame (nil when the model does not read one).
    public private(set) var closedForm: ImageTensor?
    /// Stands in for the solver in parity tests: the closed-form matte another implementation made.
    var closedFormOverride: ImageTensor?
    /// The KNN matte a version-4 refinement reads beside the closed-form matte.
    private let knnSolver: KNNMatting?
    /// The KNN matte of the current frame (nil when the model does not read one).
    public private(set) var knn: ImageTensor?
    /// Stands in for the KNN solver in parity tests.
    var knnOverride: ImageTensor?
    /// Counts of the last call, for reports.
    public private(set) var tilesRun = 0
    public private(set) var tilesSkipped = 0
    public private(set) var pixelsRun = 0

    /// Where the solve of a fused model's closed-form input stops (relative residual): chosen
    /// by cross-validation, where the fused network's error is lowest with this early-stopped
    /// solve, well short of pymatting's 1e-7 (docs/quality.md).
    public static let standardClosedFormTolerance = 3e-4

    /// `tiles` nil runs the whole frame at once; `closedFormTolerance` is the relative residual
    /// at which a fused model's closed-form solve stops.
    public init(network: MattingNetwork, tiles: TileSettings? = .standard, averagesMirrored: Bool = false,
                closedFormTolerance: Double = standardClosedFormTolerance) {
        self.network = network
        self.tiles = tiles
        self.averagesMirrored = averagesMirrored
        // Cold starts: stopped early, a solve from the previous frame's matte would carry that
        // matte in, and the input would differ from the one cross-validation measured.
        closedFormSolver = network.description.usesClosedForm
            ? ClosedFormMatting(relativeTolerance: closedFormTolerance, threads: BLASRuntime.threadCount, warmStarts: false) : nil
        knnSolver = network.description.usesKNN ? KNNMatting(threads: BLASRuntime.threadCount) : nil
    }

    public var workspaceBytes: Int { workspace.allocatedBytes }

    /// The closed-form solves of the fused model's input so far (nil when the model reads none).
    public var closedFormTotals: ClosedFormTotals? { closedFormSolver?.totals }
    /// The KNN solves of a version-4 model's input so far (nil when the model reads none).
    public var knnTotals: KNNTotals? { knnSolver?.totals }

    /// The alpha matte of `rgb` (3 planes in 0…1) for `trimap` (1 plane: 0 / 0.5 / 1, or painted greys).
    public func matte(rgb: ImageTensor, trimap: ImageTensor) throws -> ImageTensor {
        guard rgb.channels == 3, trimap.channels == 1 else { throw VMatteError.runtime("matting needs 3 colour planes and 1 trimap plane") }
        guard rgb.width == trimap.width, rgb.height == trimap.height else {
            throw VMatteError.badInput("the trimap is \(trimap.width)x\(trimap.height) but the frame is \(rgb.width)x\(rgb.height)")
        }
        var alpha = ImageTensor(width: rgb.width, height: rgb.height, channels: 1)
        for i in alpha.pixels.indices { alpha.pixels[i] = InputPreparation.finish(0, trimap: trimap.pixels[i]) }
        tilesRun = 0
        tilesSkipped = 0
        pixelsRun = 0
        closedForm = nil
        knn = nil
        let anyUnknown = hasUnknown(trimap, rows: 0..<rgb.height, columns: 0..<rgb.width)
        if let closedFormSolver, anyUnknown {
            closedFormSolver.threads = BLASRuntime.threadCount
            closedForm = try closedFormOverride ?? closedFormSolver.matte(rgb: rgb, trimap: trimap)
        }
        if let knnSolver, anyUnknown {
            knnSolver.threads = BLASRuntime.threadCount
            knn = try knnOverride ?? knnSolver.matte(rgb: rgb, trimap: trimap)
        }
        // A closed-form refinement sees a few pixels around each one and runs on the unknown band alone: tiles would add nothing.
        guard let tiles, network.description.hasEncoderDecoder else {
            if anyUnknown {
                run(rgb: rgb, trimap: trimap, core: (0..<rgb.height, 0..<rgb.width), region: (0..<rgb.height, 0..<rgb.width), into: &alpha)
            }
            return alpha
        }
        var jobs: [(core: (Range<Int>, Range<Int>), region: (Range<Int>, Range<Int>))] = []
        for top in stride(from: 0, to: rgb.height, by: tiles.size) {
            for left in stride(from: 0, to: rgb.width, by: tiles.size) {
                let rows = top..<min(rgb.height, top + tiles.size), columns = left..<min(rgb.width, left + tiles.size)
                guard hasUnknown(trimap, rows: rows, columns: columns) else {
                    tilesSkipped += 1
                    continue
                }
                let region = (Self.context(around: rows, halo: tiles.halo, limit: rgb.height, multiple: network.description.padMultiple),
                              Self.context(around: columns, halo: tiles.halo, limit: rgb.width, multiple: network.description.padMultiple))
                jobs.append(((rows, columns), region))
            }
        }
        // Halos overlap: when the tiles would cost as much as the whole frame, run the whole frame.
        let tiledPixels = jobs.reduce(0) { $0 + InputPreparation.paddedSize($1.region.0.count, multiple: 32) * InputPreparation.paddedSize($1.region.1.count, multiple: 32) }
        let wholePixels = InputPreparation.paddedSize(rgb.height, multiple: 32) * InputPreparation.paddedSize(rgb.width, multiple: 32)
        if tiles.wholeFrameWhenCheaper && tiledPixels >= wholePixels {
            tilesSkipped = 0
            run(rgb: rgb, trimap: trimap, core: (0..<rgb.height, 0..<rgb.width), region: (0..<rgb.height, 0..<rgb.width), into: &alpha)
            return alpha
        }
        for job in jobs { run(rgb: rgb, trimap: trimap, core: job.core, region: job.region, into: &alpha) }
        return alpha
    }

    /// The span of real pixels run for a core: the core plus at least `halo` pixels, with both
    /// ends on the network's stride grid (multiples of 32 from the image origin), so every
    /// pooling window in the tile is the one the whole frame has, and kept inside the image
    /// (an end at the image's edge is padded exactly as the whole frame is).
    static func context(around core: Range<Int>, halo: Int, limit: Int, multiple: Int) -> Range<Int> {
        let start = max(0, core.lowerBound - halo) / multiple * multiple
        let end = min(limit, (core.upperBound + halo + multiple - 1) / multiple * multiple)
        return start..<end
    }

    private func hasUnknown(_ trimap: ImageTensor, rows: Range<Int>, columns: Range<Int>) -> Bool {
        for y in rows {
            let row = y * trimap.width
            for x in columns where TrimapValue.snap(trimap.pixels[row + x]) == TrimapValue.unknown { return true }
        }
        return false
    }

    private func run(rgb: ImageTensor, trimap: ImageTensor, core: (Range<Int>, Range<Int>), region: (Range<Int>, Range<Int>),
                     into alpha: inout ImageTensor) {
        let width = alpha.width
        tilesRun += 1
        let predicted = predict(rgb: rgb, trimap: trimap, region: region, mirrored: false)
        for y in core.0 {
            let sourceRow = predicted.data + (y - region.0.lowerBound) * predicted.width - region.1.lowerBound
            for x in core.1 { alpha.pixels[y * width + x] = sourceRow[x] }
        }
        if averagesMirrored {
            // Column x of the region sits at (upperBound - 1 - x) of the mirrored prediction.
            let mirrored = predict(rgb: rgb, trimap: trimap, region: region, mirrored: true)
            for y in core.0 {
                let sourceRow = mirrored.data + (y - region.0.lowerBound) * mirrored.width + region.1.upperBound - 1
                for x in core.1 { alpha.pixels[y * width + x] = 0.5 * (alpha.pixels[y * width + x] + sourceRow[-x]) }
            }
        }
        for y in core.0 {
            for x in core.1 {
                alpha.pixels[y * width + x] = InputPreparation.finish(alpha.pixels[y * width + x], trimap: trimap.pixels[y * width + x])
            }
        }
    }

    private func predict(rgb: ImageTensor, trimap: ImageTensor, region: (Range<Int>, Range<Int>), mirrored: Bool) -> FeatureMap {
        let input = InputPreparation.networkInput(rgb: rgb, trimap: trimap, closedForm: closedForm, knn: knn, rows: region.0, columns: region.1, mirrored: mirrored,
                                                  model: network.description, workspace: workspace)
        pixelsRun += input.planeSize
        return network.forward(input, workspace: workspace, refinedPixels: refinedPixels, backend: backend)
    }
}
