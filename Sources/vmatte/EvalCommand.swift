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
        let promised = [predicted.info, truth.info].allSatisfy(\.frameCountIsExact) ? (predicted.info.frameCount, truth.info.frameCount) : (nil, nil)
        if let p = promised.0, let g = promised.1, p != g { throw frameCountMismatch(p, g) }
        let trimapSet = try trimaps.map { try EvalTrimaps(path: $0) }
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

        let report = EvalReport(pred: pred, gt: gt, trimaps: trimaps, frameSizes: frameSizes, evaluator: evaluator)
        if json { try report.printJSON() } else { print(report.table, terminator: "") }
    }

    static func open(_ path: String, role: String) throws -> FrameSource {
        do {
            return try MediaInput.open(path, options: DecodeOptions(planes: .matte, threads: 1, allowsMixedSizes: true))
        } catch let error as VMatteError {
            throw VMatteError(error.kind, "\(role): \(error.message)")
        }
    }

    /// `'file'` for a folder's image, else frame N of `'path'`.
    static func name(of source: FrameSource, path: String, frame: Int) -> String {
        if let folder = source as? ImageFolderSource, frame < folder.files.count { return "'\(folder.files[frame])'" }
        return frame == 0 ? "'\(path)'" : "frame \(frame) of '\(path)'"
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
    let files: [String]
    let single: ImageTensor?

    init(path: String) throws {
        self.path = path
        if Paths.isDirectory(path) {
            files = try ImageFolderSource.listImages(in: path)
            if files.isEmpty { throw VMatteError.badInput("--trimaps: the folder '\(path)' holds no images") }
            single = nil
        } else {
            guard FileManager.default.fileExists(atPath: path) else { throw VMatteError.badInput("--trimaps: '\(path)' does not exist") }
            files = [path]
            single = try Self.load(path)
        }
    }

    func requireCount(_ frames: Int) throws {
        guard single == nil, files.count != frames else { return }
        throw VMatteError.badInput("--trimaps: the folder '\(path)' holds \(files.count) trimap\(files.count == 1 ? "" : "s") but the mattes have \(frames) frame\(frames == 1 ? "" : "s")")
    }

    /// The region of frame `frame`, whose mattes are `width`×`height`.
    func region(for frame: Int, width: Int, height: Int) throws -> EvaluationRegion {
        guard single != nil || frame < files.count else {
            throw VMatteError.badInput("--trimaps: the folder '\(path)' holds \(files.count) trimap\(files.count == 1 ? "" : "s") but the mattes have more frames")
        }
        let file = single == nil ? files[frame] : path
        let image = try single ?? Self.load(file)
        guard image.width == width, image.height == height else {
            throw VMatteError.badInput("the trimap '\(file)' is \(image.width)x\(image.height) but the mattes\(single == nil ? "" : " of frame \(frame)") are \(width)x\(height)")
        }
        return EvaluationRegion(trimap: image)
    }

    static func load(_ file: String) throws -> ImageTensor {
        do {
            return try readImage(file, planes: .grey)
        } catch let error as VMatteError {
            throw VMatteError(error.kind, "--trimaps: \(error.message)")
        }
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

    var pred: String
    var gt: String
    var trimaps: String?
    var region: String
    /// The frames' size; nil (and per frame instead) when they differ.
    var width: Int?
    var height: Int?
    var frames: Int
    var scaling: [String: String]
    var perFrame: [Row]
    var mean: Row

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

    func printJSON() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        FileHandle.standardOutput.write(try encoder.encode(self))
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    var table: String {
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
