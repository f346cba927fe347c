import Decode
import Encode
import Foundation
import MatteCore
import Testing

/// `vmatte eval` end to end: PNG folders, single images and the sample's FFV1 alpha video.
@Suite struct EvalCommandTests {
    let root = VMatteProcess.repositoryRoot
    var gtVideo: String { root + "/Samples/gt-alpha.mkv" }

    /// The sample's ground-truth alpha as grey PNG frames, via `vmatte transcode`.
    func pngMattes(in folder: String, frames: String? = nil) throws -> String {
        let output = folder + "/mattes"
        var arguments = ["transcode", root + "/Samples/clip.mp4", "--alpha", gtVideo, "--alpha-only", "-o", output, "-q"]
        if let frames { arguments += ["--frames", frames] }
        let result = try VMatteProcess.run(arguments)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        return output
    }

    /// Writes one grey 8-bit PNG.
    func writePNG(_ image: ImageTensor, to path: String) throws {
        let pattern = (path as NSString).deletingLastPathComponent + "/%06d.png"
        let sink = try OutputWriter.open(plan: try OutputPlan.choose(for: pattern, content: .alphaOnly), path: pattern, overwrite: true,
                                         inputs: [], format: VideoFormat(width: image.width, height: image.height,
                                         frameRate: Rational(25, 1), timeBase: Rational(1, 25)))
        try sink.write(OutputFrame(rgb: nil, alpha: image, index: 0, pts: 0, timeBase: Rational(1, 25)))
        try sink.finish()
        try FileManager.default.moveItem(atPath: (path as NSString).deletingLastPathComponent + "/000000.png", toPath: path)
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func identicalMattesScoreZeroInTheTableAndTheJSON() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let mattes = try pngMattes(in: folder)
        let table = try VMatteProcess.run(["eval", "--pred", mattes, "--gt", gtVideo, "--trimaps", root + "/Samples/trimaps/000050.png"])
        #expect(table.status == 0, "stderr: \(table.stderr)")
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.count == 1 + 1 + 100 + 1)
        #expect(lines[1].contains("SAD") && lines[1].contains("MSE×1e3") && lines[1].contains("dtSSD×1e2") && lines[1].contains("MESSDdt×1e3"))
        #expect(lines.last?.split(separator: " ").map(String.init) == ["mean"] + Array(repeating: "0.0000", count: 6))

        // The JSON report on five of those frames against themselves (debug builds score slowly).
        try FileManager.default.createDirectory(atPath: folder + "/five", withIntermediateDirectories: true)
        for name in (0..<5).map({ String(format: "%06d.png", $0) }) {
            try FileManager.default.copyItem(atPath: mattes + "/" + name, toPath: folder + "/five/" + name)
        }
        let report = try VMatteProcess.run(["eval", "--pred", folder + "/five", "--gt", folder + "/five", "--json"])
        #expect(report.status == 0, "stderr: \(report.stderr)")
        let object = try json(report.stdout)
        #expect(object["frames"] as? Int == 5 && object["width"] as? Int == 480 && object["region"] as? String == "whole frame")
        let mean = try #require(object["mean"] as? [String: Any])
        for key in ["sad", "mse", "mse1e3", "gradient", "connectivity", "dtSSD", "messdt"] { #expect(mean[key] as? Double == 0, "\(key)") }
        #expect((object["perFrame"] as? [[String: Any]])?.count == 5)
    }

    @Test func singleImagesGiveTheDirectSums() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let gtFrame = try pngMattes(in: folder, frames: "50") + "/000050.png"
        let pred = root + "/Samples/trimaps/000050.png"  // a trimap as a (poor) prediction
        let result = try VMatteProcess.run(["eval", "--pred", pred, "--gt", gtFrame, "--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let object = try json(result.stdout)
        let mean = try #require(object["mean"] as? [String: Any])
        let p = try readImage(pred, planes: .matte), g = try readImage(gtFrame, planes: .matte)
        var sad = 0.0, squares = 0.0
        for i in g.pixels.indices {
            let d = Double(p.pixels[i]) - Double(g.pixels[i])
            sad += abs(d)
            squares += d * d
        }
        let reportedSAD = try #require(mean["sad"] as? Double), reportedMSE = try #require(mean["mse"] as? Double)
        #expect(abs(reportedSAD - sad / 1000) <= 1e-9 * sad && abs(reportedMSE - squares / Double(g.planeSize)) <= 1e-9)
        #expect(try #require(mean["gradient"] as? Double) > 0 && mean["dtSSD"] == nil)
        #expect(object["frames"] as? Int == 1)
    }

    /// A grey image of `width`×`height` from a formula of the pixel position.
    func pattern(width: Int, height: Int, _ value: (Int, Int) -> Float) -> ImageTensor {
        var image = ImageTensor(width: width, height: height, channels: 1)
        for y in 0..<height { for x in 0..<width { image.pixels[y * width + x] = value(x, y) } }
        return image
    }

    @Test func stillsOfDifferentSizesAreScoredEachOnItsOwnAsPerImageCallsScoreThem() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for name in ["pred", "gt", "trimaps"] { try FileManager.default.createDirectory(atPath: folder + "/" + name, withIntermediateDirectories: true) }
        let sizes = [(40, 30), (24, 36), (24, 36), (40, 30)]
        let names = sizes.indices.map { "still\($0 + 1).png" }
        for (i, (width, height)) in sizes.enumerated() {
            let f = Float(i + 1)
            let gt = pattern(width: width, height: height) { x, y in min(1, max(0, Float(x - width / 3) / Float(width / 3))) }
            let pred = pattern(width: width, height: height) { x, y in min(1, max(0, Float(x - width / 3) / Float(width / 3) + 0.05 * f * sin(Float(x * y + i)))) }
            let trimap = pattern(width: width, height: height) { x, _ in x < width / 4 ? 0 : x > 3 * width / 4 ? 1 : 128.0 / 255 }
            try writePNG(gt, to: folder + "/gt/" + names[i])
            try writePNG(pred, to: folder + "/pred/" + names[i])
            try writePNG(trimap, to: folder + "/trimaps/" + names[i])
        }
        let whole = try VMatteProcess.run(["eval", "--pred", folder + "/pred", "--gt", folder + "/gt", "--trimaps", folder + "/trimaps", "--json"])
        #expect(whole.status == 0, "stderr: \(whole.stderr)")
        let report = try json(whole.stdout)
        #expect(report["frames"] as? Int == 4 && report["width"] == nil)
        let rows = try #require(report["perFrame"] as? [[String: Any]])
        try #require(rows.count == 4)
        var sadSum = 0.0
        for (i, name) in names.enumerated() {
            let single = try VMatteProcess.run(["eval", "--pred", folder + "/pred/" + name, "--gt", folder + "/gt/" + name,
                                                "--trimaps", folder + "/trimaps/" + name, "--json"])
            #expect(single.status == 0, "stderr: \(single.stderr)")
            let mean = try #require(try json(single.stdout)["mean"] as? [String: Any])
            for key in ["sad", "mse", "gradient", "connectivity"] {
                let alone = try #require(mean[key] as? Double), inFolder = try #require(rows[i][key] as? Double)
                #expect(alone == inFolder, "\(name) \(key): \(inFolder) in the folder, \(alone) alone")
            }
            #expect(try #require(mean["sad"] as? Double) > 0)
            #expect(rows[i]["width"] as? Int == sizes[i].0 && rows[i]["height"] as? Int == sizes[i].1)
            sadSum += try #require(rows[i]["sad"] as? Double)
        }
        let mean = try #require(report["mean"] as? [String: Any])
        #expect(abs(try #require(mean["sad"] as? Double) - sadSum / 4) < 1e-12)
        // Temporal scores only between consecutive images of one size.
        #expect(rows.map { $0["dtSSD"] != nil } == [false, false, true, false])

        let table = try VMatteProcess.run(["eval", "--pred", folder + "/pred", "--gt", folder + "/gt"])
        #expect(table.status == 0 && table.stdout.contains("images of different sizes") && table.stdout.contains("24x36"), "\(table.stdout)\(table.stderr)")

        // A prediction of another size than its own ground truth is still refused, by name.
        try FileManager.default.removeItem(atPath: folder + "/pred/" + names[1])
        try writePNG(pattern(width: 40, height: 30) { _, _ in 0.5 }, to: folder + "/pred/" + names[1])
        let mismatch = try VMatteProcess.run(["eval", "--pred", folder + "/pred", "--gt", folder + "/gt"])
        #expect(mismatch.status == 2 && mismatch.stderr.contains(names[1]) && mismatch.stderr.contains("40x30") && mismatch.stderr.contains("24x36"),
                "stderr: \(mismatch.stderr)")
    }

    @Test func refusesMismatchedInputsWithExitTwo() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let mattes = try pngMattes(in: folder, frames: "0-4")
        let count = try VMatteProcess.run(["eval", "--pred", mattes, "--gt", gtVideo])
        #expect(count.status == 2 && count.stderr.contains("5 frames") && count.stderr.contains("100"), "stderr: \(count.stderr)")
        #expect(count.stdout.isEmpty)

        let missing = try VMatteProcess.run(["eval", "--pred", folder + "/none", "--gt", gtVideo])
        #expect(missing.status == 2 && missing.stderr.contains("--pred") && missing.stderr.contains("does not exist"))

        try FileManager.default.createDirectory(atPath: folder + "/small", withIntermediateDirectories: true)
        try writePNG(ImageTensor(width: 32, height: 32, channels: 1, fill: 0.5), to: folder + "/small/grey.png")
        let size = try VMatteProcess.run(["eval", "--pred", folder + "/small/grey.png", "--gt", mattes + "/000000.png"])
        #expect(size.status == 2 && size.stderr.contains("32x32") && size.stderr.contains("480x270"), "stderr: \(size.stderr)")
        let trimap = try VMatteProcess.run(["eval", "--pred", mattes, "--gt", mattes, "--trimaps", folder + "/small/grey.png"])
        #expect(trimap.status == 2 && trimap.stderr.contains("grey.png") && trimap.stderr.contains("32x32"), "stderr: \(trimap.stderr)")
        let trimapCount = try VMatteProcess.run(["eval", "--pred", mattes, "--gt", mattes, "--trimaps", root + "/Samples/trimaps"])
        #expect(trimapCount.status == 2 && trimapCount.stderr.contains("3 trimaps") && trimapCount.stderr.contains("5 frames"), "stderr: \(trimapCount.stderr)")
    }
}
