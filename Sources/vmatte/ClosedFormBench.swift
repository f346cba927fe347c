import ArgumentParser
import Bench

/// Times closed-form solves of one picture and trimap, split into their phases.
struct ClosedFormBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "closed-form", abstract: "Closed-form matting speed on one picture (system, factor and iterations), and KNN matting's beside it.")

    @Argument(help: "The picture (PNG, JPEG, ...).")
    var image: String

    @Option(help: "Its trimap.")
    var trimap: String

    @Option(help: "Where the solves stop (relative residual).")
    var tolerance: Double = 3e-4

    @Option(help: "Solves to take the median of.")
    var repeats: Int = 5

    @Option(help: "Threads of the solve.")
    var threads: Int = 2

    func validate() throws {
        guard tolerance > 0, tolerance < 1 else { throw ValidationError("--tolerance must be between 0 and 1") }
        guard repeats > 0, threads > 0 else { throw ValidationError("--repeats and --threads must be positive") }
    }

    func run() throws {
        try BenchReport.print(ClosedFormBenchmark.run(image: image, trimap: trimap, tolerance: tolerance,
                                                      repeats: repeats, threads: threads))
    }
}
