import Decode
import Encode
import Foundation
import MatteCore
import Testing

/// Phone footage: a clip whose display matrix turns it a quarter turn is matted as players show
/// it, from keys of the displayed size, into upright outputs; `--no-autorotate` keeps the coded picture.
@Suite struct RotatedClipTests {
    let root = VMatteProcess.repositoryRoot
    var model: String { root + "/Tests/EngineTests/Golden/golden_weights.safetensors" }
    static let (displayedWidth, displayedHeight) = (48, 64)

    /// The displayed picture: a soft orange disc in the upper part of a portrait frame over gradients.
    static func displayed() -> (rgb: ImageTensor, alpha: ImageTensor) {
        let w = displayedWidth, h = displayedHeight
        var rgb = ImageTensor(width: w, height: h, channels: 3), alpha = ImageTensor(width: w, height: h, channels: 1)
        for y in 0..<h {
            for x in 0..<w {
                let distance = (Double((x - 16) * (x - 16) + (y - 20) * (y - 20))).squareRoot()
                let a = Float(min(1, max(0, (10 - distance) / 3 + 0.5)))
                let background = [Float(x) / Float(w), Float(y) / Float(h), 0.3]
                for (c, f) in [Float(0.95), 0.55, 0.1].enumerated() { rgb[c, y, x] = a * f + (1 - a) * background[c] }
                alpha[0, y, x] = a
            }
        }
        return (rgb, alpha)
    }

    /// The coded picture that the ffmpeg CLI's `rotate=90` tag shows as `picture` (a quarter turn
    /// counterclockwise on display: displayed (x, y) is coded (codedWidth − 1 − y, x)).
    static func coded(_ picture: ImageTensor) -> ImageTensor {
        let codedWidth = picture.height, codedHeight = picture.width
        var coded = ImageTensor(width: codedWidth, height: codedHeight, channels: picture.channels)
        for c in 0..<picture.channels {
            for y in 0..<codedHeight { for x in 0..<codedWidth { coded[c, y, x] = picture[c, codedWidth - 1 - x, y] } }
        }
        return coded
    }

    /// The trimap of `alpha`: foreground well inside, background well outside, unknown between.
    static func trimap(_ alpha: ImageTensor) -> ImageTensor {
        var trimap = alpha
        for i in trimap.pixels.indices {
            trimap.pixels[i] = alpha.pixels[i] >= 1 ? TrimapValue.foreground : alpha.pixels[i] <= 0 ? TrimapValue.background : TrimapValue.unknown
        }
        return trimap
    }

    func writePNG(_ image: ImageTensor, folder: String, index: Int, content: OutputContent) throws {
        let pattern = folder + "/%06d.png"
        let sink = try OutputWriter.open(plan: try OutputPlan.choose(for: pattern, content: content), path: pattern, overwrite: true,
                                         inputs: [], format: VideoFormat(width: image.width, height: image.height,
                                         frameRate: Rational(25, 1), timeBase: Rational(1, 25)))
        try sink.write(OutputFrame(rgb: content == .alphaOnly ? nil : image, alpha: content == .alphaOnly ? image : nil,
                                   index: index, pts: Int64(index), timeBase: Rational(1, 25)))
        try sink.finish()
    }

    func readAll(_ path: String, planes: DecodedPlanes) throws -> [ImageTensor] {
        let source = try MediaInput.open(path, options: DecodeOptions(planes: planes))
        var frame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
        var images: [ImageTensor] = []
        while try source.read(into: &frame) { images.append(frame.image) }
        return images
    }

    func maxDifference(_ a: ImageTensor, _ b: ImageTensor) -> Float {
        zip(a.pixels, b.pixels).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    @Test(.enabled(if: VMatteProcess.ffmpeg != nil, VMatteProcess.noFFmpegReason))
    func aQuarterTurnedClipIsMattedUprightFromKeysOfTheDisplayedSize() throws {
        let ffmpeg = try #require(VMatteProcess.ffmpeg)
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (picture, alpha) = Self.displayed()
        let codedPicture = Self.coded(picture)
        for index in 0..<3 { try writePNG(codedPicture, folder: folder + "/frames", index: index, content: .composite) }
        // Lossless PNG in MOV, then a stream copy with a rotate=90 tag, which the MOV muxer
        // stores as a display matrix.
        let mux = try VMatteProcess.run(["-v", "error", "-framerate", "25", "-i", folder + "/frames/%06d.png", "-c:v", "png",
                                         folder + "/coded.mov"], program: ffmpeg)
        try #require(mux.status == 0, "ffmpeg: \(mux.stderr)")
        let tag = try VMatteProcess.run(["-v", "error", "-i", folder + "/coded.mov", "-c", "copy", "-metadata:s:v:0", "rotate=90",
                                         folder + "/phone.mov"], program: ffmpeg)
        try #require(tag.status == 0, "ffmpeg: \(tag.stderr)")

        let key = Self.trimap(alpha)
        try writePNG(key, folder: folder + "/keys", index: 0, content: .alphaOnly)
        try writePNG(Self.coded(key), folder: folder + "/codedKeys", index: 0, content: .alphaOnly)

        let run = try VMatteProcess.run([folder + "/phone.mov", "--trimaps", folder + "/keys", "--model", model, "--foreground", "source",
                                         "-o", folder + "/cut.mkv", "-q"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let rgb = try readAll(folder + "/cut.mkv", planes: .rgb), mattes = try readAll(folder + "/cut.mkv", planes: .matte)
        try #require(rgb.count == 3 && mattes.count == 3)
        for frame in rgb {
            // Upright: the cut-out's colour is the displayed picture (to 8-bit rounding).
            #expect(frame.width == Self.displayedWidth && frame.height == Self.displayedHeight)
            #expect(maxDifference(frame, picture) <= 1.0 / 255 + 1e-6)
        }
        // The key frame's matte keeps the key's known regions where the displayed picture has them.
        let known = key.pixels.indices.filter { key.pixels[$0] != TrimapValue.unknown }
        #expect(known.count > 1000 && known.allSatisfy { mattes[0].pixels[$0] == key.pixels[$0] })

        // A key painted on the coded picture does not fit the displayed one…
        let coded = try VMatteProcess.run([folder + "/phone.mov", "--trimaps", folder + "/codedKeys", "--model", model,
                                           "-o", folder + "/coded.mkv", "-q"])
        #expect(coded.status == 2 && coded.stderr.contains("64x48") && coded.stderr.contains("48x64"), "stderr: \(coded.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/coded.mkv"))
        // …unless the coded picture is asked for.
        let kept = try VMatteProcess.run([folder + "/phone.mov", "--trimaps", folder + "/codedKeys", "--model", model, "--foreground", "source",
                                          "--no-autorotate", "-o", folder + "/coded.mkv", "-q"])
        #expect(kept.status == 0, "stderr: \(kept.stderr)")
        let keptFrames = try readAll(folder + "/coded.mkv", planes: .rgb)
        #expect(keptFrames.count == 3 && keptFrames.allSatisfy { $0.width == 64 && $0.height == 48 })
        if let first = keptFrames.first { #expect(maxDifference(first, codedPicture) <= 1.0 / 255 + 1e-6) }
    }
}
