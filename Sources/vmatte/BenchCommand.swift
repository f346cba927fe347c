import ArgumentParser

/// `vmatte bench`: measurements, never tests. Each subcommand prints one JSON line.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure vmatte's stages on this machine.",
        subcommands: [DecodeBench.self, EngineBench.self, TilesBench.self, ComposeBench.self, ClosedFormBench.self])
}
