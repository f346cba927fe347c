import ArgumentParser
import FFmpegSupport
import Pipeline

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
        let report = try MatteEvaluation(pred: pred, gt: gt, trimaps: trimaps).run()
        if json { try report.printJSON() } else { print(report.table, terminator: "") }
    }
}
