import Decode
import Foundation
import MatteCore
import Testing

/// The sound of a clip reaches the outputs as the commands write them: copied bit for bit,
/// cut to a chunk's frames, or re-encoded where the container cannot hold it.
@Suite struct AudioTests {
    let sample = VMatteProcess.repositoryRoot + "/Samples/clip.mp4"

    @Test func transcodeCopiesTheSampleAudioBitIdenticalIntoMOV() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try VMatteProcess.run(["transcode", sample, "-o", folder + "/cut.mov"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(!result.stderr.contains("audio:"), "no note on the audio: it is copied")
        let original = try AudioPackets.payloads(sample)
        #expect(!original.isEmpty)
        #expect(try AudioPackets.payloads(folder + "/cut.mov") == original)
        #expect(try DecodedMovie(folder + "/cut.mov", planes: .rgb).frames.count == 100)
    }

    @Test func aChunkCarriesTheSourcePacketsOfItsFrames() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try VMatteProcess.run(["transcode", sample, "-o", folder + "/chunk.mov", "--frames", "40-69"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let original = try AudioPackets.payloads(sample), chunk = try AudioPackets.payloads(folder + "/chunk.mov")
        // 30 frames at 25 fps are 1.2 s: some 56 AAC packets of 1024 samples at 48 kHz.
        try #require(chunk.count > 40 && chunk.count < original.count)
        let starts = 0...(original.count - chunk.count)
        #expect(starts.contains { Array(original[$0..<($0 + chunk.count)]) == chunk }, "the chunk's packets follow on in the source")
    }

    @Test func audioIsReencodedWhereTheContainerRefusesIt() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try VMatteProcess.run(["transcode", sample, "-o", folder + "/cut.webm"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("re-encoded to opus"))
        #expect(try AudioPackets.codecName(folder + "/cut.webm") == "opus")
        #expect(try AudioPackets.payloads(folder + "/cut.webm").count > 150)
    }
}
