import Decode
import Foundation
import MatteCore
import Testing

/// A run killed mid-way and continued with --resume gives the same frames as a run that was
/// never interrupted.
@Suite struct ResumeTests {
    let root = VMatteProcess.repositoryRoot
    var model: String { root + "/Tests/EngineTests/Golden/golden_weights.safetensors" }

    func expectSameFrames(_ a: String, _ b: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: a).sorted()
        #expect(names == (try FileManager.default.contentsOfDirectory(atPath: b).sorted()), sourceLocation: sourceLocation)
        for name in names {
            #expect(try readImage(a + "/" + name, planes: .matte) == (try readImage(b + "/" + name, planes: .matte)),
                    "frame \(name)", sourceLocation: sourceLocation)
        }
    }

    @Test func killedMattingResumesToTheSameFrames() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let job = [root + "/Samples/clip.mp4", "--trimaps", root + "/Samples/trimaps", "--model", model, "--frames", "0-19",
                   "--alpha-only", "--threads", "1", "-q"]
        let reference = try VMatteProcess.run(job + ["-o", folder + "/reference"])
        #expect(reference.status == 0, "stderr: \(reference.stderr)")

        // Killed once a few frames are on disk, whatever the machine's speed.
        let partial = folder + "/.mattes.vmatte-partial"
        func written() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: partial).filter { $0.hasSuffix(".png") }.count) ?? 0 }
        let killed = try VMatteProcess.run(job + ["-o", folder + "/mattes"], signalWhen: { written() >= 3 })
        #expect(killed.status != 0)
        #expect(!FileManager.default.fileExists(atPath: folder + "/mattes"))
        let kept = written()
        #expect(kept >= 3 && kept < 20)
        print("resume: the killed run had written \(kept) of 20 frames")

        let again = try VMatteProcess.run(job + ["-o", folder + "/mattes"])
        #expect(again.status == 2 && again.stderr.contains("--resume"), "a leftover partial output needs --resume")
        let resumed = try VMatteProcess.run(job + ["-o", folder + "/mattes", "--resume"])
        #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: partial))
        try expectSameFrames(folder + "/mattes", folder + "/reference")
        #expect(!FileManager.default.fileExists(atPath: folder + "/mattes/.vmatte-journal.json"))
    }

    @Test func ctrlCKeepsFramesAndSaysHowToResume() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let job = ["transcode", root + "/Samples/clip.mp4", "--alpha", root + "/Samples/gt-alpha.mkv", "--alpha-only", "--threads", "1",
                   "-o", folder + "/mattes"]
        let partial = folder + "/.mattes.vmatte-partial"
        let interrupted = try VMatteProcess.run(job, signalWhen: {
            ((try? FileManager.default.contentsOfDirectory(atPath: partial).count) ?? 0) >= 5
        }, signal: SIGINT)
        #expect(interrupted.status == 1 && interrupted.stderr.contains("--resume"), "stderr: \(interrupted.stderr)")
        let resumed = try VMatteProcess.run(job + ["--resume", "-q"])
        #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/mattes").count == 100)
        // Another job may not continue this one's partial output.
        _ = try VMatteProcess.run(job.map { $0 == "--alpha-only" ? "--sixteen-bit" : $0 } + ["-o", folder + "/other"], signalWhen: {
            ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/.other.vmatte-partial").count) ?? 0) >= 5
        }, signal: SIGINT)
        let mismatched = try VMatteProcess.run(["transcode", root + "/Samples/clip.mp4", "--frames", "0-3", "-o", folder + "/other", "--resume"])
        #expect(mismatched.status == 2 && mismatched.stderr.contains("another job"), "stderr: \(mismatched.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder + "/.other.vmatte-partial/.vmatte-journal.json"), "the other job's frames stay")
    }
}
