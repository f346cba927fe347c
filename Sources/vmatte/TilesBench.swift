import ArgumentParser
import Bench
import Engine

/// `vmatte bench tiles`: tiled against whole-frame mattes per tile setting (see `TilesBenchmark`).
struct TilesBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tiles", abstract: "Tiled vs whole-frame matting: SAD between them and time, per tile setting.")

    @Option(help: "Weights file (safetensors).")
    var model: String

    @Option(help: "A folder with image/, trimap1/ (and trimap2/) of same-named PNGs, e.g. the alphamatting set.")
    var images: String

    @Option(help: "Tile settings as SIZE:HALO (repeatable).")
    var tile: [String] = ["128:32", "192:64", "256:64", "256:96", "320:96"]

    func run() throws {
        let network = try MattingNetwork(path: model)
        let settings = try tile.map { text -> TileSettings in
            let parts = text.split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2, parts[0] >= 32, parts[1] >= 0 else { throw ValidationError("tile settings are SIZE:HALO, not '\(text)'") }
            return TileSettings(size: parts[0], halo: parts[1], wholeFrameWhenCheaper: false)
        }
        try TilesBenchmark(network: network, settings: settings).run(folder: images, report: BenchReport.print)
    }
}
