import ArgumentParser
import Decode
import FFmpegSupport
import Foundation
import MatteCore
import Metrics

/// `vmatte eval`: scores predicted mattes against ground truth with the field's matting metrics.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score predicted mattes against ground truth: SAD, MSE, gradient, connectivity, dtSSD, MESSDdt.",
        discussion: """
        --pred and --gt are each a folder of images (natural name order), a single image, or an alpha \
        video (the alpha channel when the video has one, else its grey level). With --trimaps (a folder \
        with one trimap per frame in natural name order, or one image for every frame) the image scores \
        cover the unknown band only, else the whole frame. Scalings: SAD, Grad and Conn /1000, MSE ×1e3, \
        dtSSD ×1e2, MESSDdt ×1e3 (whole frame, zero motion); definitions in docs/metrics.md.
        """)

    @Option(help: ArgumentHelp("Predicted mattes: folder, image or alpha video.", valueName: "path"))
    var pred: String

    @Option(help: ArgumentHelp("Ground-truth mattes: folder, image or alpha video.", valueName: "path"))
    var gt: String

    @Option(help: ArgumentHelp("Trimaps: a folder with one per frame, or one image for all frames.", valueName: "path"))
    var trimaps: String?

    @Flag(help: "Print a machine-readable report (JSON) on stdout instead of the table.")
    var json = false

    @Flag(help: "Also print libav's own warnings.")
    var verbose = false

    func run() throws {
        LibAV.configureLogging(verbose: verbose)
        let predicted = try Self.open(pred, role: "--pred")
        let truth = try Self.open(gt, role: "--gt")
        let (width, height) = (truth.info.width, truth.info.height)
        guard predicted.info.width == width, predicted.info.height == height else {
            throw VMatteError.badInput("the prediction '\(pred)' is \(predicted.info.width)x\(predicted.info.height) but the ground truth '\(gt)' is \(width)x\(height)")
        }
        let promised = [predicted.info, truth.info].allSatisfy(\.frameCountIsExact) ? (predicted.info.frameCount, truth.info.frameCount) : (nil, nil)
        if let p = promised.0, let g = promised.1, p != g { throw frameCountMismatch(p, g) }
        let trimapSet = try trimaps.map { try EvalTrimaps(path: $0, width: width, height: height) }
        if let trimapSet, let count = promised.1 { try trimapSet.requireCount(count) }

        var evaluator = SequenceEvaluator()
        var predFrame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
        var gtFrame = predFrame
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
            let region = try trimapSet?.region(for: position) ?? .wholeFrame(width: width, height: height)
            evaluator.add(frame: position, pred: predFrame.image, gt: gtFrame.image, region: region)
            position += 1
        }
        try trimapSet?.requireCount(position)

        let report = EvalReport(pred: pred, gt: gt, trimaps: trimaps, width: width, height: height, evaluator: evaluator)
        if json { try report.printJSON() } else { print(report.table, terminator: "") }
    }

    static func open(_ path: String, role: String) throws -> FrameSource {
        do {
            return try MediaInput.open(path, options: DecodeOptions(planes: .matte, threads: 1))
        } catch let error as VMatteError {
            throw VMatteError(error.kind, "\(role): \(error.message)")
        }
    }

    static func countRemaining(_ source: FrameSource) throws -> Int {
        var frame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
        var count = 0
        while try source.read(into: &frame) { count += 1 }
        return count
    }

    func frameCountMismatch(_ predCount: Int, _ gtCount: Int) -> VMatteError {
        .badInput("the prediction '\(pred)' has \(predCount) frame\(predCount == 1 ? "" : "s") but the ground truth '\(gt)' has \(gtCount)")
    }
}

/// The trimaps of an evaluation: one image for every frame, or one per frame from a folder.
private struct EvalTrimaps {
    let path: String
    let width: Int
    let height: Int
    let files: [String]
    let single: EvaluationRegion?

    init(path: String, width: Int, height: Int) throws {
        self.path = path
        self.width = width
        self.height = height
        if Paths.isDirectory(path) {
            files = try ImageFolderSource.listImages(in: path)
            if files.isEmpty { throw VMatteError.badInput("--trimaps: the folder '\(path)' holds no images") }
            single = nil
        } else {
            guard FileManager.default.fileExists(atPath: path) else { throw VMatteError.badInput("--trimaps: '\(path)' does not exist") }
            files = [path]
            single = try Self.load(path, width: width, height: height)
        }
    }

    func requireCount(_ frames: Int) throws {
        guard single == nil, files.count != frames else { return }
        throw VMatteError.badInput("--trimaps: the folder '\(path)' holds \(files.count) trimap\(files.count == 1 ? "" : "s") but the mattes have \(frames) frame\(frames == 1 ? "" : "s")")
    }

    func region(for frame: Int) throws -> EvaluationRegion {
        if let single { return single }
        guard frame < files.count else {
            throw VMatteError.badInput("--trimaps: the folder '\(path)' holds \(files.count) trimap\(files.count == 1 ? "" : "s") but the mattes have more frames")
        }
        return try Self.load(files[frame], width: width, height: height)
    }

    static func load(_ file: String, width: Int, height: Int) throws -> EvaluationRegion {
        let image: ImageTensor
        do {
            image = try readImage(file, planes: .grey)
        } catch let error as VMatteError {
            throw VMatteError(error.kind, "--trimaps: \(error.message)")
        }
        guard image.width == width, image.height == height else {
            throw VMatteError.badInput("the trimap '\(file)' is \(image.width)x\(image.height) but the mattes are \(width)x\(height)")
        }
        return EvaluationRegion(trimap: image)
    }
}

/// What `vmatte eval` prints: per-frame scores and their means, as a table or as JSON.
private struct EvalReport: Codable {
    /// One frame's scores, or the means when `frame` is nil.
    struct Row: Codable {
        var frame: Int?
        var sad: Double
        var mse: Double
        var mse1e3: Double
        var gradient: Double
        var connectivity: Double
        var dtSSD: Double?
        var messdt: Double?

        init(frame: Int?, scores: MattingScores, dtSSD: Double?, messdt: Double?) {
            self.frame = frame
            sad = scores.sad
            mse = scores.mse
            mse1e3 = scores.mse * 1e3
            gradient = scores.gradient
            connectivity = scores.connectivity
            self.dtSSD = dtSSD
            self.messdt = messdt
        }
    }

    var pred: String
    var gt: String
    var trimaps: String?
    var region: String
    var width: Int
    var height: Int
    var frames: Int
    var scaling: [String: String]
    var perFrame: [Row]
    var mean: Row

    init(pred: String, gt: String, trimaps: String?, width: Int, height: Int, evaluator: SequenceEvaluator) {
        self.pred = pred
        self.gt = gt
        self.trimaps = trimaps
        region = trimaps == nil ? "whole frame" : "trimap unknown band"
        self.width = width
        self.height = height
        frames = evaluator.frames.count
        scaling = ["sad": "sum |pred-gt| / 1000", "mse": "mean squared error, unscaled", "mse1e3": "mse x 1e3",
                   "gradient": "sum (|grad pred|-|grad gt|)^2 / 1000", "connectivity": "sum |phi pred - phi gt| / 1000",
                   "dtSSD": "x 1e2, whole frame", "messdt": "x 1e3, whole frame, zero motion"]
        perFrame = evaluator.frames.map { Row(frame: $0.frame, scores: $0.scores, dtSSD: $0.dtSSD, messdt: $0.messdt) }
        let mean = evaluator.mean
        self.mean = Row(frame: nil, scores: mean.scores, dtSSD: mean.dtSSD, messdt: mean.messdt)
    }

    func printJSON() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        FileHandle.standardOutput.write(try encoder.encode(self))
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    var table: String {
        let temporal = frames > 1
        var columns = ["SAD", "MSE×1e3", "Grad", "Conn"]
        if temporal { columns += ["dtSSD×1e2", "MESSDdt×1e3"] }
        func line(_ label: String, _ row: Row) -> String {
            var values = [row.sad, row.mse1e3, row.gradient, row.connectivity].map { String(format: "%12.4f", $0) }
            if temporal { values += [row.dtSSD, row.messdt].map { $0.map { String(format: "%12.4f", $0) } ?? String(repeating: " ", count: 11) + "-" } }
            return label.padding(toLength: 7, withPad: " ", startingAt: 0) + values.joined() + "\n"
        }
        var text = "pred \(pred) vs gt \(gt), \(width)x\(height), \(frames) frame\(frames == 1 ? "" : "s"), \(region)\(trimaps.map { " (\($0))" } ?? "")\n"
        text += "frame  " + columns.map { $0.leftPadded(to: 12) }.joined() + "\n"
        for row in perFrame { text += line(String(row.frame ?? 0), row) }
        text += line("mean", mean)
        return text
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
