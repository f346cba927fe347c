import Encode
import Foundation
import MatteCore
import Testing

/// Bad input answers with a clear message and exit code, writes nothing under the output
/// name, and leaves the input alone.
@Suite struct BadInputTests {
    let sample = VMatteProcess.repositoryRoot + "/Samples/clip.mp4"

    @discardableResult
    func expectRefused(_ arguments: [String], status: Int32, mentions: [String], output: String,
                       sourceLocation: SourceLocation = #_sourceLocation) throws -> VMatteProcess.Result {
        let result = try VMatteProcess.run(arguments)
        #expect(result.status == status, "exit status, stderr: \(result.stderr)", sourceLocation: sourceLocation)
        for text in mentions {
            #expect(result.stderr.contains(text), "stderr should mention '\(text)': \(result.stderr)", sourceLocation: sourceLocation)
        }
        #expect(!result.stderr.contains("Fatal error"), sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: output), "nothing under the output name", sourceLocation: sourceLocation)
        let folder = (output as NSString).deletingLastPathComponent
        let leftovers = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.contains("vmatte-partial") }
        #expect(leftovers.isEmpty, "partial files left: \(leftovers)", sourceLocation: sourceLocation)
        return result
    }

    @Test func missingFile() throws {
        let folder = VMatteProcess.temporaryFolder()
        try expectRefused(["transcode", folder + "/nope.mp4", "-o", folder + "/out.mov"], status: 2,
                          mentions: ["nope.mp4", "does not exist"], output: folder + "/out.mov")
    }

    @Test func zeroByteFile() throws {
        let folder = VMatteProcess.temporaryFolder()
        _ = FileManager.default.createFile(atPath: folder + "/empty.mp4", contents: Data())
        try expectRefused(["transcode", folder + "/empty.mp4", "-o", folder + "/out.mov"], status: 2,
                          mentions: ["empty.mp4", "empty"], output: folder + "/out.mov")
    }

    @Test func textFileNamedMP4() throws {
        let folder = VMatteProcess.temporaryFolder()
        try "this is not a video\n".write(toFile: folder + "/notes.mp4", atomically: true, encoding: .utf8)
        try expectRefused(["transcode", folder + "/notes.mp4", "-o", folder + "/out.mov"], status: 2,
                          mentions: ["notes.mp4", "cannot open"], output: folder + "/out.mov")
    }

    @Test func truncatedMP4() throws {
        let folder = VMatteProcess.temporaryFolder()
        let data = try Data(contentsOf: URL(fileURLWithPath: sample))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: folder + "/half.mp4"))
        try expectRefused(["transcode", folder + "/half.mp4", "-o", folder + "/out.mov"], status: 2,
                          mentions: ["half.mp4", "truncated"], output: folder + "/out.mov")
    }

    @Test(arguments: ["0", "1", "-1e-4", "nan"])
    func closedFormToleranceOutsideZeroToOne(value: String) throws {
        let folder = VMatteProcess.temporaryFolder()
        try expectRefused([sample, "--trimaps", VMatteProcess.repositoryRoot + "/Samples/trimaps", "--method", "closed-form",
                           "--closed-form-tolerance", value, "-o", folder + "/out.mov"], status: 2,
                          mentions: ["--closed-form-tolerance"], output: folder + "/out.mov")
    }

    @Test func outputFolderMissingOrUnwritable() throws {
        let folder = VMatteProcess.temporaryFolder()
        try expectRefused(["transcode", sample, "-o", folder + "/no/such/folder/out.mov"], status: 2,
                          mentions: ["does not exist"], output: folder + "/no/such/folder/out.mov")
        // /proc refuses new files even to root, so this holds in CI as well.
        try expectRefused(["transcode", sample, "-o", "/proc/self/out.mov"], status: 2,
                          mentions: ["cannot write into the folder '/proc/self'"], output: "/proc/self/out.mov")
    }

    @Test func outputEqualToInput() throws {
        let folder = VMatteProcess.temporaryFolder()
        let copy = folder + "/clip.mp4"
        try FileManager.default.copyItem(atPath: sample, toPath: copy)
        let before = try Data(contentsOf: URL(fileURLWithPath: copy))
        let result = try VMatteProcess.run(["transcode", copy, "-o", folder + "/../" + (folder as NSString).lastPathComponent + "/clip.mp4", "--overwrite"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("is the input"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == before)
    }

    @Test func unknownOutputTypeAndBadOptions() throws {
        let folder = VMatteProcess.temporaryFolder()
        try expectRefused(["transcode", sample, "-o", folder + "/out.avi"], status: 2, mentions: ["unknown output type"], output: folder + "/out.avi")
        try expectRefused(["transcode", sample, "-o", folder + "/out.mov", "--frames", "9-3"], status: 2, mentions: ["--frames"], output: folder + "/out.mov")
        try expectRefused(["transcode", sample, "-o", folder + "/out.mov", "--frames", "500-600"], status: 2, mentions: ["no frame in the range"], output: folder + "/out.mov")
        try expectRefused(["transcode", sample, "-o", folder + "/out.mov", "--no-such-option"], status: 2, mentions: ["--no-such-option"], output: folder + "/out.mov")
    }

    @Test func matteRefusesABadOutputBeforeReadingTheClip() throws {
        let folder = VMatteProcess.temporaryFolder()
        let keys = VMatteProcess.repositoryRoot + "/Samples/trimaps"
        _ = FileManager.default.createFile(atPath: folder + "/taken.mov", contents: Data("kept".utf8))
        let refusals = [(folder + "/out.avi", "unknown output type"), (folder + "/no/such/out.mov", "does not exist"),
                        (folder + "/alpha.mp4", "cannot carry alpha")]
        for (output, mention) in refusals {
            let result = try expectRefused([sample, "--trimaps", keys, "-o", output], status: 2, mentions: [mention], output: output)
            #expect(!result.stderr.contains("shots:"), "refused before the clip was read for shots: \(result.stderr)")
        }
        let taken = try VMatteProcess.run([sample, "--trimaps", keys, "-o", folder + "/taken.mov"])
        #expect(taken.status == 2 && taken.stderr.contains("exists") && !taken.stderr.contains("shots:"), "\(taken.stderr)")
        #expect(try String(contentsOfFile: folder + "/taken.mov", encoding: .utf8) == "kept")
    }

    @Test func matteRefusesABadPreviewOrTrimapExportBeforeReadingTheClip() throws {
        let folder = VMatteProcess.temporaryFolder()
        let keys = VMatteProcess.repositoryRoot + "/Samples/trimaps"
        _ = FileManager.default.createFile(atPath: folder + "/taken.png", contents: Data("kept".utf8))
        let output = folder + "/out.mov"
        let refusals = [(["--preview", folder + "/sheet.jpg"], "ending in .png"),
                        (["--preview", folder + "/no/such/sheet.png"], "does not exist"),
                        (["--preview", folder + "/taken.png"], "exists"),
                        (["--export-trimaps", folder + "/no/such/"], "does not exist"),
                        (["--export-trimaps", output], "is the input")]
        for (options, mention) in refusals {
            let result = try expectRefused([sample, "--trimaps", keys, "-o", output] + options, status: 2, mentions: [mention], output: output)
            #expect(!result.stderr.contains("shots:"), "\(options) refused before the clip was read for shots: \(result.stderr)")
        }
        #expect(try String(contentsOfFile: folder + "/taken.png", encoding: .utf8) == "kept")
    }

    @Test func trimapOfTheWrongSize() throws {
        let folder = VMatteProcess.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/keys", withIntermediateDirectories: true)
        // A valid 32x32 grey PNG, the wrong size for the 480x270 sample.
        let grey = ImageTensor(width: 32, height: 32, channels: 1, fill: 0.5)
        let sink = try OutputWriter.open(plan: try OutputPlan.choose(for: folder + "/keys/%06d.png", content: .alphaOnly),
                                         path: folder + "/keys/%06d.png", overwrite: true, inputs: [], format: VideoFormat(width: 32, height: 32,
                                         frameRate: Rational(25, 1), timeBase: Rational(1, 25)))
        try sink.write(OutputFrame(rgb: nil, alpha: grey, index: 0, pts: 0, timeBase: Rational(1, 25)))
        try sink.finish()
        try expectRefused([sample, "--trimaps", folder + "/keys", "-o", folder + "/out.mov"], status: 2,
                          mentions: ["000000.png", "32x32", "480x270"], output: folder + "/out.mov")
    }
}
