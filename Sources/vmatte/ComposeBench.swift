import ArgumentParser
import Bench

/// `vmatte bench compose`: compositing speed per stage (see `ComposeBenchmark`).
struct ComposeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compose", abstract: "Compositing speed per stage on a synthetic frame (default 1920x1080).")

    @Option(help: "Frame width.")
    var width = 1920

    @Option(help: "Frame height.")
    var height = 1080

    @Option(help: "Runs per stage; the report gives the mean.")
    var repeats = 5

    func run() throws {
        guard width > 0, height > 0, repeats > 0 else { throw ValidationError("--width, --height and --repeats must be positive") }
        try BenchReport.print(ComposeBenchmark(width: width, height: height, repeats: repeats).run())
    }
}
