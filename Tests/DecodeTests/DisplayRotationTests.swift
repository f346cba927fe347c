import CFFmpeg
import Decode
import Foundation
import MatteCore
import Testing

/// Display matrices read as the ffmpeg CLI's autorotate reads them, and decoded frames turned
/// upright exactly as it turns them.
@Suite struct DisplayRotationTests {
    func matrix(rotation degrees: Double, hflip: Bool = false, vflip: Bool = false) -> [Int32] {
        var matrix = [Int32](repeating: 0, count: 9)
        matrix.withUnsafeMutableBufferPointer { pointer in
            av_display_rotation_set(pointer.baseAddress!, degrees)
            if hflip || vflip { av_display_matrix_flip(pointer.baseAddress!, hflip ? 1 : 0, vflip ? 1 : 0) }
        }
        return matrix
    }

    @Test func readsQuarterAndHalfTurnsAndMirrorsFromTheMatrix() {
        // av_display_rotation_set takes the clockwise angle (av_display_rotation_get gives the counterclockwise one).
        #expect(DisplayOrientation(displayMatrix: matrix(rotation: 0)) == .upright)
        #expect(DisplayOrientation(displayMatrix: matrix(rotation: 90)) == .clockwise)
        #expect(DisplayOrientation(displayMatrix: matrix(rotation: -90)) == .counterclockwise)
        #expect(DisplayOrientation(displayMatrix: matrix(rotation: 270)) == .counterclockwise)
        #expect(DisplayOrientation(displayMatrix: matrix(rotation: 180)) == .halfTurn)
        #expect(DisplayOrientation(displayMatrix: matrix(rotation: 0, hflip: true)) == .mirrored)
        #expect(DisplayOrientation(displayMatrix: matrix(rotation: 0, vflip: true)) == .flipped)
        #expect(DisplayOrientation(displayMatrix: matrix(rotation: 33)) == .upright)  // not a right angle: left as coded
    }

    @Test func turnsEveryPlaneOfTheCodedPicture() {
        // Coded 3×2, two planes: values 0…5 (and 10…15) in reading order.
        let coded = ImageTensor(width: 3, height: 2, channels: 2, pixels: (0..<6).map(Float.init) + (10..<16).map(Float.init))
        func shown(_ orientation: DisplayOrientation) -> ImageTensor {
            var output = ImageTensor(width: 0, height: 0, channels: 1)
            orientation.apply(coded, into: &output)
            return output
        }
        // 0 1 2      clockwise: 3 0     counterclockwise: 2 5
        // 3 4 5                 4 1                       1 4
        //                       5 2                       0 3
        #expect(shown(.clockwise).width == 2 && shown(.clockwise).height == 3)
        #expect(shown(.clockwise).pixels == [3, 0, 4, 1, 5, 2, 13, 10, 14, 11, 15, 12])
        #expect(Array(shown(.counterclockwise).pixels.prefix(6)) == [2, 5, 1, 4, 0, 3])
        #expect(Array(shown(.halfTurn).pixels.prefix(6)) == [5, 4, 3, 2, 1, 0])
        #expect(Array(shown(.transposed).pixels.prefix(6)) == [0, 3, 1, 4, 2, 5])
        #expect(Array(shown(.antiTransposed).pixels.prefix(6)) == [5, 2, 4, 1, 3, 0])
        #expect(Array(shown(.mirrored).pixels.prefix(6)) == [2, 1, 0, 5, 4, 3])
        #expect(Array(shown(.flipped).pixels.prefix(6)) == [3, 4, 5, 0, 1, 2])
        #expect(shown(.upright).pixels == coded.pixels)
    }

    /// Runs the ffmpeg CLI; true when it succeeds.
    func ffmpeg(_ arguments: [String]) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(DecodeTestFiles.tool("ffmpeg")))
        process.arguments = ["-v", "error", "-y"] + arguments
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test(.enabled(if: DecodeTestFiles.tool("ffmpeg") != nil, "the ffmpeg CLI is not installed (.ci/run installs it)"))
    func decodesRotatedClipsAsTheFFmpegCLIShowsThem() throws {
        let folder = DecodeTestFiles.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Lossless RGB (PNG in MOV), so both decoders give the same values exactly.
        try #require(try ffmpeg(["-f", "lavfi", "-i", "testsrc=size=40x30:rate=25", "-frames:v", "2", "-c:v", "png", folder + "/coded.mov"]))
        let coded = try readImage(folder + "/coded.mov")
        for tag in [90, 180, 270] {
            let clip = folder + "/rotate\(tag).mov", raw = folder + "/rotate\(tag).rgb"
            try #require(try ffmpeg(["-i", folder + "/coded.mov", "-c", "copy", "-metadata:s:v:0", "rotate=\(tag)", clip]))
            try #require(try ffmpeg(["-i", clip, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", raw]))
            let decoder = try MovieDecoder(path: clip)
            #expect(decoder.info.displayMatrixOrientation != .upright && decoder.info.orientation == decoder.info.displayMatrixOrientation)
            var frame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
            try #require(try decoder.read(into: &frame))
            let image = frame.image
            let expectedSize = tag == 180 ? (40, 30) : (30, 40)
            #expect((decoder.info.width, decoder.info.height) == expectedSize && (image.width, image.height) == expectedSize, "rotate=\(tag)")
            let reference = [UInt8](try Data(contentsOf: URL(fileURLWithPath: raw)))
            try #require(reference.count == image.planeSize * 3)
            var differing = 0
            for i in 0..<image.planeSize {
                for c in 0..<3 where UInt8((image.pixels[c * image.planeSize + i] * 255).rounded()) != reference[i * 3 + c] { differing += 1 }
            }
            #expect(differing == 0, "rotate=\(tag): \(differing) samples differ from the ffmpeg CLI's picture")

            var options = DecodeOptions()
            options.autorotate = false
            let asCoded = try MovieDecoder(path: clip, options: options)
            #expect(asCoded.info.orientation == .upright && asCoded.info.width == 40 && asCoded.info.height == 30)
            var codedFrame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
            try #require(try asCoded.read(into: &codedFrame))
            #expect(codedFrame.image.pixels == coded.pixels)
        }
    }
}
