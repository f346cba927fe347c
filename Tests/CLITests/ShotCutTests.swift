import Decode
import Encode
import Foundation
import MatteCore
import Metrics
import Testing
import Trimaps

/// Two synthetic shots joined with a hard cut at frame 12 (a disc moving over one background,
/// then another disc over another), with exact alpha: trimap propagation must not carry shot
/// one's matte into shot two, whose first key (frame 17) comes after its first frame.
@Suite struct ShotCutTests {
    let root = VMatteProcess.repositoryRoot
    var model: String { root + "/Tests/EngineTests/Golden/golden_weights.safetensors" }
    static let width = 96, height = 64, cut = 12, frameCount = 24

    /// The exact alpha of frame `index`.
    static func alpha(_ index: Int) -> ImageTensor {
        // Shot one: a small disc moving right; shot two: a large one further right, moving left.
        let (cx, cy, r): (Double, Double, Double) = index < cut ? (20 + 2 * Double(index), 32, 10) : (76 - Double(index - cut), 32, 20)
        var a = ImageTensor(width: width, height: height, channels: 1)
        for y in 0..<height {
            for x in 0..<width {
                let d = ((Double(x) - cx) * (Double(x) - cx) + (Double(y) - cy) * (Double(y) - cy)).squareRoot()
                a.pixels[y * width + x] = Float(min(1, max(0, (r - d) / 3 + 0.5)))
            }
        }
        return a
    }

    /// Frame `index`: the disc's colour over the background's, by its alpha.
    static func picture(_ index: Int) -> ImageTensor {
        let (fg, bg): ([Float], [Float]) = index < cut ? ([0.9, 0.5, 0.2], [0.1, 0.5, 0.2]) : ([0.9, 0.9, 0.3], [0.2, 0.2, 0.7])
        let a = alpha(index), n = width * height
        var rgb = ImageTensor(width: width, height: height, channels: 3)
        for c in 0..<3 { for i in 0..<n { rgb.pixels[c * n + i] = a.pixels[i] * fg[c] + (1 - a.pixels[i]) * bg[c] } }
        return rgb
    }

    /// The key for frame `index` from its exact alpha: definite where alpha is 0 or 1, unknown 2 px around the edge.
    static func key(_ index: Int) -> ImageTensor {
        var trimap = alpha(index)
        for i in trimap.pixels.indices {
            let a = trimap.pixels[i]
            trimap.pixels[i] = a >= 0.999 ? TrimapValue.foreground : (a <= 0.001 ? TrimapValue.background : TrimapValue.unknown)
        }
        return DilatePropagation.growUnknown(trimap, by: 2)
    }

    /// Writes the clip (lossless FFV1) and keys on `keys` into `folder`; returns the clip's path.
    static func makeClip(in folder: String, keys: [Int]) throws -> String {
        let path = folder + "/cut.mkv"
        let sink = try OutputWriter.open(plan: try OutputPlan.choose(for: path, content: .composite), path: path, overwrite: true, inputs: [],
                                         format: VideoFormat(width: width, height: height, frameRate: Rational(25, 1), timeBase: Rational(1, 25)))
        for index in 0..<frameCount {
            try sink.write(OutputFrame(rgb: picture(index), alpha: nil, index: index, pts: Int64(index), timeBase: Rational(1, 25)))
        }
        try sink.finish()
        try FileManager.default.createDirectory(atPath: folder + "/keys", withIntermediateDirectories: true)
        for index in keys {
            let pattern = folder + "/keys/%06d.png"
            let keySink = try OutputWriter.open(plan: try OutputPlan.choose(for: pattern, content: .alphaOnly), path: pattern, overwrite: true,
                                                inputs: [], format: VideoFormat(width: width, height: height, frameRate: Rational(25, 1), timeBase: Rational(1, 25)))
            try keySink.write(OutputFrame(rgb: nil, alpha: key(index), index: index, pts: Int64(index), timeBase: Rational(1, 25)))
            try keySink.finish()
        }
        return path
    }

    /// Mean absolute error against the exact alpha of each frame written in `folder`.
    func errors(_ folder: String) throws -> [Int: Double] {
        var result: [Int: Double] = [:]
        for index in 0..<Self.frameCount {
            let path = folder + String(format: "/%06d.png", index)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let matte = try readImage(path, planes: .matte), exact = Self.alpha(index)
            result[index] = zip(matte.pixels, exact.pixels).reduce(0.0) { $0 + Double(abs($1.0 - $1.1)) } / Double(exact.pixels.count)
        }
        return result
    }

    @Test func noFrameOfTheSecondShotIsMattedFromTheFirstShotsTrimaps() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let clip = try Self.makeClip(in: folder, keys: [0, 17])
        let job = [clip, "--trimaps", folder + "/keys", "--method", "closed-form", "--alpha-only", "--threads", "1"]
        let shots = try VMatteProcess.run(job + ["-o", folder + "/shots", "--json"])
        #expect(shots.status == 0, "stderr: \(shots.stderr)")
        #expect(shots.stderr.contains("1 cut (at 12)"), "\(shots.stderr)")
        #expect(shots.stderr.contains("frames 12-16, walking back from the key at frame 17"), "\(shots.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(shots.stdout.utf8)) as? [String: Any]
        let listed = (report?["shots"] as? [[String: Any]])?.map { [$0["first"] as? Int, $0["last"] as? Int] }
        #expect(listed == [[0, 11], [12, 23]])
        let none = try VMatteProcess.run(job + ["-o", folder + "/none", "--shots", "none", "-q"])
        #expect(none.status == 0, "stderr: \(none.stderr)")

        let withShots = try errors(folder + "/shots"), without = try errors(folder + "/none")
        #expect(withShots.count == Self.frameCount && without.count == Self.frameCount)
        let beforeKey = (12...16).map { withShots[$0]! }, restOfShot = (17...23).map { withShots[$0]! }
        let crossed = (12...16).map { without[$0]! }
        print("mean |alpha error| frames 12-16: shots \(beforeKey.map { String(format: "%.4f", $0) }), --shots none \(crossed.map { String(format: "%.4f", $0) }); frames 17-23: \(restOfShot.map { String(format: "%.4f", $0) })")
        // Every frame before the second shot's key stays at the level of the rest of its shot …
        let level = restOfShot.max()!
        for (offset, error) in beforeKey.enumerated() { #expect(error <= 2 * level + 0.002, "frame \(12 + offset): \(error) against \(level)") }
        // … where carrying the first shot's matte across the cut (one shot: the old behaviour) is far off.
        #expect(crossed.max()! > 10 * (beforeKey.max()! + 0.001), "--shots none \(crossed), shots \(beforeKey)")
        // The first shot is matted the same either way.
        for index in 0..<Self.cut { #expect(abs(withShots[index]! - without[index]!) < 1e-3, "frame \(index)") }
    }

    @Test func aShotWithoutAKeyIsRefusedBeforeAnyMatting() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let clip = try Self.makeClip(in: folder, keys: [3])
        let refused = try VMatteProcess.run([clip, "--trimaps", folder + "/keys", "--model", model, "-o", folder + "/out.mov"])
        #expect(refused.status == 2, "stderr: \(refused.stderr)")
        #expect(refused.stderr.contains("frames 12-23 has no key: paint frame 12"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("frames 0-11 has no key"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["cut.mkv", "keys"])
        // A chunk inside the keyed shot runs; the shot list as a file says the same as detection.
        try "# cuts\n12\n".write(toFile: folder + "/cuts.txt", atomically: true, encoding: .utf8)
        let chunk = try VMatteProcess.run([clip, "--trimaps", folder + "/keys", "--model", model, "--frames", "0-5", "--shots", folder + "/cuts.txt",
                                           "--alpha-only", "-o", folder + "/chunk", "-q"])
        #expect(chunk.status == 0, "stderr: \(chunk.stderr)")
        let fileRefused = try VMatteProcess.run([clip, "--trimaps", folder + "/keys", "--model", model, "--shots", folder + "/cuts.txt", "-o", folder + "/a.mov"])
        #expect(fileRefused.status == 2 && fileRefused.stderr.contains("frames 12-23 has no key"), "\(fileRefused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/a.mov"))
    }

    @Test func badShotListsAreRefusedNamingTheLine() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let clip = try Self.makeClip(in: folder, keys: [0])
        for (text, message) in [("12\nabc\n", "line 2: 'abc' is not a frame number"), ("30\n", "line 1: frame 30 is beyond the clip, which has 24 frames"),
                                ("12\n5\n", "line 2: frame 5 does not come after"), ("-3\n", "line 1: frame -3 is negative")] {
            try text.write(toFile: folder + "/cuts.txt", atomically: true, encoding: .utf8)
            let result = try VMatteProcess.run([clip, "--trimaps", folder + "/keys", "--model", model, "--shots", folder + "/cuts.txt", "-o", folder + "/a.mov"])
            #expect(result.status == 2 && result.stderr.contains(message), "\(text): \(result.stderr)")
        }
        let missing = try VMatteProcess.run([clip, "--trimaps", folder + "/keys", "--model", model, "--shots", folder + "/nothing.txt", "-o", folder + "/a.mov"])
        #expect(missing.status == 2 && missing.stderr.contains("nothing.txt' cannot be read"), "\(missing.stderr)")
        let threshold = try VMatteProcess.run([clip, "--trimaps", folder + "/keys", "--scene-threshold", "0", "-o", folder + "/a.mov"])
        #expect(threshold.status == 2 && threshold.stderr.contains("--scene-threshold"), "\(threshold.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/a.mov"))
    }

    /// Chunks across the cut, before the second shot's key and after it, give the trimaps and
    /// mattes of the whole run.
    @Test func chunksAcrossTheCutEqualTheWholeRun() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let clip = try Self.makeClip(in: folder, keys: [0, 17])
        let job = [clip, "--trimaps", folder + "/keys", "--model", model, "--alpha-only", "--threads", "1"]
        let whole = try VMatteProcess.run(job + ["-o", folder + "/whole", "--export-trimaps", folder + "/whole-t", "-q"])
        #expect(whole.status == 0, "stderr: \(whole.stderr)")
        for (range, note) in [("8-15", "matting frames 0-7 from the key at frame 0 first"), ("14-20", "frames 14-16, walking back from the key at frame 17"),
                              ("19-23", "matting frames 17-18 from the key at frame 17 first")] {
            let name = "chunk-" + range
            let chunk = try VMatteProcess.run(job + ["--frames", range, "-o", folder + "/" + name, "--export-trimaps", folder + "/" + name + "-t"])
            #expect(chunk.status == 0, "stderr: \(chunk.stderr)")
            #expect(chunk.stderr.contains(note), "\(range): \(chunk.stderr)")
            let bounds = range.split(separator: "-").map { Int($0)! }
            for index in bounds[0]...bounds[1] {
                let file = String(format: "/%06d.png", index)
                #expect(try readImage(folder + "/" + name + "-t" + file, planes: .grey) == (try readImage(folder + "/whole-t" + file, planes: .grey)), "trimap \(index) of \(range)")
                #expect(try readImage(folder + "/" + name + file, planes: .matte) == (try readImage(folder + "/whole" + file, planes: .matte)), "matte \(index) of \(range)")
            }
        }
    }

    /// Movie chunks rendered on either side of the cut (one ends inside the second shot's
    /// walk back from its key) and joined with `vmatte join` give the whole run's movie.
    @Test func joinedMovieChunksAcrossTheCutEqualTheWholeRun() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let clip = try Self.makeClip(in: folder, keys: [0, 17])
        let job = [clip, "--trimaps", folder + "/keys", "--model", model, "--alpha-only", "--threads", "1", "-q"]
        for (frames, name) in [(nil, "whole.mkv"), ("0-13", "a.mkv"), ("14-23", "b.mkv")] as [(String?, String)] {
            let result = try VMatteProcess.run(job + (frames.map { ["--frames", $0] } ?? []) + ["-o", folder + "/" + name])
            #expect(result.status == 0, "\(name): \(result.stderr)")
        }
        let joined = try VMatteProcess.run(["join", folder + "/a.mkv", folder + "/b.mkv", "-o", folder + "/joined.mkv"])
        #expect(joined.status == 0, "stderr: \(joined.stderr)")
        let whole = try DecodedMovie(folder + "/whole.mkv", planes: .matte), parts = try DecodedMovie(folder + "/joined.mkv", planes: .matte)
        #expect(parts.frames.count == Self.frameCount && parts.frames.map(\.pts) == whole.frames.map(\.pts))
        for (index, (a, b)) in zip(parts.frames, whole.frames).enumerated() {
            #expect(ImageErrors.maxAbsolute(a.image, b.image) == 0, "frame \(index)")
        }
    }

    /// A run continued with --resume after frames 0-18 were finished (shot one, and shot two up
    /// to two frames after its key) gives the whole run's frames: the chain from key 17 is
    /// matted again, shot one's is not needed past the cut.
    @Test func aResumedRunAcrossTheCutEqualsTheWholeRun() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let clip = try Self.makeClip(in: folder, keys: [0, 17])
        let job = [clip, "--trimaps", folder + "/keys", "--model", model, "--alpha-only", "--threads", "1"]
        let whole = try VMatteProcess.run(job + ["-o", folder + "/whole", "-q"])
        #expect(whole.status == 0, "stderr: \(whole.stderr)")
        // What an interrupted run leaves: the finished frames in the stable partial folder.
        let partial = folder + "/.resumed.vmatte-partial"
        try FileManager.default.createDirectory(atPath: partial, withIntermediateDirectories: true)
        for index in 0...18 {
            let name = String(format: "/%06d.png", index)
            try FileManager.default.copyItem(atPath: folder + "/whole" + name, toPath: partial + name)
        }
        let resumed = try VMatteProcess.run(job + ["-o", folder + "/resumed", "--resume", "-q"])
        #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
        for index in 0..<Self.frameCount {
            let name = String(format: "/%06d.png", index)
            #expect(try readImage(folder + "/resumed" + name, planes: .matte) == (try readImage(folder + "/whole" + name, planes: .matte)), "frame \(index)")
        }
    }

    @Test func shotsCommandListsShotsKeysAndSuggestions() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let clip = try Self.makeClip(in: folder, keys: [3])
        let text = try VMatteProcess.run(["shots", clip, "--trimaps", folder + "/keys", "-q"])
        #expect(text.status == 0, "stderr: \(text.stderr)")
        #expect(text.stdout.contains("shot 1: frames 0-11 (12 frames), keys 3"), "\(text.stdout)")
        #expect(text.stdout.contains("shot 2: frames 12-23 (12 frames), no key: paint frame 12"), "\(text.stdout)")
        let json = try VMatteProcess.run(["shots", clip, "--trimaps", folder + "/keys", "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(report["cuts"] as? [Int] == [12])
        #expect(report["frames"] as? Int == 24)
        let shots = try #require(report["shots"] as? [[String: Any]])
        #expect(shots.map { $0["keys"] as? [Int] } == [[3], []])
        #expect(shots.map { $0["suggestedKey"] as? Int } == [nil, 12])
        let cuts = try VMatteProcess.run(["shots", clip, "--cuts"])
        #expect(cuts.stdout == "12\n")
        let high = try VMatteProcess.run(["shots", clip, "--cuts", "--scene-threshold", "99"])
        #expect(high.status == 0 && high.stdout.isEmpty)
    }
}
