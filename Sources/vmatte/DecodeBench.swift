import ArgumentParser
import Bench

/// Decodes a clip to float planes as fast as it can and reports frames per second.
struct DecodeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode", abstract: "Decode-only speed: every frame to float RGB planes.")

    @Argument(help: "The clip to decode.")
    var input: String

    @Option(help: "Decoding threads; 0 = all cores.")
    var threads: Int = 0

    func run() throws {
        try BenchReport.print(DecodeBenchmark.run(input: input, threads: threads))
    }
}
