import Foundation
import MatteCore
import Metrics
import Testing

/// The Swift metrics against the values scripts/metrics_reference.py (numpy + scipy) computes
/// for the seeded inputs in Golden/metrics_golden.json (scripts/make_metric_goldens.py).
@Suite struct GoldenMetricsTests {
    struct Scores: Decodable { var sad, mse, gradient, connectivity: Double }
    struct ImageCase: Decodable { var name: String; var pred, gt: [Int]; var trimap: [Int]?; var expected: Scores }
    struct Sequence: Decodable { var pred, gt, trimap: [[Int]]; var expected: [Scores]; var dtSSD, messdt: Double }
    struct Document: Decodable { var width, height: Int; var images: [ImageCase]; var sequence: Sequence }

    static let document: Document = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/metrics_golden.json")
        return try! JSONDecoder().decode(Document.self, from: Data(contentsOf: path))
    }()

    func image(_ values: [Int]) -> ImageTensor {
        let d = Self.document
        return ImageTensor(width: d.width, height: d.height, channels: 1, pixels: values.map { Float($0) / 255 })
    }

    func region(_ trimap: [Int]?) -> EvaluationRegion {
        trimap.map { EvaluationRegion(trimap: image($0)) } ?? .wholeFrame(width: Self.document.width, height: Self.document.height)
    }

    func expectClose(_ actual: Double, _ expected: Double, _ what: String) {
        let ok = abs(actual - expected) <= max(1e-6 * abs(expected), 1e-9)
        #expect(ok, "\(what): \(actual) vs golden \(expected)")
    }

    func expectScores(_ scores: MattingScores, _ expected: Scores, _ what: String) {
        expectClose(scores.sad, expected.sad, "\(what) SAD")
        expectClose(scores.mse, expected.mse, "\(what) MSE")
        expectClose(scores.gradient, expected.gradient, "\(what) gradient")
        expectClose(scores.connectivity, expected.connectivity, "\(what) connectivity")
    }

    @Test(arguments: 0..<7) func imageCasesMatchTheReference(index: Int) {
        let c = Self.document.images[index]
        expectScores(MattingMetrics.scores(pred: image(c.pred), gt: image(c.gt), region: region(c.trimap)), c.expected, c.name)
    }

    @Test func sequenceMatchesTheReference() {
        let s = Self.document.sequence
        var evaluator = SequenceEvaluator()
        for t in s.gt.indices {
            let e = evaluator.add(frame: t, pred: image(s.pred[t]), gt: image(s.gt[t]), region: region(s.trimap[t]))
            expectScores(e.scores, s.expected[t], "frame \(t)")
        }
        let mean = evaluator.mean
        expectClose(mean.dtSSD ?? .nan, s.dtSSD, "dtSSD")
        expectClose(mean.messdt ?? .nan, s.messdt, "MESSDdt")
    }
}
