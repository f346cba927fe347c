import Encode
import Foundation
import MatteCore
import Metrics
import Testing
import Trimaps

@Suite struct FrameRangeTests {
    @Test func parsesTheThreeForms() {
        #expect(FrameRange(parsing: "10-20") == FrameRange(first: 10, last: 20))
        #expect(FrameRange(parsing: "7-") == FrameRange(first: 7, last: nil))
        #expect(FrameRange(parsing: "42") == FrameRange(first: 42, last: 42))
        #expect(FrameRange(parsing: "20-10") == nil)
        #expect(FrameRange(parsing: "-3") == nil)
        #expect(FrameRange(parsing: "a-b") == nil)
    }

    @Test func knowsWhatItContains() {
        let range = FrameRange(first: 2, last: 4)
        #expect(!range.contains(1) && range.contains(2) && range.contains(4) && !range.contains(5))
        #expect(range.isPast(5) && !range.isPast(4))
        #expect(!FrameRange(first: 3, last: nil).isPast(1_000_000))
    }
}

@Suite struct OutputPlanTests {
    @Test func extensionChoosesTheCodec() throws {
        #expect(try OutputPlan.choose(for: "a.mov", content: nil).codec == "prores_ks")
        #expect(try OutputPlan.choose(for: "a.mov", content: nil).pixelFormat == "yuva444p10le")
        #expect(try OutputPlan.choose(for: "a.mov", content: .alphaOnly).pixelFormat == "yuv444p10le")
        #expect(try OutputPlan.choose(for: "a.webm", content: nil).pixelFormat == "yuva420p")
        #expect(try OutputPlan.choose(for: "a.mp4", content: nil).content == .composite)
        #expect(try OutputPlan.choose(for: "frames/%06d.png", content: .alphaOnly, sixteenBit: true).pixelFormat == "gray16be")
        #expect(try OutputPlan.choose(for: "frames/", content: nil).kind == .pngSequence(folder: "frames", pattern: "%06d.png"))
        #expect(try OutputPlan.choose(for: ".build-x/out.v2/mattes", content: nil).kind == .pngSequence(folder: ".build-x/out.v2/mattes", pattern: "%06d.png"))
    }

    @Test func refusesWhatCannotWork() {
        #expect(throws: VMatteError.self) { try OutputPlan.choose(for: "a.mp4", content: .cutout) }
        #expect(throws: VMatteError.self) { try OutputPlan.choose(for: "a.avi", content: nil) }
        #expect(throws: VMatteError.self) { try OutputPlan.choose(for: "frame.png", content: nil) }
    }
}

@Suite struct AtomicOutputTests {
    @Test func writesUnderATemporaryNameAndRenames() throws {
        let folder = NSTemporaryDirectory() + "vmatte-atomic-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = try AtomicOutput(finalPath: folder + "/out.mov", isFolder: false, overwrite: false, inputs: [])
        #expect(FileManager.default.fileExists(atPath: output.temporaryPath))
        #expect(!FileManager.default.fileExists(atPath: folder + "/out.mov"))
        try "done".write(toFile: output.temporaryPath, atomically: false, encoding: .utf8)
        try output.commit()
        #expect(try String(contentsOfFile: folder + "/out.mov", encoding: .utf8) == "done")
        #expect(!FileManager.default.fileExists(atPath: output.temporaryPath))
        // Existing output: refused without --overwrite; discarded partial leaves the old file.
        #expect(throws: VMatteError.self) { try AtomicOutput(finalPath: folder + "/out.mov", isFolder: false, overwrite: false, inputs: []) }
        let again = try AtomicOutput(finalPath: folder + "/out.mov", isFolder: false, overwrite: true, inputs: [])
        again.discard()
        #expect(try String(contentsOfFile: folder + "/out.mov", encoding: .utf8) == "done")
        // The input itself, even by another spelling, is never an output.
        #expect(throws: VMatteError.self) {
            try AtomicOutput(finalPath: folder + "/./out.mov", isFolder: false, overwrite: true, inputs: [folder + "/out.mov"])
        }
    }
}

@Suite struct TrimapKeyTests {
    @Test func findsFrameNumbersInNames() throws {
        let folder = NSTemporaryDirectory() + "vmatte-keys-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for name in ["000120.png", "frame_7.png", "key-30.png", "notes.txt"] {
            _ = FileManager.default.createFile(atPath: folder + "/" + name, contents: Data([1]))
        }
        let keys = try TrimapKeys.discover(in: folder)
        #expect(keys.map(\.frameIndex) == [7, 30, 120])
        _ = FileManager.default.createFile(atPath: folder + "/shot-030.png", contents: Data([1]))
        #expect(throws: VMatteError.self) { try TrimapKeys.discover(in: folder) }
    }
}

@Suite struct ImageErrorTests {
    @Test func measuresKnownDifferences() {
        let a = ImageTensor(width: 4, height: 2, channels: 1, fill: 0.5)
        var b = a
        #expect(ImageErrors.sad(a, b) == 0 && ImageErrors.psnr(a, b) == .infinity)
        b.pixels[3] = 0.75
        #expect(abs(ImageErrors.sad(a, b) - 0.25) < 1e-9)
        #expect(abs(ImageErrors.mse(a, b) - 0.0625 / 8) < 1e-12)
        #expect(abs(ImageErrors.psnr(a, b) - 10 * log10(8 / 0.0625)) < 1e-9)
    }
}
