import ArgumentParser
import Engine
import FFmpegSupport
import Decode
import Foundation
import MatteCore
import Pipeline

/// The `vmatte` command line: matting by default, plus the tools around it.
@main
struct VMatte: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vmatte",
        abstract: "Video matting: an alpha matte for every frame from a few painted trimaps.",
        discussion: """
        Examples:
          vmatte clip.mp4 --trimaps keys/ -o alpha.mov
          vmatte clip.mp4 --trimaps keys/ -o mattes/ --alpha-only
          vmatte shots clip.mp4 --trimaps keys/
          vmatte transcode clip.mp4 --alpha matte.mkv -o cut.mov
          vmatte clip.mp4 --trimaps keys/ -o alpha.mov --frames 0-47 --preview sheet.png

        Exit status: 0 done, 1 failed while running, 2 bad command line or input.
        """,
        version: "0.1.0",
        subcommands: [MatteCommand.self, ShotsCommand.self, TranscodeCommand.self, JoinCommand.self, BenchCommand.self, EvalCommand.self, PreviewCommand.self],
        defaultSubcommand: MatteCommand.self)

    /// Sets libav's logging and the thread count before any work.
    static func configureLibraries(options: RunOptions) {
        LibAV.configureLogging(verbose: options.verbose)
        DecodeOptions.autorotatesByDefault = !options.noAutorotate
        if options.threads > 0 { BLASRuntime.setThreadCount(options.threads) }
    }

    /// Parses and runs, mapping failures to vmatte's exit codes: 2 for usage and bad input, 1 otherwise.
    static func main() {
        BLASStartup.prepare()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as VMatteError {
            printError("vmatte: \(error.message)")
            Foundation.exit(error.exitCode)
        } catch {
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            printError(fullMessage(for: error))
            // Anything the parser rejects is a usage error.
            Foundation.exit(2)
        }
    }
}
