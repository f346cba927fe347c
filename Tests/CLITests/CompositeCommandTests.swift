import Decode
import Encode
import Foundation
import MatteCore
import Testing

/// `vmatte … --background`: composites over colours, images and videos into opaque outputs,
/// and refuses missing or undecodable backgrounds with the file's name.
@Suite struct CompositeCommandTests {
    let root = VMatteProcess.repositoryRoot
    var model: String { root + "/Tests/EngineTests/Golden/golden_weights.safetensors" }
    var base: [String] { [root + "/Samples/clip.mp4", "--trimaps", root + "/Samples/trimaps", "--model", model, "--frames", "0-2", "-q"] }

    /// Pixels a trimap vmatte exported marks as background: there the composite is the background.
    func backgroundPixels(_ trimap: String) throws -> [Int] {
        let key = try readImage(trimap, planes: .grey)
        return key.pixels.indices.filter { TrimapValue.snap(key.pixels[$0]) == TrimapValue.background }
    }

    func decodeAll(_ path: String) throws -> [ImageTensor] {
        let source = try MediaInput.open(path, options: DecodeOptions(planes: .rgb))
        var frame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
        var images: [ImageTensor] = []
        while try source.read(into: &frame) { images.append(frame.image) }
        return images
    }

    /// Mean of channel `c` over `pixels`.
    func mean(_ image: ImageTensor, _ c: Int, _ pixels: [Int]) -> Float {
        pixels.reduce(Float(0)) { $0 + image.pixels[c * image.planeSize + $1] } / Float(pixels.count)
    }

    /// Writes solid-colour frames (one RGB triple each) to `path`.
    func writeSolid(_ path: String, colours: [[Float]], width: Int, height: Int) throws {
        let sink = try OutputWriter.open(plan: try OutputPlan.choose(for: path, content: .composite), path: path, overwrite: true,
                                         inputs: [], format: VideoFormat(width: width, height: height, frameRate: Rational(25, 1),
                                         timeBase: Rational(1, 25)))
        for (index, colour) in colours.enumerated() {
            let n = width * height
            let rgb = ImageTensor(width: width, height: height, channels: 3, pixels: colour.flatMap { [Float](repeating: $0, count: n) })
            try sink.write(OutputFrame(rgb: rgb, alpha: nil, index: index, pts: Int64(index), timeBase: Rational(1, 25)))
        }
        try sink.finish()
    }

    @Test func compositesOverAColourIntoMP4() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try VMatteProcess.run(base + ["--background", "#3366cc", "--despill", "green", "-o", folder + "/c.mp4", "--json",
                                                   "--export-trimaps", folder + "/t"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("\"composite\""))
        let frames = try decodeAll(folder + "/c.mp4")
        #expect(frames.count == 3)
        let pixels = try backgroundPixels(folder + "/t/000001.png")
        #expect(pixels.count > 1000)
        for (c, expected) in [Float(0x33), 0x66, 0xcc].enumerated() {
            #expect(abs(mean(frames[1], c, pixels) - expected / 255) < 0.03)
        }
    }

    @Test func compositesOverAnImageOfAnotherSizeAndAShorterVideo() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try writeSolid(folder + "/still%06d.png", colours: [[0.9, 0.1, 0.1]], width: 200, height: 300)
        let still = try VMatteProcess.run(base + ["--background", folder + "/still000000.png", "--background-fit", "stretch", "-o", folder + "/s/",
                                                  "--export-trimaps", folder + "/t"])
        #expect(still.status == 0, "stderr: \(still.stderr)")
        let pixels = try (0..<3).map { try backgroundPixels(folder + String(format: "/t/%06d.png", $0)) }
        let stillFrames = try decodeAll(folder + "/s")
        #expect(stillFrames.count == 3 && stillFrames[0].channels == 3)
        #expect(abs(mean(stillFrames[2], 0, pixels[2]) - 0.9) < 0.01)

        try writeSolid(folder + "/bg.mkv", colours: [[0.1, 0.2, 0.9], [0.8, 0.8, 0.1]], width: 64, height: 36)
        for (end, third) in [("hold", Float(0.8)), ("loop", Float(0.1))] {
            let out = folder + "/\(end)/"
            let run = try VMatteProcess.run(base + ["--background", folder + "/bg.mkv", "--background-end", end, "-o", out])
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let frames = try decodeAll(out)
            #expect(frames.count == 3)
            #expect(abs(mean(frames[1], 0, pixels[1]) - 0.8) < 0.01 && abs(mean(frames[2], 0, pixels[2]) - third) < 0.01, "\(end)")
        }
    }

    @Test func cutOutsTakeTheEstimatedDespilledForeground() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try VMatteProcess.run(base + ["--despill", "green", "--despill-amount", "0.5", "-o", folder + "/cut/"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/cut").count == 3)
    }

    @Test func refusesMissingAndUndecodableBackgroundsNamingTheFile() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "not a video".write(toFile: folder + "/text.mov", atomically: true, encoding: .utf8)
        for background in [folder + "/missing.png", folder + "/text.mov"] {
            let run = try VMatteProcess.run(base + ["--background", background, "-o", folder + "/out.mp4"])
            #expect(run.status == 2 && run.stderr.contains(background) && run.stderr.contains("background"), "stderr: \(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: folder + "/out.mp4"))
        }
        let both = try VMatteProcess.run(base + ["--background", "green", "--alpha-only", "-o", folder + "/out/"])
        #expect(both.status == 2 && both.stderr.contains("--alpha-only"))
        let mp4 = try VMatteProcess.run(base + ["-o", folder + "/out.mp4"])
        #expect(mp4.status == 2 && mp4.stderr.contains("--background"))
    }

    /// Writes three frames of a soft-edged orange disc moving over a green screen to `path`.
    func writeGreenScreenShot(_ path: String, width w: Int = 96, height h: Int = 64) throws {
        let n = w * h
        let sink = try OutputWriter.open(plan: try OutputPlan.choose(for: path, content: .composite), path: path,
                                         overwrite: true, inputs: [], format: VideoFormat(width: w, height: h, frameRate: Rational(25, 1),
                                         timeBase: Rational(1, 25)))
        for index in 0..<3 {
            var rgb = ImageTensor(width: w, height: h, channels: 3)
            for y in 0..<h {
                for x in 0..<w {
                    let dx = Double(x - 40 - 3 * index), dy = Double(y - 32)
                    let a = Float(min(1, max(0, (20 - (dx * dx + dy * dy).squareRoot()) / 4 + 0.5)))
                    for (c, (f, b)) in [(Float(0.9), Float(0.1)), (0.5, 0.8), (0.2, 0.15)].enumerated() { rgb.pixels[c * n + y * w + x] = a * f + (1 - a) * b }
                }
            }
            try sink.write(OutputFrame(rgb: rgb, alpha: nil, index: index, pts: Int64(index), timeBase: Rational(1, 25)))
        }
        try sink.finish()
    }

    /// Summed green excess, max(0, G − max(R, B)), of every frame of `path`.
    func greenExcess(_ path: String) throws -> Double {
        try decodeAll(path).reduce(0) { total, image in
            let n = image.planeSize
            return total + (0..<n).reduce(0.0) { sum, i in
                sum + Double(max(0, image.pixels[n + i] - max(image.pixels[i], image.pixels[2 * n + i])))
            }
        }
    }

    @Test func keyedShotsAreDespilledOfTheirScreenColourUnlessToldOtherwise() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try writeGreenScreenShot(folder + "/shot.mkv")
        func composite(_ name: String, _ extra: [String]) throws -> Double {
            let run = try VMatteProcess.run([folder + "/shot.mkv", "--model", model, "--background", "#404040", "-o", folder + "/" + name, "-q"] + extra)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            return try greenExcess(folder + "/" + name)
        }
        let byDefault = try composite("default.mkv", ["--key", "green"])
        let explicit = try composite("explicit.mkv", ["--key", "green", "--despill", "green"])
        let none = try composite("none.mkv", ["--key", "green", "--despill", "none"])
        let auto = try composite("auto.mkv", ["--key", "auto"])
        #expect(byDefault <= explicit && auto <= explicit, "green excess: default \(byDefault), auto \(auto), --despill green \(explicit)")
        #expect(none > 2 * byDefault + 1, "green excess without despill \(none), with it \(byDefault)")
        #expect(try decodeAll(folder + "/default.mkv").map(\.pixels) == decodeAll(folder + "/explicit.mkv").map(\.pixels))
    }

    @Test func keysTrimapsFromAGreenScreen() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let w = 96, h = 64
        try writeGreenScreenShot(folder + "/shot.mkv", width: w, height: h)
        let run = try VMatteProcess.run([folder + "/shot.mkv", "--key", "auto", "--model", model, "--despill", "green", "--background", "black",
                                         "-o", folder + "/out/", "--export-trimaps", folder + "/t", "-q"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(try decodeAll(folder + "/out").count == 3)
        let trimap = try readImage(folder + "/t/000002.png", planes: .grey)
        let values = Set(trimap.pixels.map(TrimapValue.snap))
        #expect(values == [TrimapValue.background, TrimapValue.unknown, TrimapValue.foreground])
        #expect(TrimapValue.snap(trimap[0, 32, 46]) == TrimapValue.foreground && TrimapValue.snap(trimap[0, 2, 2]) == TrimapValue.background)
        // A painted trimap overrides the key where it is definite: here a corner of the screen
        // painted as foreground; the screen's colour is given instead of measured.
        var painted = ImageTensor(width: w, height: h, channels: 1, fill: TrimapValue.unknown)
        for y in 0..<8 { for x in 0..<8 { painted[0, y, x] = TrimapValue.foreground } }
        let paintedSink = try OutputWriter.open(plan: try OutputPlan.choose(for: folder + "/p/%06d.png", content: .alphaOnly),
                                                path: folder + "/p/%06d.png", overwrite: true, inputs: [], format: VideoFormat(width: w, height: h,
                                                frameRate: Rational(25, 1), timeBase: Rational(1, 25)))
        try paintedSink.write(OutputFrame(rgb: nil, alpha: painted, index: 0, pts: 0, timeBase: Rational(1, 25)))
        try paintedSink.finish()
        let both = try VMatteProcess.run([folder + "/shot.mkv", "--key-color", "#1acc26", "--trimap", folder + "/p/000000.png", "--model", model,
                                          "--alpha-only", "-o", folder + "/x/", "--export-trimaps", folder + "/tp", "-q"])
        #expect(both.status == 0, "stderr: \(both.stderr)")
        let combined = try readImage(folder + "/tp/000001.png", planes: .grey)
        #expect(TrimapValue.snap(combined[0, 2, 2]) == TrimapValue.foreground)
        #expect(TrimapValue.snap(combined[0, 2, 90]) == TrimapValue.background && TrimapValue.snap(combined[0, 32, 46]) == TrimapValue.foreground)
        let badColour = try VMatteProcess.run([folder + "/shot.mkv", "--key-color", "chartreuse-ish", "--model", model, "-o", folder + "/y/"])
        #expect(badColour.status == 2 && badColour.stderr.contains("--key-color"))
    }
}
