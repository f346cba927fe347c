import Decode
import Encode
import Foundation
import MatteCore
import Testing

/// Damaged movies: each decodes to valid pixels or is refused naming the file, never a crash or a hang.
@Suite struct DamagedInputTests {
    /// A small valid H.264 clip written with vmatte's own encoder.
    static func smallClip(in folder: String) throws -> String {
        let path = folder + "/small.mp4"
        let sink = try OutputWriter.open(plan: try OutputPlan.choose(for: path, content: .composite), path: path, overwrite: true,
                                         inputs: [], format: VideoFormat(width: 64, height: 48, frameRate: Rational(25, 1), timeBase: Rational(1, 25)))
        for index in 0..<12 {
            var rgb = ImageTensor(width: 64, height: 48, channels: 3)
            for i in rgb.pixels.indices { rgb.pixels[i] = Float((i * 7 + index * 13) % 101) / 100 }
            try sink.write(OutputFrame(rgb: rgb, alpha: nil, index: index, pts: Int64(index), timeBase: Rational(1, 25)))
        }
        try sink.finish()
        return path
    }

    @Test func mutatedMP4sDecodeOrFailCleanly() throws {
        let folder = DecodeTestFiles.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let original = try Data(contentsOf: URL(fileURLWithPath: try Self.smallClip(in: folder)))
        var seed: UInt64 = 7
        func next() -> UInt64 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return seed >> 17
        }
        var decoded = 0, refused = 0
        let mutations = 300
        let started = Date()
        for trial in 0..<mutations {
            var bytes = [UInt8](original)
            for _ in 0..<(1 + Int(next() % 8)) {
                let position = Int(next() % UInt64(bytes.count))
                switch next() % 3 {
                case 0: bytes[position] = UInt8(truncatingIfNeeded: next())
                case 1: bytes[position] ^= 0xff
                default: bytes.removeSubrange(position..<min(bytes.count, position + Int(next() % 64)))
                }
            }
            let path = folder + "/m\(trial).mp4"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let source = try MediaInput.open(path)
                var frame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
                var frames = 0
                while try source.read(into: &frame) {
                    frames += 1
                    #expect(frame.image.pixels.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
                    if frames > 1000 { break }
                }
                decoded += 1
            } catch let error as VMatteError {
                #expect(error.message.contains("m\(trial).mp4"), "\(error.message)")
                refused += 1
            }
            try? FileManager.default.removeItem(atPath: path)
        }
        print("mutated mp4s: \(mutations) tried, \(decoded) decoded, \(refused) refused with a message, \(Date().timeIntervalSince(started)) s")
        #expect(decoded + refused == mutations)
        #expect(refused > 0)
    }
}
