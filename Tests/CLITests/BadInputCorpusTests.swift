import Decode
import Encode
import Foundation
import MatteCore
import Testing

/// Inputs generated to be wrong in many ways: each gets a clear error (or, for harmless
/// damage, a result), never a crash or a hang, and nothing under the output name.
@Suite struct BadInputCorpusTests {
    let root = VMatteProcess.repositoryRoot

    @Test func randomBytesNamedAsVideos() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var seed: UInt64 = 42
        for (index, name) in ["a.mp4", "b.mov", "c.mkv", "d.webm", "e.mpg"].enumerated() {
            var bytes = [UInt8](repeating: 0, count: 2048 << index)
            for i in bytes.indices {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                bytes[i] = UInt8(truncatingIfNeeded: seed >> 33)
            }
            try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + name))
            let result = try VMatteProcess.run(["transcode", folder + "/" + name, "-o", folder + "/out-\(index).mov"], timeout: 60)
            #expect(result.status == 2, "\(name): \(result.stderr)")
            #expect(result.stderr.contains(name) && !result.stderr.contains("Fatal error"))
            #expect(!FileManager.default.fileExists(atPath: folder + "/out-\(index).mov"))
        }
    }

    @Test(.enabled(if: VMatteProcess.ffmpeg != nil, VMatteProcess.noFFmpegReason))
    func audioOnlyFile() throws {
        let ffmpeg = try #require(VMatteProcess.ffmpeg)
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let extract = Process()
        extract.executableURL = URL(fileURLWithPath: ffmpeg)
        extract.arguments = ["-v", "error", "-i", root + "/Samples/clip.mp4", "-vn", "-c:a", "copy", folder + "/sound.m4a"]
        try extract.run()
        extract.waitUntilExit()
        let result = try VMatteProcess.run(["transcode", folder + "/sound.m4a", "-o", folder + "/out.mov"])
        #expect(result.status == 2 && result.stderr.contains("sound.m4a") && result.stderr.contains("no video stream"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/out.mov"))
    }

    /// Hundreds of seeded byte mutations of a valid clip, decoded in this process: each either
    /// decodes or fails with a VMatteError; a crash would end the test run.
    @Test func sixteenBitTrimapsAreRead() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let key = try readImage(root + "/Samples/trimaps/000000.png", planes: .grey)
        let pattern = folder + "/keys/%06d.png"
        try FileManager.default.createDirectory(atPath: folder + "/keys", withIntermediateDirectories: true)
        let sink = try OutputWriter.open(plan: try OutputPlan.choose(for: pattern, content: .alphaOnly, sixteenBit: true), path: pattern,
                                         overwrite: true, inputs: [], format: VideoFormat(width: key.width, height: key.height,
                                         frameRate: Rational(25, 1), timeBase: Rational(1, 25)))
        try sink.write(OutputFrame(rgb: nil, alpha: key, index: 0, pts: 0, timeBase: Rational(1, 25)))
        try sink.finish()
        let model = root + "/Tests/EngineTests/Golden/golden_weights.safetensors"
        let result = try VMatteProcess.run([root + "/Samples/clip.mp4", "--trimaps", folder + "/keys", "--model", model, "--frames", "0",
                                            "--alpha-only", "-o", folder + "/m", "-q"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        // 128/255 in 16 bits is 32896/65535, not an exact 8-bit grey: no snapping reported.
        #expect(!result.stderr.contains("snapped"))
    }

    /// A full disk: a 1 MiB tmpfs (needs root and mount; skipped where unavailable).
    @Test func fullOutputDisk() throws {
        let mountPoint = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: mountPoint) }
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint]
        mount.standardError = FileHandle.nullDevice
        guard (try? mount.run()) != nil else { print("skipped: cannot run mount"); return }
        mount.waitUntilExit()
        guard mount.terminationStatus == 0 else { print("skipped: cannot mount a tmpfs here (needs root)"); return }
        defer {
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = [mountPoint]
            try? umount.run()
            umount.waitUntilExit()
        }
        let result = try VMatteProcess.run(["transcode", root + "/Samples/clip.mp4", "-o", mountPoint + "/cut.mov"])
        #expect(result.status == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("No space left on device"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: mountPoint).isEmpty, "partial output left behind")
    }
}
