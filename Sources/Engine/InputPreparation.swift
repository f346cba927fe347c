import MatteCore

/// The steps around the network, defined once (training/MODEL_FORMAT.md section 5):
/// reflect-pad at the bottom and right to a multiple of 32, normalise RGB, encode the
/// trimap; afterwards crop, clamp and force the trimap's known regions.
enum InputPreparation {
    /// The source index for padded position `i` of an axis of length `n` (mirror without
    /// repeating the edge sample, bouncing for pads longer than the axis).
    @inline(__always) static func reflect(_ i: Int, _ n: Int) -> Int {
        guard n > 1 else { return 0 }
        let period = 2 * (n - 1)
        let m = i % period
        return m < n ? m : period - m
    }

    static func paddedSize(_ n: Int, multiple: Int) -> Int { (n + multiple - 1) / multiple * multiple }

    /// Writes the network input for the region `rows`×`columns` of `rgb`/`trimap` into
    /// workspace memory, padded by reflection (within the region) to multiples of 32.
    /// `mirrored` flips the region left to right first (column `c` lands at `columns.upperBound - 1 - c`).
    /// `closedForm` (the frame's closed-form matte) is the fifth plane for models that take it,
    /// `knn` (its KNN matte) the sixth.
    static func networkInput(rgb: ImageTensor, trimap: ImageTensor, closedForm: ImageTensor? = nil, knn: ImageTensor? = nil,
                             rows: Range<Int>, columns: Range<Int>,
                             mirrored: Bool = false, model: ModelDescription, workspace: Workspace) -> FeatureMap {
        precondition(model.usesClosedForm == (closedForm != nil), "the closed-form plane is given exactly when the model takes it")
        precondition(model.usesKNN == (knn != nil), "the KNN plane is given exactly when the model takes it")
        let height = paddedSize(rows.count, multiple: model.padMultiple)
        let width = paddedSize(columns.count, multiple: model.padMultiple)
        let channels = model.inputChannels
        let input = FeatureMap(data: workspace.floats("input", count: channels * height * width), channels: channels, height: height, width: width)
        let sourceColumns = (0..<width).map {
            mirrored ? columns.upperBound - 1 - reflect($0, columns.count) : columns.lowerBound + reflect($0, columns.count)
        }
        rgb.pixels.withUnsafeBufferPointer { colour in
            trimap.pixels.withUnsafeBufferPointer { tri in
                for y in 0..<height {
                    let sourceRow = rows.lowerBound + reflect(y, rows.count)
                    for c in 0..<3 {
                        let scale = 1 / model.std[c], offset = -model.mean[c] / model.std[c]
                        let source = colour.baseAddress! + (c * rgb.height + sourceRow) * rgb.width
                        let target = input.plane(c) + y * width
                        for x in 0..<width { target[x] = source[sourceColumns[x]] * scale + offset }
                    }
                    let source = tri.baseAddress! + sourceRow * trimap.width
                    let target = input.plane(3) + y * width
                    for x in 0..<width { target[x] = TrimapValue.snap(source[sourceColumns[x]]) }
                    for (matte, channel) in [(closedForm, model.closedFormChannel), (knn, model.knnChannel)] {
                        guard let matte, let channel else { continue }
                        let row = sourceRow * matte.width
                        let target = input.plane(channel) + y * width
                        for x in 0..<width { target[x] = min(1, max(0, matte.pixels[row + sourceColumns[x]])) }
                    }
                }
            }
        }
        return input
    }

    /// The final matte value: the trimap's where it is known, else the clamped prediction.
    @inline(__always) static func finish(_ predicted: Float, trimap: Float) -> Float {
        let known = TrimapValue.snap(trimap)
        if known == TrimapValue.background { return 0 }
        if known == TrimapValue.foreground { return 1 }
        return min(1, max(0, predicted))
    }
}
