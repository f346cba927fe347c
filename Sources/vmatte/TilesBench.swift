import ArgumentParser
import Decode
import Engine
import Foundation
import MatteCore
import Metrics

/// Compares tiled with whole-frame mattes on real images and trimaps, to choose tile
/// defaults where the difference is negligible.
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
        let whole = MattingEngine(network: network, tiles: nil)
        let settings = try tile.map { text -> TileSettings in
            let parts = text.split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2, parts[0] >= 32, parts[1] >= 0 else { throw ValidationError("tile settings are SIZE:HALO, not '\(text)'") }
            return TileSettings(size: parts[0], halo: parts[1], wholeFrameWhenCheaper: false)
        }
        let engines = settings.map { MattingEngine(network: network, tiles: $0) }
        let names = try ImageFolderSource.listImages(in: images + "/image").map { ($0 as NSString).lastPathComponent }
        var totals = [Double](repeating: 0, count: settings.count)
        var times = [Double](repeating: 0, count: settings.count)
        var wholeTime = 0.0
        for name in names {
            let rgb = try readImage(images + "/image/" + name)
            for trimapFolder in ["trimap1", "trimap2"] where FileManager.default.fileExists(atPath: "\(images)/\(trimapFolder)/\(name)") {
                let trimap = try readImage("\(images)/\(trimapFolder)/\(name)", planes: .grey)
                var start = Date()
                let reference = try whole.matte(rgb: rgb, trimap: trimap)
                wholeTime += Date().timeIntervalSince(start)
                var row: [String: Any] = ["image": name, "trimap": trimapFolder]
                for (index, engine) in engines.enumerated() {
                    start = Date()
                    let tiled = try engine.matte(rgb: rgb, trimap: trimap)
                    times[index] += Date().timeIntervalSince(start)
                    let sad = ImageErrors.sad(tiled, reference) / 1000
                    totals[index] += sad
                    row["\(settings[index].size):\(settings[index].halo)"] = sad
                }
                print(String(decoding: try JSONSerialization.data(withJSONObject: row, options: [.sortedKeys]), as: UTF8.self))
            }
        }
        var summary: [String: Any] = ["wholeFrameSeconds": wholeTime, "images": names.count]
        for (index, setting) in settings.enumerated() {
            summary["\(setting.size):\(setting.halo)"] = ["totalSADvsWhole": totals[index], "seconds": times[index]]
        }
        print(String(decoding: try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]), as: UTF8.self))
    }
}
