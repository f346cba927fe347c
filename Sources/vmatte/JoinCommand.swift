import ArgumentParser
import Encode
import FFmpegSupport
import Foundation
import MatteCore
import Pipeline

/// `vmatte join`: concatenates chunks rendered with `--frames a-b` into one file by stream copy.
struct JoinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join",
        abstract: "Join chunks rendered with --frames into one file, by stream copy.",
        discussion: """
        Each chunk is a vmatte output of a frame range (e.g. --frames 0-39, 40-69, 70-99), listed in \
        time order. The chunks must have the same streams and formats, and each must start one frame \
        after the previous one ends. Nothing is decoded or re-encoded; timestamps are kept. The output \
        has the chunks' extension.
        """)

    @Argument(help: ArgumentHelp("The chunks, in time order.", valueName: "chunk"))
    var inputs: [String] = []

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The joined file, with the chunks' extension.", valueName: "path"))
    var output: String

    @Flag(help: "Replace an existing output.")
    var overwrite = false

    @Flag(name: .shortAndLong, help: "No summary on stderr (errors still print).")
    var quiet = false

    @Flag(help: "Print a machine-readable report (JSON) on stdout when done.")
    var json = false

    func run() throws {
        LibAV.configureLogging(verbose: false)
        let started = Date()
        let joiner = try ChunkJoiner(inputs: inputs, output: output)
        let destination = try AtomicOutput(finalPath: output, isFolder: false, overwrite: overwrite, inputs: inputs)
        let interrupt = InterruptFlag.listeningForSignals()
        let summary = try joiner.write(to: destination, shouldStop: { interrupt.isSet })
        let seconds = Date().timeIntervalSince(started)
        if !quiet {
            for note in summary.notes { printError("vmatte: \(note)") }
            printError("vmatte: joined \(inputs.count) chunks, \(summary.frames) frames, in \(String(format: "%.2f", seconds)) s → \(summary.output)")
        }
        if json { try printJSON(summary) }
    }
}
