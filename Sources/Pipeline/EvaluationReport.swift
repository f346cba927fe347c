import Foundation
import Metrics

/// What `vmatte eval` prints: per-frame scores and their means, as a table or as JSON.
public struct EvaluationReport: Codable, Sendable {
    /// One frame's scores, or the means when `frame` is nil.
    public struct Row: Codable, Sendable {
        var frame: Int?
        var sad: Double
        var mse: Double
        var mse1e3: Double
        var gradient: Double
        var connectivity: Double
        var dtSSD: Double?
        var messdt: Double?
        /// The frame's size, in a set of stills of different sizes.
        var width: Int?
        var height: Int?

        init(frame: Int?, scores: MattingScores, dtSSD: Double?, messdt: Double?, size: (width: Int, height: Int)? = nil) {
            self.frame = frame
            width = size?.width
            height = size?.height
            sad = scores.sad
            mse = scores.mse
            mse1e3 = scores.mse * 1e3
            gradient = scores.gradient
            connectivity = scores.connectivity
            self.dtSSD = dtSSD
            self.messdt = messdt
        }
    }

    public var pred: String
    public var gt: String
    public var trimaps: String?
    public var region: String
    /// The frames' size; nil (and per frame instead) when they differ.
    public var width: Int?
    public var height: Int?
    public var frames: Int
    public var scaling: [String: String]
    public var perFrame: [Row]
    public var mean: Row

    init(pred: String, gt: String, trimaps: String?, frameSizes: [(width: Int, height: Int)], evaluator: SequenceEvaluator) {
        let first = frameSizes.first ?? (0, 0)
        let size = frameSizes.allSatisfy({ $0 == first }) ? first : nil
        self.pred = pred
        self.gt = gt
        self.trimaps = trimaps
        region = trimaps == nil ? "whole frame" : "trimap unknown band"
        width = size?.width
        height = size?.height
        frames = evaluator.frames.count
        scaling = ["sad": "sum |pred-gt| / 1000", "mse": "mean squared error, unscaled", "mse1e3": "mse x 1e3",
                   "gradient": "sum (|grad pred|-|grad gt|)^2 / 1000", "connectivity": "sum |phi pred - phi gt| / 1000",
                   "dtSSD": "x 1e2, whole frame", "messdt": "x 1e3, whole frame, zero motion"]
        perFrame = zip(evaluator.frames, frameSizes).map { frame, frameSize in
            Row(frame: frame.frame, scores: frame.scores, dtSSD: frame.dtSSD, messdt: frame.messdt, size: size == nil ? frameSize : nil)
        }
        let mean = evaluator.mean
        self.mean = Row(frame: nil, scores: mean.scores, dtSSD: mean.dtSSD, messdt: mean.messdt)
    }

    public func printJSON() throws {
        try Pipeline.printJSON(self)
    }

    /// The per-frame table and the means, as `vmatte eval` prints them.
    public var table: String {
        let temporal = perFrame.contains { $0.dtSSD != nil }
        var columns = ["SAD", "MSE×1e3", "Grad", "Conn"]
        if temporal { columns += ["dtSSD×1e2", "MESSDdt×1e3"] }
        func line(_ label: String, _ row: Row) -> String {
            var values = [row.sad, row.mse1e3, row.gradient, row.connectivity].map { String(format: "%12.4f", $0) }
            if temporal { values += [row.dtSSD, row.messdt].map { $0.map { String(format: "%12.4f", $0) } ?? String(repeating: " ", count: 11) + "-" } }
            let size = row.width.map { "  \($0)x\(row.height ?? 0)" } ?? ""
            return label.padding(toLength: 7, withPad: " ", startingAt: 0) + values.joined() + size + "\n"
        }
        let sizes = width.map { "\($0)x\(height ?? 0)" } ?? "images of different sizes"
        var text = "pred \(pred) vs gt \(gt), \(sizes), \(frames) frame\(frames == 1 ? "" : "s"), \(region)\(trimaps.map { " (\($0))" } ?? "")\n"
        text += "frame  " + columns.map { $0.leftPadded(to: 12) }.joined() + (width == nil ? "  size" : "") + "\n"
        for row in perFrame { text += line(String(row.frame ?? 0), row) }
        text += line("mean", mean)
        return text
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
