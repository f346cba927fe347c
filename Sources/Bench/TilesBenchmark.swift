import Decode
import Engine
import Foundation
import MatteCore
import Metrics

/// Compares tiled with whole-frame mattes on real images and trimaps, to choose tile
/// defaults where the difference is negligible.
public struct TilesBenchmark {
    public let network: MattingNetwork
    public let settings: [TileSettings]

    public init(network: MattingNetwork, settings: [TileSettings]) {
        self.network = network
        self.settings = settings
    }

    /// Mattes every image of `folder`/image with each trimap of `folder`/trimap1 and /trimap2 of
    /// its name, whole and with each setting; `report` is given a row per image and trimap
    /// (SAD of each setting against the whole-frame matte, /1000), then the totals.
    public func run(folder: String, report: ([String: Any]) throws -> Void) throws {
        let whole = MattingEngine(network: network, tiles: nil)
        let engines = settings.map { MattingEngine(network: network, tiles: $0) }
        let names = try ImageFolderSource.listImages(in: folder + "/image").map { ($0 as NSString).lastPathComponent }
        var totals = [Double](repeating: 0, count: settings.count)
        var times = [Double](repeating: 0, count: settings.count)
        var wholeTime = 0.0
        for name in names {
            let rgb = try readImage(folder + "/image/" + name)
            for trimapFolder in ["trimap1", "trimap2"] where FileManager.default.fileExists(atPath: "\(folder)/\(trimapFolder)/\(name)") {
                let trimap = try readImage("\(folder)/\(trimapFolder)/\(name)", planes: .grey)
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
                try report(row)
            }
        }
        var summary: [String: Any] = ["wholeFrameSeconds": wholeTime, "images": names.count]
        for (index, setting) in settings.enumerated() {
            summary["\(setting.size):\(setting.halo)"] = ["totalSADvsWhole": totals[index], "seconds": times[index]]
        }
        try report(summary)
    }
}
