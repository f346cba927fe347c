import Decode
import Encode
import Foundation
import MatteCore

/// Synthetic clips with known content, written with vmatte's own writers, for round trips.
enum TestMedia {
    static func temporaryFolder(_ name: String = #function) -> String {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let path = NSTemporaryDirectory() + "vmatte-tests-\(safe)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Frame `index` of a moving soft disc over colour gradients with a little seeded noise.
    static func frame(_ index: Int, width: Int = 96, height: Int = 64) -> (rgb: ImageTensor, alpha: ImageTensor) {
        var rgb = ImageTensor(width: width, height: height, channels: 3)
        var alpha = ImageTensor(width: width, height: height, channels: 1)
        var seed = UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15
        let cx = Double(width) * (0.3 + 0.02 * Double(index)), cy = Double(height) / 2, radius = Double(height) / 3
        for y in 0..<height {
            for x in 0..<width {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                let noise = Float(seed >> 40) / Float(1 << 24) * 0.04 - 0.02
                rgb[0, y, x] = min(1, max(0, Float(x) / Float(width) + noise))
                rgb[1, y, x] = min(1, max(0, Float(y) / Float(height) - noise))
                rgb[2, y, x] = min(1, max(0, 0.5 + 0.4 * Float(sin(Double(x + y + index) / 7)) + noise))
                let distance = ((Double(x) - cx) * (Double(x) - cx) + (Double(y) - cy) * (Double(y) - cy)).squareRoot()
                alpha[0, y, x] = Float(min(1, max(0, (radius - distance) / 6 + 0.5)))
            }
        }
        return (rgb, alpha)
    }

    /// Writes `count` synthetic frames at 25 fps with `plan`; returns the frames written.
    @discardableResult
    static func writeClip(_ path: String, plan: OutputPlan, count: Int, width: Int = 96, height: Int = 64) throws -> [OutputFrame] {
        let timeBase = Rational(1, 25)
        let sink = try OutputWriter.open(plan: plan, path: path, overwrite: true, inputs: [], format: VideoFormat(width: width, height: height,
                                         frameRate: Rational(25, 1), timeBase: timeBase))
        var frames: [OutputFrame] = []
        for index in 0..<count {
            let (rgb, alpha) = frame(index, width: width, height: height)
            let output = OutputFrame(rgb: rgb, alpha: alpha, index: index, pts: Int64(index), timeBase: timeBase)
            try sink.write(output)
            frames.append(output)
        }
        try sink.finish()
        return frames
    }

    /// Every frame of `path`, decoded as `planes`.
    static func decodeAll(_ path: String, planes: DecodedPlanes = .rgb) throws -> [VideoFrame] {
        let source = try MediaInput.open(path, options: DecodeOptions(planes: planes))
        var frames: [VideoFrame] = []
        var frame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
        while try source.read(into: &frame) { frames.append(frame) }
        return frames
    }
}
