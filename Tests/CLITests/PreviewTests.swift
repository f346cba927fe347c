import Compose
import Decode
import Foundation
import MatteCore
import Testing

/// `--preview FILE.png` and `vmatte preview`: every tile of the contact sheet is the frame its
/// label claims, compared with the decoded frame, the exported trimap and the written matte.
@Suite struct PreviewTests {
    let root = VMatteProcess.repositoryRoot
    var model: String { root + "/Tests/EngineTests/Golden/golden_weights.safetensors" }
    var clip: String { root + "/Samples/clip.mp4" }

    /// The decoded frames `range` of the sample clip.
    func decodedFrames(_ range: ClosedRange<Int>) throws -> [Int: ImageTensor] {
        let source = try MediaInput.open(clip, options: DecodeOptions(frameRange: FrameRange(first: range.lowerBound, last: range.upperBound)))
        var frame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
        var frames: [Int: ImageTensor] = [:]
        while try source.read(into: &frame) { frames[frame.index] = frame.image }
        return frames
    }

    /// The `width`×`height` region of `sheet` at (`x`, `y`), as its own image.
    func crop(_ sheet: ImageTensor, x: Int, y: Int, width: Int, height: Int) -> ImageTensor {
        var part = ImageTensor(width: width, height: height, channels: 3)
        for c in 0..<3 { for py in 0..<height { for px in 0..<width { part[c, py, px] = sheet[c, y + py, x + px] } } }
        return part
    }

    /// The largest and the mean difference of `a` and `b` (a grey `b` against each plane of `a`).
    func difference(_ a: ImageTensor, _ b: ImageTensor) -> (largest: Float, mean: Float) {
        var largest: Float = 0, total: Float = 0
        for c in 0..<a.channels {
            for i in 0..<a.planeSize {
                let d = abs(a.pixels[c * a.planeSize + i] - b.pixels[(b.channels == 1 ? 0 : c) * b.planeSize + i])
                largest = max(largest, d)
                total += d
            }
        }
        return (largest, total / Float(a.pixels.count))
    }

    @Test func theSheetsTilesAreTheFramesTheirLabelsName() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try VMatteProcess.run([clip, "--trimaps", root + "/Samples/trimaps", "--model", model, "--frames", "0-5", "--alpha-only",
                                         "-o", folder + "/mattes", "--export-trimaps", folder + "/used", "--preview", folder + "/sheet.png"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        // The key at frame 0, the range's last frame, and two frames between.
        let shown = [0, 2, 3, 5]
        #expect(run.stderr.contains("preview of frames 0, 2, 3, 5"), "stderr: \(run.stderr)")
        let sheet = try readImage(folder + "/sheet.png")
        let layout = ContactSheet.Layout(tileWidth: 200, width: 480, height: 270, framesPerRow: 2)
        let size = layout.sheetSize(frames: shown.count)
        #expect(sheet.width == size.width && sheet.height == size.height)

        let frames = try decodedFrames(0...5)
        let tileWidth = layout.tileWidth, tileHeight = layout.tileHeight
        let sources = frames.mapValues { ContactSheet.downscale($0, width: tileWidth, height: tileHeight) }
        let quantum: Float = 1.0 / 255
        for (slot, frame) in shown.enumerated() {
            // The label says this frame (a key is marked as one).
            let origin = layout.frameOrigin(slot: slot)
            var label = ImageTensor(width: layout.frameWidth, height: layout.labelHeight, channels: 3, fill: ContactSheet.background)
            BitmapFont.draw(ContactSheet.label(frame: frame, isKey: frame == 0), into: &label, x: 0, y: 2, scale: layout.labelScale, ink: [1, 1, 1])
            let drawn = crop(sheet, x: origin.x, y: origin.y, width: layout.frameWidth, height: layout.labelHeight)
            #expect(difference(drawn, label).largest <= quantum / 2 + 1e-6, "the label of slot \(slot) is not '\(ContactSheet.label(frame: frame, isKey: frame == 0))'")

            func tile(_ column: Int) -> ImageTensor {
                let at = layout.tileOrigin(slot: slot, column: column)
                return crop(sheet, x: at.x, y: at.y, width: tileWidth, height: tileHeight)
            }
            // The source tile is this decoded frame, scaled, and fits it better than any other frame of the run.
            let source = tile(0)
            #expect(difference(source, sources[frame]!).largest <= quantum / 2 + 1e-5, "frame \(frame)")
            let closest = sources.min { difference(source, $0.value).mean < difference(source, $1.value).mean }?.key
            #expect(closest == frame, "the source tile of frame \(frame) looks most like frame \(closest ?? -1)")

            let name = String(format: "%06d.png", frame)
            let trimap = ContactSheet.downscale(try readImage(folder + "/used/" + name, planes: .grey), width: tileWidth, height: tileHeight)
            // (Unknown is 0.5 in the run and 128/255 in the exported PNG.)
            #expect(difference(tile(1), trimap).largest <= quantum, "trimap of frame \(frame)")
            let matte = ContactSheet.downscale(try readImage(folder + "/mattes/" + name, planes: .matte), width: tileWidth, height: tileHeight)
            #expect(difference(tile(2), ContactSheet.overCheckerboard(sources[frame]!, alpha: matte)).largest <= 1.5 * quantum, "matte of frame \(frame)")
        }
        // Frames 2 and 3 carry different mattes: the tiles tell them apart.
        let matte2 = try readImage(folder + "/mattes/000002.png", planes: .matte), matte5 = try readImage(folder + "/mattes/000005.png", planes: .matte)
        #expect(difference(matte2, matte5).mean > 1e-3)

        // `vmatte preview` builds the same sheet from what the run wrote.
        let again = try VMatteProcess.run(["preview", clip, "--matte", folder + "/mattes", "--trimaps", root + "/Samples/trimaps",
                                           "--used-trimaps", folder + "/used", "--frames", "0-5", "-o", folder + "/again.png", "-q"])
        #expect(again.status == 0, "stderr: \(again.stderr)")
        let rebuilt = try readImage(folder + "/again.png")
        #expect(rebuilt.width == sheet.width && rebuilt.height == sheet.height)
        if rebuilt.width == sheet.width && rebuilt.height == sheet.height { #expect(difference(rebuilt, sheet).largest <= 1.5 * quantum) }
    }

    @Test func refusesSheetsItCannotMake() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let notPNG = try VMatteProcess.run([clip, "--trimaps", root + "/Samples/trimaps", "--model", model, "--frames", "0-1",
                                            "-o", folder + "/m", "--preview", folder + "/sheet.jpg"])
        #expect(notPNG.status == 2 && notPNG.stderr.contains(".png"), "stderr: \(notPNG.stderr)")
        let noFolder = try VMatteProcess.run([clip, "--trimaps", root + "/Samples/trimaps", "--model", model, "--frames", "0-1",
                                              "-o", folder + "/m", "--preview", folder + "/none/sheet.png"])
        #expect(noFolder.status == 2 && noFolder.stderr.contains("does not exist"), "stderr: \(noFolder.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/m"))

        // Mattes that lack a frame the sheet shows: exit 2 and no sheet.
        try FileManager.default.createDirectory(atPath: folder + "/mattes", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: root + "/Samples/trimaps/000000.png", toPath: folder + "/mattes/000000.png")
        let missing = try VMatteProcess.run(["preview", clip, "--matte", folder + "/mattes", "--frames", "0-9", "-o", folder + "/sheet.png"])
        #expect(missing.status == 2 && missing.stderr.contains("no frame 3"), "stderr: \(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/sheet.png"))
    }
}
