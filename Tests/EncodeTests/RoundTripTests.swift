import Decode
import Encode
import Foundation
import MatteCore
import Metrics
import Testing

/// Encode synthetic frames with vmatte, decode them again, and compare with what went in.
@Suite struct RoundTripTests {
    let count = 12

    @Test func pngSequenceIsExactIn8And16Bit() throws {
        let folder = TestMedia.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let rgbaPath = folder + "/rgba"
        let written = try TestMedia.writeClip(rgbaPath, plan: try OutputPlan.choose(for: rgbaPath, content: .cutout), count: count)
        let colour = try TestMedia.decodeAll(rgbaPath)
        let mattes = try TestMedia.decodeAll(rgbaPath, planes: .matte)
        #expect(colour.count == count && mattes.count == count)
        #expect(try ImageFolderSource.listImages(in: rgbaPath).map { ($0 as NSString).lastPathComponent }.first == "000000.png")
        for (index, frame) in written.enumerated() {
            // Float → 8 bit → float differs from the input by at most half a step.
            #expect(ImageErrors.maxAbsolute(colour[index].image, frame.rgb!) <= 0.5 / 255 + 1e-6)
            #expect(ImageErrors.maxAbsolute(mattes[index].image, frame.alpha!) <= 0.5 / 255 + 1e-6)
        }
        // A second round trip from the decoded 8-bit values is bit-exact.
        let again = folder + "/again/%04d.png"
        try FileManager.default.createDirectory(atPath: folder + "/again", withIntermediateDirectories: true)
        let sink = try OutputWriter.open(plan: try OutputPlan.choose(for: again, content: .cutout), path: again, overwrite: true,
                                         inputs: [], format: VideoFormat(width: 96, height: 64, frameRate: Rational(25, 1), timeBase: Rational(1, 25)))
        for index in 0..<count {
            try sink.write(OutputFrame(rgb: colour[index].image, alpha: mattes[index].image, index: index, pts: Int64(index), timeBase: Rational(1, 25)))
        }
        try sink.finish()
        let second = try TestMedia.decodeAll(folder + "/again")
        for index in 0..<count { #expect(second[index].image == colour[index].image) }

        let grey16 = folder + "/grey16"
        let greyWritten = try TestMedia.writeClip(grey16, plan: try OutputPlan.choose(for: grey16, content: .alphaOnly, sixteenBit: true), count: 3)
        let greyRead = try TestMedia.decodeAll(grey16, planes: .matte)
        for index in 0..<3 { #expect(ImageErrors.maxAbsolute(greyRead[index].image, greyWritten[index].alpha!) <= 0.5 / 65535 + 1e-6) }
    }

    @Test func ffv1IsExactWithAlpha() throws {
        let folder = TestMedia.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/clip.mkv"
        let written = try TestMedia.writeClip(path, plan: try OutputPlan.choose(for: path, content: .cutout), count: count)
        let colour = try TestMedia.decodeAll(path)
        let mattes = try TestMedia.decodeAll(path, planes: .matte)
        #expect(colour.count == count)
        for index in 0..<count {
            #expect(ImageErrors.maxAbsolute(colour[index].image, written[index].rgb!) <= 0.5 / 255 + 1e-6)
            #expect(ImageErrors.maxAbsolute(mattes[index].image, written[index].alpha!) <= 0.5 / 255 + 1e-6)
        }
        // Re-encoding the decoded frames reproduces them bit for bit.
        let copy = folder + "/copy.mkv"
        let sink = try OutputWriter.open(plan: try OutputPlan.choose(for: copy, content: .cutout), path: copy, overwrite: true, inputs: [],
                                         format: VideoFormat(width: 96, height: 64, frameRate: Rational(25, 1), timeBase: colour[0].timeBase))
        for index in 0..<count {
            try sink.write(OutputFrame(rgb: colour[index].image, alpha: mattes[index].image, index: index, pts: colour[index].pts, timeBase: colour[index].timeBase))
        }
        try sink.finish()
        let copied = try TestMedia.decodeAll(copy)
        for index in 0..<count { #expect(copied[index].image == colour[index].image) }
    }

    @Test func proRes4444KeepsAlphaWithin10BitRounding() throws {
        let folder = TestMedia.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/cut.mov"
        let written = try TestMedia.writeClip(path, plan: try OutputPlan.choose(for: path, content: nil), count: count)
        let mattes = try TestMedia.decodeAll(path, planes: .matte)
        let colour = try TestMedia.decodeAll(path)
        #expect(mattes.count == count)
        for index in 0..<count {
            // 16-bit intermediate → 10-bit alpha plane: within one 10-bit step.
            #expect(ImageErrors.maxAbsolute(mattes[index].image, written[index].alpha!) <= 1.0 / 1023)
            #expect(ImageErrors.psnr(colour[index].image, written[index].rgb!) > 40)
        }
    }

    @Test func h264CompositeIsAbovePSNRBound() throws {
        let folder = TestMedia.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/comp.mp4"
        let written = try TestMedia.writeClip(path, plan: try OutputPlan.choose(for: path, content: nil), count: count)
        let colour = try TestMedia.decodeAll(path)
        #expect(colour.count == count)
        // 4:2:0 chroma subsampling of a noisy synthetic frame bounds this well below lossless.
        for index in 0..<count { #expect(ImageErrors.psnr(colour[index].image, written[index].rgb!) > 30) }
    }

    @Test func vp9WebMCarriesAlpha() throws {
        let folder = TestMedia.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/cut.webm"
        let written = try TestMedia.writeClip(path, plan: try OutputPlan.choose(for: path, content: nil), count: count)
        // The alpha side stream is read with libvpx's decoder (the native one ignores it).
        let source = try MovieDecoder(path: path, options: DecodeOptions(planes: .rgb))
        #expect(source.info.codecName == "libvpx-vp9" && source.info.hasAlpha)
        let colour = try TestMedia.decodeAll(path)
        let mattes = try TestMedia.decodeAll(path, planes: .matte)
        #expect(colour.count == count && mattes.count == count)
        for index in 0..<count {
            #expect(ImageErrors.psnr(colour[index].image, written[index].rgb!) > 28)
            #expect(ImageErrors.psnr(mattes[index].image, written[index].alpha!) > 30)
        }
    }

    @Test(arguments: ["mov", "mkv", "mp4", "webm"])
    func frameCountAndTimestampsArePreserved(container: String) throws {
        let folder = TestMedia.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = folder + "/source.mkv"
        try TestMedia.writeClip(source, plan: try OutputPlan.choose(for: source, content: .composite), count: count)
        let original = try TestMedia.decodeAll(source)
        let target = folder + "/target.\(container)"
        let content: OutputContent = container == "mp4" ? .composite : .cutout
        let sink = try OutputWriter.open(plan: try OutputPlan.choose(for: target, content: content), path: target, overwrite: false,
                                         inputs: [source], format: VideoFormat(width: 96, height: 64, frameRate: Rational(25, 1),
                                         timeBase: original[0].timeBase))
        for frame in original {
            try sink.write(OutputFrame(rgb: frame.image, alpha: ImageTensor(width: 96, height: 64, channels: 1, fill: 1),
                                       index: frame.index, pts: frame.pts, timeBase: frame.timeBase))
        }
        try sink.finish()
        let decoded = try TestMedia.decodeAll(target)
        #expect(decoded.count == original.count, "frame count through .\(container)")
        #expect(decoded.map { ($0.seconds * 1000).rounded() } == original.map { ($0.seconds * 1000).rounded() }, "timestamps through .\(container)")
    }

    @Test func decodesDeepAndSubsampledFormats() throws {
        let folder = TestMedia.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for format in ["yuv420p", "yuv422p10le", "yuv444p", "yuv444p12le", "gbrp10le"] {
            let path = folder + "/\(format).mkv"
            var plan = try OutputPlan.choose(for: path, content: .composite)
            plan.pixelFormat = format
            let written = try TestMedia.writeClip(path, plan: plan, count: 2)
            let decoder = try MovieDecoder(path: path)
            #expect(decoder.info.pixelFormat == format)
            let decoded = try TestMedia.decodeAll(path)
            #expect(decoded.count == 2)
            let bound: Double = format.hasPrefix("yuv420") ? 30 : (format.hasPrefix("gbrp") ? 60 : 38)
            #expect(ImageErrors.psnr(decoded[1].image, written[1].rgb!) > bound, "PSNR for \(format)")
        }
    }
}
