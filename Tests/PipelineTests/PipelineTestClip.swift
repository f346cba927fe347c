import Encode
import Foundation
import MatteCore

/// A small synthetic clip for running jobs on, and a folder to run them in.
struct PipelineTestClip {
    static let frameCount = 12, width = 32, height = 24
    let folder: String
    /// An FFV1 movie of `frameCount` frames at `frameRate`, each a different gradient.
    let path: String

    init(_ name: String = #function, frameRate: Int32 = 25) throws {
        folder = NSTemporaryDirectory() + "vmatte-pipeline-\(name.filter { $0.isLetter })-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        path = folder + "/clip.mkv"
        let format = VideoFormat(width: Self.width, height: Self.height, frameRate: Rational(frameRate, 1), timeBase: Rational(1, frameRate))
        let sink = try OutputWriter.open(plan: try OutputPlan.choose(for: path, content: .composite), path: path,
                                         overwrite: true, inputs: [], format: format)
        for index in 0..<Self.frameCount {
            var rgb = ImageTensor(width: Self.width, height: Self.height, channels: 3)
            for i in rgb.pixels.indices { rgb.pixels[i] = Float((i * 7 + index * 31) % 256) / 255 }
            try sink.write(OutputFrame(rgb: rgb, alpha: nil, index: index, pts: Int64(index), timeBase: format.timeBase))
        }
        try sink.finish()
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }
}
