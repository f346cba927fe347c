import Decode
import Foundation
import MatteCore
import Metrics
import Testing

/// `vmatte join` on chunks of the bundled sample, against a single run over all frames.
@Suite struct JoinCommandTests {
    /// Three ProRes chunks (frames 0-39, 40-69, 70-99), the single run `full.mov`, and an FFV1 `c2.mkv`.
    struct Chunks {
        let folder: String
        func path(_ name: String) -> String { folder + "/" + name }
    }

    /// Made once for the suite (the chunk encoder runs four times) and removed when the tests exit.
    static let made = Result<Chunks, any Error> {
        let root = VMatteProcess.repositoryRoot
        let folder = VMatteProcess.temporaryFolder()
        JoinChunkFolder.path = folder
        atexit { if let folder = JoinChunkFolder.path { try? FileManager.default.removeItem(atPath: folder) } }
        let runs: [(String?, String)] = [("0-39", "c1.mov"), ("40-69", "c2.mov"), ("70-99", "c3.mov"), (nil, "full.mov"), ("40-69", "c2.mkv")]
        for (frames, name) in runs {
            var arguments = ["transcode", root + "/Samples/clip.mp4", "--alpha", root + "/Samples/gt-alpha.mkv", "-o", folder + "/" + name, "--quiet"]
            if let frames { arguments += ["--frames", frames] }
            let result = try VMatteProcess.run(arguments)
            guard result.status == 0 else { throw VMatteError.runtime("making \(name) failed: \(result.stderr)") }
        }
        return Chunks(folder: folder)
    }

    @Test func joinedChunksDecodeToTheSingleRunFrames() throws {
        let chunks = try Self.made.get()
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = folder + "/joined.mov"
        let result = try VMatteProcess.run(["join", chunks.path("c1.mov"), chunks.path("c2.mov"), chunks.path("c3.mov"), "-o", output, "--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("joined 3 chunks, 100 frames"))
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(report?["frames"] as? Int == 100)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["joined.mov"])

        // ProRes from prores_ks is bit-identical run to run, so the frames must be too.
        for planes in [DecodedPlanes.rgb, .matte] {
            let joined = try DecodedMovie(output, planes: planes)
            let full = try DecodedMovie(chunks.path("full.mov"), planes: planes)
            #expect(joined.frames.count == 100)
            #expect(joined.frames.map(\.pts) == full.frames.map(\.pts))
            for (index, (a, b)) in zip(joined.frames, full.frames).enumerated() {
                #expect(ImageErrors.maxAbsolute(a.image, b.image) == 0, "\(planes) of frame \(index)")
            }
            // The single run also keeps the source's priming packet before 0 s; chunks start at 0 s.
            #expect(joined.audioPackets > 0 && joined.audio == full.audio,
                    "audio packets: joined \(joined.audioPackets), single run \(full.audioPackets)")
            #expect(report?["audioPackets"] as? Int == joined.audioPackets)
        }
    }

    /// Runs a join expected to fail with exit 2, and checks nothing was left under `output`'s folder.
    private func refusedJoin(_ inputs: [String], output name: String = "joined.mov", extra: [String] = []) throws -> String {
        let chunks = try Self.made.get()
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try VMatteProcess.run(["join"] + inputs.map(chunks.path) + ["-o", folder + "/" + name] + extra)
        #expect(result.status == 2, "stderr: \(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        return result.stderr
    }

    @Test func aMissingChunkIsAGapNamingThePair() throws {
        let message = try refusedJoin(["c1.mov", "c3.mov"])
        #expect(message.contains("c1.mov' and '") && message.contains("c3.mov' do not abut"), "\(message)")
        #expect(message.contains("a gap of 30 frames"), "\(message)")
    }

    @Test func chunksOutOfOrderAreRefused() throws {
        let message = try refusedJoin(["c2.mov", "c1.mov", "c3.mov"])
        #expect(message.contains("c2.mov' and '") && message.contains("c1.mov' are out of order"), "\(message)")
    }

    @Test func aChunkInAnotherFormatIsRefused() throws {
        let message = try refusedJoin(["c1.mov", "c2.mkv", "c3.mov"])
        #expect(message.contains("c2.mkv' does not match") && message.contains("ffv1") && message.contains("prores"), "\(message)")
    }

    @Test func oneChunkIsNotEnough() throws {
        let message = try refusedJoin(["c1.mov"])
        #expect(message.contains("at least two chunks"), "\(message)")
    }

    @Test func theOutputMustHaveTheChunksExtension() throws {
        let message = try refusedJoin(["c1.mov", "c2.mov"], output: "joined.mkv")
        #expect(message.contains("'.mov' files"), "\(message)")
    }

    @Test func theOutputIsNeverAnInput() throws {
        let chunks = try Self.made.get()
        let before = try FileManager.default.attributesOfItem(atPath: chunks.path("c2.mov"))[.size] as? Int
        let result = try VMatteProcess.run(["join", chunks.path("c1.mov"), chunks.path("c2.mov"), "-o", chunks.path("c2.mov"), "--overwrite"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("is the input"), "\(result.stderr)")
        #expect(try FileManager.default.attributesOfItem(atPath: chunks.path("c2.mov"))[.size] as? Int == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: chunks.folder).allSatisfy { !$0.hasPrefix(".") })
    }
}

/// The shared chunk folder, for the exit hook that removes it (a C callback captures nothing).
enum JoinChunkFolder {
    nonisolated(unsafe) static var path: String?
}
