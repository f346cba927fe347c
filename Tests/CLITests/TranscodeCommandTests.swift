import Decode
import Foundation
import MatteCore
import Metrics
import Testing

/// The I/O path end to end through the command line, on the bundled sample.
@Suite struct TranscodeCommandTests {
    let root = VMatteProcess.repositoryRoot

    @Test func attachesTheGroundTruthMatteAsProResAlpha() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = folder + "/cut.mov"
        let result = try VMatteProcess.run(["transcode", root + "/Samples/clip.mp4", "--alpha", root + "/Samples/gt-alpha.mkv",
                                            "-o", output, "--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(report?["frames"] as? Int == 100)
        #expect(report?["outputCodec"] as? String == "prores_ks")
        #expect(result.stderr.contains("100 frames"))

        let matte = try MovieDecoder(path: output, options: DecodeOptions(planes: .matte))
        let truth = try MovieDecoder(path: root + "/Samples/gt-alpha.mkv", options: DecodeOptions(planes: .matte))
        var a = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1)), b = a
        var frames = 0
        while try matte.read(into: &a) {
            #expect(try truth.read(into: &b))
            #expect(ImageErrors.maxAbsolute(a.image, b.image) <= 1.0 / 1023, "alpha of frame \(frames)")
            #expect(a.pts == b.pts || abs(a.seconds - b.seconds) < 1e-3)
            frames += 1
        }
        #expect(frames == 100)
    }

    @Test func writesARangeAsNumberedPNGMattes() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = folder + "/mattes"
        let result = try VMatteProcess.run(["transcode", root + "/Samples/clip.mp4", "--alpha", root + "/Samples/gt-alpha.mkv",
                                            "--alpha-only", "--frames", "10-19", "-o", output, "--quiet"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.isEmpty)
        let names = try FileManager.default.contentsOfDirectory(atPath: output).sorted()
        #expect(names == (10...19).map { String(format: "%06d.png", $0) })
        let first = try readImage(output + "/000010.png", planes: .matte)
        let truth = try MovieDecoder(path: root + "/Samples/gt-alpha.mkv", options: DecodeOptions(planes: .matte, frameRange: FrameRange(first: 10, last: 10)))
        var frame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
        #expect(try truth.read(into: &frame))
        #expect(ImageErrors.maxAbsolute(first, frame.image) <= 0.5 / 255 + 1e-6)
    }

    @Test func interruptLeavesNothingUnderTheOutputName() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = folder + "/cut.mov"
        let segments = folder + "/.cut.mov.vmatte-segments"
        // Interrupted once a segment is finished, whatever the machine's speed.
        let result = try VMatteProcess.run(["transcode", root + "/Samples/clip.mp4", "-o", output, "--threads", "1", "--segment-frames", "10"],
                                           signalWhen: { ((try? FileManager.default.contentsOfDirectory(atPath: segments)) ?? []).contains { $0.hasPrefix("frames-") } },
                                           signal: SIGINT)
        #expect(result.status == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("interrupted") && result.stderr.contains("--resume"))
        #expect(!FileManager.default.fileExists(atPath: output))
        // Only the segment folder stays, for --resume; no partial file beside the output.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [".cut.mov.vmatte-segments"])
    }

    @Test func helpReadsAndExitsZero() throws {
        let result = try VMatteProcess.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE") && result.stdout.contains("transcode"))
        let matteHelp = try VMatteProcess.run(["help", "matte"])
        #expect(matteHelp.stdout.contains("--trimaps") && matteHelp.stdout.contains("--alpha-only"))
    }

    @Test func matteNeedsTrimapsAndSaysWhatIsMissing() throws {
        let result = try VMatteProcess.run([root + "/Samples/clip.mp4", "-o", "/tmp/never.mov"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--trimaps"))
    }
}
