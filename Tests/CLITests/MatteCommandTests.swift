import Decode
import Encode
import Foundation
import MatteCore
import Testing
import Trimaps

/// `vmatte INPUT --trimaps DIR -o OUT` end to end with a small model: every frame matted,
/// the keyframes' known regions exact.
@Suite struct MatteCommandTests {
    let root = VMatteProcess.repositoryRoot
    var model: String { root + "/Tests/EngineTests/Golden/golden_weights.safetensors" }

    @Test func mattesARangeIntoPNGMattesThatHonourTheKeys() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = folder + "/mattes"
        let result = try VMatteProcess.run([root + "/Samples/clip.mp4", "--trimaps", root + "/Samples/trimaps", "--model", model,
                                            "--frames", "48-51", "--alpha-only", "-o", output, "--json", "-q"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(report?["frames"] as? Int == 4)
        let stages = try #require(report?["stageSeconds"] as? [String: Double])
        let trimaps = try #require(stages["trimaps"]), process = try #require(stages["process"])
        #expect(trimaps > 0 && trimaps < process, "trimap propagation is part of the processing thread's time")
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).sorted() == (48...51).map { String(format: "%06d.png", $0) })
        let key = try readImage(root + "/Samples/trimaps/000050.png", planes: .grey)
        let matte = try readImage(output + "/000050.png", planes: .matte)
        var unknown = 0
        for i in key.pixels.indices {
            switch TrimapValue.snap(key.pixels[i]) {
            case TrimapValue.foreground: #expect(matte.pixels[i] == 1)
            case TrimapValue.background: #expect(matte.pixels[i] == 0)
            default: unknown += 1
            }
        }
        #expect(unknown > 1000)
    }

    /// Both convolution backends matte the same frames to within float rounding, and the
    /// report names the one that ran; an unknown backend is refused.
    @Test func bothBackendsGiveTheSameMattes() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var mattes: [String: ImageTensor] = [:]
        for backend in ["onednn", "openblas"] {
            let result = try VMatteProcess.run([root + "/Samples/clip.mp4", "--trimaps", root + "/Samples/trimaps", "--model", model, "--whole-frame",
                                                "--frames", "0-0", "--alpha-only", "--sixteen-bit", "--backend", backend, "-o", folder + "/" + backend, "--json", "-q"])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            #expect(report?["convolutionBackend"] as? String == backend)
            #expect((report?["notes"] as? [String])?.contains { $0.contains("oneDNN") } == false)
            mattes[backend] = try readImage(folder + "/" + backend + "/000000.png", planes: .matte)
        }
        let a = try #require(mattes["onednn"]), b = try #require(mattes["openblas"])
        let largest = zip(a.pixels, b.pixels).map { abs($0 - $1) }.max() ?? 1
        #expect(largest <= 2 / 65535, "largest |oneDNN − OpenBLAS| = \(largest)")
        let refused = try VMatteProcess.run([root + "/Samples/clip.mp4", "--trimaps", root + "/Samples/trimaps", "--backend", "cuda", "-o", folder + "/x.mov"])
        #expect(refused.status != 0 && refused.stderr.contains("backend"), "\(refused.stderr)")
    }

    @Test func refusesKeysBeyondTheClipAndMissingModels() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/keys", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: root + "/Samples/trimaps/000050.png", toPath: folder + "/keys/000500.png")
        let beyond = try VMatteProcess.run([root + "/Samples/clip.mp4", "--trimaps", folder + "/keys", "--model", model, "-o", folder + "/a.mov"])
        #expect(beyond.status == 2 && beyond.stderr.contains("frame 500") && beyond.stderr.contains("100 frames"))
        let noModel = try VMatteProcess.run([root + "/Samples/clip.mp4", "--trimaps", root + "/Samples/trimaps", "--model", folder + "/none.safetensors", "-o", folder + "/a.mov"])
        #expect(noModel.status == 2 && noModel.stderr.contains("none.safetensors"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/a.mov"))
    }

    /// Writes `image` (one plane) as `folder/NNNNNN.png` for frame `index`.
    func writeGrey(_ image: ImageTensor, to folder: String, index: Int) throws {
        let pattern = folder + "/%06d.png"
        let sink = try OutputWriter.open(plan: try OutputPlan.choose(for: pattern, content: .alphaOnly), path: pattern, overwrite: true,
                                         inputs: [], format: VideoFormat(width: image.width, height: image.height,
                                         frameRate: Rational(25, 1), timeBase: Rational(1, 25)))
        try sink.write(OutputFrame(rgb: nil, alpha: image, index: index, pts: Int64(index), timeBase: Rational(1, 25)))
        try sink.finish()
    }

    @Test func exportsEveryFramesTrimapAndResizesProxyKeys() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let key = try readImage(root + "/Samples/trimaps/000000.png", planes: .grey)
        try FileManager.default.createDirectory(atPath: folder + "/proxy", withIntermediateDirectories: true)
        try writeGrey(TrimapResize.nearest(key, width: 240, height: 135), to: folder + "/proxy", index: 0)
        let arguments = [root + "/Samples/clip.mp4", "--trimaps", folder + "/proxy", "--model", model, "--frames", "0-2",
                         "--alpha-only", "-o", folder + "/mattes", "--export-trimaps", folder + "/trimaps", "-q"]
        let refused = try VMatteProcess.run(arguments)
        #expect(refused.status == 2 && refused.stderr.contains("240x135") && refused.stderr.contains("--resize-trimaps"))
        let result = try VMatteProcess.run(arguments + ["--resize-trimaps"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let exported = try FileManager.default.contentsOfDirectory(atPath: folder + "/trimaps").sorted()
        #expect(exported == ["000000.png", "000001.png", "000002.png"])
        let first = try readImage(folder + "/trimaps/000000.png", planes: .grey)
        #expect(first.width == 480 && first.height == 270)
        #expect(Set(first.pixels).isSubset(of: [0, 128.0 / 255, 1]))
        // Frames away from the key carry a wider unknown band.
        let later = try readImage(folder + "/trimaps/000002.png", planes: .grey)
        #expect(later.pixels.filter { $0 == 128.0 / 255 }.count > first.pixels.filter { $0 == 128.0 / 255 }.count)
    }

    @Test func refusesAPhotoGivenAsATrimapAndWarnsAboutSnapping() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let photo = try VMatteProcess.run(["transcode", root + "/Samples/clip.mp4", "--frames", "0", "--alpha-only", "--alpha",
                                           root + "/Samples/clip.mp4", "-o", folder + "/photo", "-q"])
        #expect(photo.status == 0, "stderr: \(photo.stderr)")
        let refused = try VMatteProcess.run([root + "/Samples/clip.mp4", "--trimaps", folder + "/photo", "--model", model, "-o", folder + "/a.mov"])
        #expect(refused.status == 2 && refused.stderr.contains("does not look like a trimap"))
        // A trimap with a few off values is snapped, with a count.
        var key = try readImage(root + "/Samples/trimaps/000000.png", planes: .grey)
        for i in 0..<10 { key.pixels[i] = 0.1 }
        try FileManager.default.createDirectory(atPath: folder + "/keys", withIntermediateDirectories: true)
        try writeGrey(key, to: folder + "/keys", index: 0)
        let snapped = try VMatteProcess.run([root + "/Samples/clip.mp4", "--trimaps", folder + "/keys", "--model", model,
                                             "--frames", "0", "--alpha-only", "-o", folder + "/m"])
        #expect(snapped.status == 0 && snapped.stderr.contains("10 pixels were not exactly 0, 128 or 255"))
    }

    /// With feedback, the frames before the first key get trimaps walked back from it: inside
    /// the dilation bound, and narrower than it.
    @Test func feedbackWalksBackFromTheFirstKey() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/keys", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: root + "/Samples/trimaps/000050.png", toPath: folder + "/keys/key-50.png")
        func run(_ mode: String) throws -> VMatteProcess.Result {
            try VMatteProcess.run([root + "/Samples/clip.mp4", "--trimaps", folder + "/keys", "--frames", "44-52", "--propagate", mode,
                                   "--alpha-only", "-o", folder + "/\(mode)", "--export-trimaps", folder + "/\(mode)-trimaps"])
        }
        let feedback = try run("feedback"), dilate = try run("dilate")
        #expect(feedback.status == 0 && dilate.status == 0, "stderr: \(feedback.stderr) \(dilate.stderr)")
        #expect(feedback.stderr.contains("walking back from the key at frame 50"), "\(feedback.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/feedback-trimaps").sorted() == (44...52).map { String(format: "%06d.png", $0) })
        let unknown: Float = 128.0 / 255
        for index in 44..<50 {
            let name = String(format: "/%06d.png", index)
            let narrow = try readImage(folder + "/feedback-trimaps" + name, planes: .grey)
            let bound = try readImage(folder + "/dilate-trimaps" + name, planes: .grey)
            #expect(zip(narrow.pixels, bound.pixels).allSatisfy { $1 == unknown || $0 == $1 }, "frame \(index) leaves the keys' bound")
            let band = narrow.pixels.filter { $0 == unknown }.count, boundBand = bound.pixels.filter { $0 == unknown }.count
            #expect(band <= boundBand)
            if index == 44 {
                print("feedback backward on the sample, frame 44: band \(band) px vs dilate \(boundBand) px")
                #expect(band < boundBand)
            }
        }
    }

    /// A chunk that starts after a key first mattes the frames from that key (feedback chains
    /// each frame to the one before), so it makes the frames a whole run makes.
    @Test func aFeedbackChunkMatchesTheWholeRun() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let job = [root + "/Samples/clip.mp4", "--trimaps", root + "/Samples/trimaps", "--model", model, "--alpha-only", "--threads", "1"]
        let whole = try VMatteProcess.run(job + ["--frames", "0-8", "-o", folder + "/whole", "-q"])
        let chunk = try VMatteProcess.run(job + ["--frames", "5-8", "-o", folder + "/chunk"])
        #expect(whole.status == 0 && chunk.status == 0, "stderr: \(whole.stderr) \(chunk.stderr)")
        #expect(chunk.stderr.contains("matting frames 0-4 from the key at frame 0 first"), "\(chunk.stderr)")
        for index in 5...8 {
            let name = String(format: "/%06d.png", index)
            #expect(try readImage(folder + "/chunk" + name, planes: .matte) == (try readImage(folder + "/whole" + name, planes: .matte)), "frame \(index)")
        }
    }
}

/// Matting on a machine whose cores other work keeps busy: fewer OpenBLAS threads, and a note.
@Suite struct BusyMachineTests {
    let root = VMatteProcess.repositoryRoot

    @Test func mattesOnTheIdleCoresAndSaysSo() throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard cores > 1 else { return }
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let busy = BusyCores(count: cores)
        defer { busy.stop() }
        let result = try VMatteProcess.run([root + "/Samples/clip.mp4", "--trimaps", root + "/Samples/trimaps",
                                            "--model", root + "/Tests/EngineTests/Golden/golden_weights.safetensors",
                                            "--frames", "0-1", "--alpha-only", "-o", folder + "/mattes", "--json"])
        busy.stop()
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let threads = try #require(report?["openblasThreads"] as? Int)
        #expect(threads < cores, "every core was busy, yet vmatte used \(threads) of \(cores) threads")
        #expect(result.stderr.contains("matting on \(threads) thread"))

        let chosen = try VMatteProcess.run([root + "/Samples/clip.mp4", "--trimaps", root + "/Samples/trimaps",
                                            "--model", root + "/Tests/EngineTests/Golden/golden_weights.safetensors",
                                            "--frames", "0-1", "--alpha-only", "-o", folder + "/chosen", "--json", "--threads", "2"])
        let chosenReport = try JSONSerialization.jsonObject(with: Data(chosen.stdout.utf8)) as? [String: Any]
        #expect(chosenReport?["openblasThreads"] as? Int == 2)
    }
}

/// Threads that spin until stopped, to keep cores busy.
private final class BusyCores: @unchecked Sendable {
    private let lock = NSLock()
    private var running = true

    init(count: Int) {
        for _ in 0..<count {
            Thread.detachNewThread { [self] in
                var x = 0.0
                while isRunning { for i in 0..<100_000 { x += Double(i).squareRoot() } }
                _ = x
            }
        }
    }

    private var isRunning: Bool { lock.withLock { running } }

    func stop() { lock.withLock { running = false } }
}
