import MatteCore

/// Stage 2, the refinement: a few k×k convolutions on [normalised RGB, raw alpha (, KNN matte)] whose
/// output corrects the raw alpha. Each output pixel sees only `refinementReach` pixels around
/// it, so it can run on the trimap's unknown band alone and give there exactly what the whole
/// frame gives.
extension MattingNetwork {
    /// Pixels on each side an output pixel of the refinement depends on.
    var refinementReach: Int { (refinement.count + 1) * (description.refineKernel / 2) }

    /// Rows of one band of the unknown-band refinement (before its reach is added).
    static let refinementBandRows = 32

    /// Refines `region` of the map and writes `kept` of it into `refined`. The convolutions
    /// run on the region as if it were the whole map (zero padding at its edges), so only
    /// pixels `refinementReach` inside an edge that is not the map's own are exact.
    /// `staging` receives the region's input (4 planes, 5 with the KNN matte); the layers alternate between the two
    /// `scratch` buffers (the first must not be `staging`), and `residual` (which may be
    /// `refined` itself when the region is the whole map) takes the last layer's output.
    func refine(input: FeatureMap, raw: FeatureMap, region: (rows: Range<Int>, columns: Range<Int>),
                kept: (rows: Range<Int>, columns: Range<Int>), staging: UnsafeMutablePointer<Float>,
                scratch: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>), residual residualData: UnsafeMutablePointer<Float>,
                into refined: FeatureMap, workspace: Workspace, backend: ConvolutionBackend = .openBLAS,
                observe: ((String, FeatureMap) -> Void)? = nil) {
        let height = region.rows.count, width = region.columns.count
        let planeSize = height * width
        let planes = description.refineInputChannels
        for c in 0..<planes {
            let source = c < 3 ? input.plane(c) : c == 3 ? raw.data : input.plane(description.knnChannel!)
            for (y, row) in region.rows.enumerated() {
                (staging + c * planeSize + y * width).update(from: source + row * input.width + region.columns.lowerBound, count: width)
            }
        }
        var h = FeatureMap(data: staging, channels: planes, height: height, width: width)
        let chained = backend == .oneDNN ? workspace.oneDNNChain("refine", layers: refinement, height: height, width: width) : nil
        let chainOutput = FeatureMap(data: scratch.0, channels: description.refineWidth, height: height, width: width)
        var ranChain = false
        if let chained {
            do {
                try chained.run(h, into: chainOutput, workspace: workspace, threads: BLASRuntime.threadCount)
                ranChain = true
            } catch {
                workspace.noteOneDNNProblem("\(error)")
            }
        }
        if ranChain {
            h = chainOutput
        } else {
            for (index, layer) in refinement.enumerated() {
                let output = FeatureMap(data: index % 2 == 0 ? scratch.0 : scratch.1, channels: layer.outputChannels, height: height, width: width)
                layer.apply(h, into: output, workspace: workspace)
                h = output
            }
        }
        let residual = FeatureMap(data: residualData, channels: 1, height: height, width: width)
        refinePrediction.apply(h, into: residual, workspace: workspace)
        observe?("refine_residual", residual)
        for row in kept.rows {
            let y = row - region.rows.lowerBound
            for column in kept.columns {
                let p = row * input.width + column
                refined.data[p] = min(1, max(0, raw.data[p] + residual.data[y * width + column - region.columns.lowerBound]))
            }
        }
    }

    /// Share of the frame the unknown band's regions may cover before the oneDNN backend
    /// refines the whole frame instead: its whole-frame chain runs the three refinement
    /// layers 1.5× as fast per pixel as OpenBLAS (312 against 473 ms at 720p, docs/engine.md).
    static let wholeFrameRefinementShare = 2.0 / 3.0

    /// The refinement on bands of rows, over the runs of columns that hold an unknown pixel,
    /// each widened by the refinement's reach; every other pixel keeps its raw alpha. The
    /// bands run on OpenBLAS (their sizes change from band to band and frame to frame, and a
    /// oneDNN chain is built for one size); with oneDNN, a band covering most of the frame is
    /// refined as the whole frame, which gives the same unknown pixels.
    func refineUnknownBand(input: FeatureMap, raw: FeatureMap, into refined: FeatureMap, workspace: Workspace, backend: ConvolutionBackend,
                           wholeFrameBuffers: () -> (staging: UnsafeMutablePointer<Float>, scratch: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>))) {
        let regions = unknownBandRegions(input)
        let covered = regions.reduce(0) { $0 + $1.region.rows.count * $1.region.columns.count }
        if backend == .oneDNN && Double(covered) >= Self.wholeFrameRefinementShare * Double(input.planeSize) {
            let whole = (rows: 0..<input.height, columns: 0..<input.width)
            let buffers = wholeFrameBuffers()
            refine(input: input, raw: raw, region: whole, kept: whole, staging: buffers.staging, scratch: buffers.scratch,
                   residual: refined.data, into: refined, workspace: workspace, backend: backend)
            return
        }
        refined.data.update(from: raw.data, count: input.planeSize)
        let reach = refinementReach
        let bandPixels = (Self.refinementBandRows + 2 * reach) * input.width
        let planes = description.refineInputChannels
        let staging = workspace.floats("refine.staging", count: planes * bandPixels)
        let scratch = (workspace.floats("refine.a", count: max(planes, description.refineWidth) * bandPixels),
                       workspace.floats("refine.b", count: max(planes, description.refineWidth) * bandPixels))
        let residual = workspace.floats("refine.residual", count: bandPixels)
        for (region, kept) in regions {
            refine(input: input, raw: raw, region: region, kept: kept, staging: staging, scratch: scratch,
                   residual: residual, into: refined, workspace: workspace)
        }
    }

    /// The regions the banded refinement runs (each with the part of it that is kept): bands
    /// of rows, over the runs of columns that hold an unknown pixel, widened by the reach.
    private func unknownBandRegions(_ input: FeatureMap) -> [(region: (rows: Range<Int>, columns: Range<Int>), kept: (rows: Range<Int>, columns: Range<Int>))] {
        let trimap = input.plane(3)
        let reach = refinementReach, bandRows = Self.refinementBandRows
        var regions: [(region: (rows: Range<Int>, columns: Range<Int>), kept: (rows: Range<Int>, columns: Range<Int>))] = []
        var occupied = [Bool](repeating: false, count: input.width)
        for top in stride(from: 0, to: input.height, by: bandRows) {
            let rows = top..<min(input.height, top + bandRows)
            for x in occupied.indices { occupied[x] = false }
            for y in rows {
                for x in 0..<input.width where trimap[y * input.width + x] == TrimapValue.unknown { occupied[x] = true }
            }
            // Runs of columns with an unknown pixel; runs closer than the two reaches they add are one region.
            var x = 0
            while x < input.width {
                guard occupied[x] else { x += 1; continue }
                var end = x + 1
                while end < input.width {
                    if occupied[end] { end += 1; continue }
                    guard let next = (end..<min(input.width, end + 2 * reach)).first(where: { occupied[$0] }) else { break }
                    end = next + 1
                }
                let columns = x..<end
                regions.append(((rows: max(0, rows.lowerBound - reach)..<min(input.height, rows.upperBound + reach),
                                 columns: max(0, columns.lowerBound - reach)..<min(input.width, columns.upperBound + reach)),
                                (rows, columns)))
                x = end
            }
        }
        return regions
    }
}
