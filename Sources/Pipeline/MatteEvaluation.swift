import Decode
import Foundation
import MatteCore
import Metrics

/// `vmatte eval`'s work: predicted mattes scored against ground truth, frame by frame, with the
/// field's metrics, over the trimaps' unknown band when given.
public struct MatteEvaluation {
    /// Predicted and ground-truth mattes: each a folder of images, an image or an alpha video.
    public var pred: String
    public var gt: String
    /// One trimap per frame (a folder) or one for all frames; nil scores whole frames.
    public var trimaps: String?

    public init(pred: String, gt: String, trimaps: String?) {
        self.pred = pred
        self.gt = gt
        self.trimaps = trimaps
    }

    /// Reads both sides frame by frame and scores each frame and the sequence.
    public func run() throws -> EvaluationReport {
        let predicted = try Self.open(pred, role: "--pred")
        let truth = try Self.open(gt, role: "--gt")
        let promised = [predicted.info, truth.info].allSatisfy(\.frameCountIsExact) ? (predicted.info.frameCount, truth.info.frameCount) : (nil, nil)
        if let p = promised.0, let g = promised.1, p != g { throw frameCountMismatch(p, g) }
        let trimapSet = try trimaps.map { try EvaluationTrimaps(path: $0) }
        if let trimapSet, let count = promised.1 { try trimapSet.requireCount(count) }

        var evaluator = SequenceEvaluator()
        var predFrame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
        var gtFrame = predFrame
        var frameSizes: [(width: Int, height: Int)] = []
        var position = 0
        while true {
            let hasPred = try predicted.read(into: &predFrame)
            let hasGT = try truth.read(into: &gtFrame)
            if !hasPred || !hasGT {
                if hasPred || hasGT {
                    let rest = try Self.countRemaining(hasPred ? predicted : truth)
                    throw hasPred ? frameCountMismatch(position + 1 + rest, position) : frameCountMismatch(position, position + 1 + rest)
                }
                break
            }
            // Each frame is checked on its own: a folder of stills may mix sizes.
            let (width, height) = (gtFrame.image.width, gtFrame.image.height)
            guard predFrame.image.width == width, predFrame.image.height == height else {
                throw VMatteError.badInput("the prediction \(Self.name(of: predicted, path: pred, frame: position)) is \(predFrame.image.width)x\(predFrame.image.height) but the ground truth \(Self.name(of: truth, path: gt, frame: position)) is \(width)x\(height)")
            }
            frameSizes.append((width, height))
            let region = try trimapSet?.region(for: position, width: width, height: height) ?? .wholeFrame(width: width, height: height)
            evaluator.add(frame: position, pred: predFrame.image, gt: gtFrame.image, region: region)
            position += 1
        }
        try trimapSet?.requireCount(position)

        return EvaluationReport(pred: pred, gt: gt, trimaps: trimaps, frameSizes: frameSizes, evaluator: evaluator)
    }

    private static func open(_ path: String, role: String) throws -> FrameSource {
        do {
            return try MediaInput.open(path, options: DecodeOptions(planes: .matte, threads: 1, allowsMixedSizes: true))
        } catch let error as VMatteError {
            throw VMatteError(error.kind, "\(role): \(error.message)")
        }
    }

    /// `'file'` for a folder's image, else frame N of `'path'`.
    private static func name(of source: FrameSource, path: String, frame: Int) -> String {
        if let folder = source as? ImageFolderSource, frame < folder.files.count { return "'\(folder.files[frame])'" }
        return frame == 0 ? "'\(path)'" : "frame \(frame) of '\(path)'"
    }

    private static func countRemaining(_ source: FrameSource) throws -> Int {
        var frame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
        var count = 0
        while try source.read(into: &frame) { count += 1 }
        return count
    }

    private func frameCountMismatch(_ predCount: Int, _ gtCount: Int) -> VMatteError {
        .badInput("the prediction '\(pred)' has \(predCount) frame\(predCount == 1 ? "" : "s") but the ground truth '\(gt)' has \(gtCount)")
    }
}
