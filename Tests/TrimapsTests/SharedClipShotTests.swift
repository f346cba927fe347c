import Decode
import Foundation
import MatteCore
import Testing
import Trimaps

/// The shot detector on the real clips of ../shared/data/videos (skipped without them): the
/// cuts where they are, none inside a continuous shot, at the default threshold — the table in
/// docs/trimaps.md.
private let sharedVideos = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("../shared/data/videos").standardizedFileURL.path

@Suite(.enabled(if: FileManager.default.fileExists(atPath: sharedVideos + "/bikes.mp4"),
                "../shared/data/videos is absent (a user's clone has no shared data): the detector's real-clip table is not checked"))
struct SharedClipShotTests {
    static let videos = sharedVideos

    /// Every frame of a clip, or `limit` of them, scaled by nearest neighbour to `size` when given.
    static func frames(_ name: String, size: (width: Int, height: Int)? = nil) throws -> [ImageTensor] {
        let source = try MediaInput.open(videos + "/" + name, options: DecodeOptions(planes: .rgb, threads: 2))
        var frame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
        var frames: [ImageTensor] = []
        while try source.read(into: &frame) { frames.append(size.map { resized(frame.image, to: $0) } ?? frame.image) }
        return frames
    }

    static func resized(_ image: ImageTensor, to size: (width: Int, height: Int)) -> ImageTensor {
        var result = ImageTensor(width: size.width, height: size.height, channels: 3)
        for c in 0..<3 {
            for y in 0..<size.height {
                let sourceRow = c * image.planeSize + (y * image.height / size.height) * image.width
                for x in 0..<size.width { result.pixels[c * size.width * size.height + y * size.width + x] = image.pixels[sourceRow + x * image.width / size.width] }
            }
        }
        return result
    }

    /// Detects on `frames`, prints the table row and returns the cuts.
    static func detect(_ label: String, _ frames: [ImageTensor], expected: [Int]) -> [Int] {
        var detector = ShotDetector()
        for frame in frames { detector.add(frame) }
        let cutScores = expected.map { detector.scores[$0] }
        let within = detector.scores.enumerated().filter { !expected.contains($0.offset) }.map(\.element).max() ?? 0
        print("| \(label) | \(frames.count) | \(expected) | \(detector.cuts) | \(String(format: "%.1f", cutScores.min() ?? .nan)) | \(String(format: "%.1f", within)) | \(ShotDetector.defaultThreshold) |")
        return detector.cuts
    }

    @Test func findsTheCutsOfTheSharedClipsAndNoneInsideAShot() throws {
        #expect(Self.detect("bikes.mp4", try Self.frames("bikes.mp4"), expected: [30, 76, 137, 187, 242]) == [30, 76, 137, 187, 242])
        #expect(Self.detect("cityCC0.mpg", try Self.frames("cityCC0.mpg"), expected: [116]) == [116])
        #expect(Self.detect("carphone_pristine.mp4", try Self.frames("carphone_pristine.mp4"), expected: []) == [])
    }

    /// Clips joined end to end (scaled to carphone's 176×144): the joins are cuts as well.
    @Test func findsTheJoinsOfClipsJoinedEndToEnd() throws {
        let carphone = try Self.frames("carphone_pristine.mp4")
        let city = try Self.frames("cityCC0.mpg", size: (176, 144))
        #expect(Self.detect("carphone + cityCC0", carphone + city, expected: [120, 236]) == [120, 236])
        let bikes = try Self.frames("bikes.mp4", size: (176, 144))
        #expect(Self.detect("cityCC0 0-115 + bikes 0-29 + carphone", Array(city[0..<116]) + Array(bikes[0..<30]) + carphone, expected: [116, 146])
                == [116, 146])
    }
}
