import Compose
import Decode
import Encode
import Foundation
import MatteCore
import Testing

/// Every kind of background reaches the frame's size, videos loop or hold, bad ones are named.
@Suite struct BackgroundSourceTests {
    static func folder() -> String {
        let path = NSTemporaryDirectory() + "vmatte-compose-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes frames of solid grey levels `levels` (one per frame) with the plan `path` calls for.
    static func write(_ path: String, levels: [Float], width: Int, height: Int) throws {
        let plan = try OutputPlan.choose(for: path, content: .composite)
        let sink = try OutputWriter.open(plan: plan, path: path, overwrite: true, inputs: [], format: VideoFormat(width: width, height: height,
                                         frameRate: Rational(25, 1), timeBase: Rational(1, 25)))
        for (index, level) in levels.enumerated() {
            let rgb = ImageTensor(width: width, height: height, channels: 3, fill: level)
            try sink.write(OutputFrame(rgb: rgb, alpha: nil, index: index, pts: Int64(index), timeBase: Rational(1, 25)))
        }
        try sink.finish()
    }

    @Test func coloursFillTheFrame() throws {
        let source = try BackgroundSource("#0f0", width: 8, height: 6)
        let frame = try source.frame(for: 3)
        #expect(frame.width == 8 && frame.height == 6 && frame.channels == 3)
        #expect(frame.plane(1).pixels.allSatisfy { $0 == 1 } && frame.plane(0).pixels.allSatisfy { $0 == 0 })
        #expect(try BackgroundSource("white", width: 2, height: 2).frame(for: 0).pixels.allSatisfy { $0 == 1 })
    }

    @Test func imagesOfAnotherSizeAreScaled() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.write(folder + "/bg%06d.png", levels: [0.6], width: 60, height: 30)
        for fit in BackgroundFit.allCases {
            let frame = try BackgroundSource(folder + "/bg000000.png", width: 48, height: 48, fit: fit).frame(for: 7)
            #expect(frame.width == 48 && frame.height == 48)
            let middle = frame[1, 24, 24], corner = frame[1, 0, 0]
            #expect(abs(middle - 0.6) < 0.01)
            #expect(fit == .fit ? corner == 0 : abs(corner - 0.6) < 0.01)
        }
    }

    @Test func shorterVideosLoopOrHold() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let levels: [Float] = [0.2, 0.5, 0.8]
        try Self.write(folder + "/bg.mkv", levels: levels, width: 16, height: 8)
        func sequence(_ end: BackgroundEnd, _ indices: [Int]) throws -> [Float] {
            let source = try BackgroundSource(folder + "/bg.mkv", width: 32, height: 16, end: end)
            return try indices.map { (try source.frame(for: $0)[0, 8, 16] * 10).rounded() / 10 }
        }
        #expect(try sequence(.loop, Array(0..<8)) == [0.2, 0.5, 0.8, 0.2, 0.5, 0.8, 0.2, 0.5])
        #expect(try sequence(.hold, Array(0..<6)) == [0.2, 0.5, 0.8, 0.8, 0.8, 0.8])
        // A clip matted from frame 4 on starts where the background's frame 4 is.
        #expect(try sequence(.loop, [4, 5, 6]) == [0.5, 0.8, 0.2])
    }

    @Test func missingAndUndecodableBackgroundsAreBadInputNamingTheFile() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for path in [folder + "/none.png", folder + "/text.mp4", folder + "/text.png"] {
            if !path.contains("none") { try "not a picture".write(toFile: path, atomically: true, encoding: .utf8) }
            do {
                let source = try BackgroundSource(path, width: 8, height: 8)
                _ = try source.frame(for: 0)
                Issue.record("\(path) was accepted")
            } catch let error as VMatteError {
                #expect(error.kind == .badInput && error.message.contains(path), "\(error.message)")
            }
        }
        #expect(throws: VMatteError.self) { try BackgroundSource("#12345", width: 8, height: 8) }
    }
}
