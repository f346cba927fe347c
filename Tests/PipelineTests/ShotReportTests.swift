import Foundation
import Pipeline
import Testing
import Trimaps

@Suite struct ShotReportTests {
    @Test func listsEachShotWithItsKeysAndTheFrameToPaint() throws {
        let shots = ShotList(cuts: [10], frameCount: 20)
        let report = ShotReport(input: "clip.mp4", shots: shots, source: .file("cuts.txt"), keys: [3], scores: nil)
        #expect(report.text == """
            2 shots in 20 frames (cuts from 'cuts.txt')
            shot 1: frames 0-9 (10 frames), keys 3
            shot 2: frames 10-19 (10 frames), no key: paint frame 10

            """)
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
        #expect(Set(json.keys) == ["input", "frames", "detection", "cuts", "shots"])
        #expect(json["detection"] as? String == "file" && json["cuts"] as? [Int] == [10])
    }

    @Test func withoutKeysEveryShotIsToPaintAndDetectionGivesItsThreshold() {
        let report = ShotReport(input: "clip.mp4", shots: ShotList(cuts: [], frameCount: 5), source: .detected(threshold: 15),
                                keys: nil, scores: [0, 1.5, 2, 0.25, 0])
        #expect(report.sceneThreshold == 15 && report.shots.first?.keys == nil)
        #expect(report.text.hasPrefix("1 shot in 5 frames (cuts found at scene threshold 15.0)\nshot 1: frames 0-4 (5 frames), paint frame"))
        #expect(report.text.hasSuffix("frame score\n0 0.00\n1 1.50\n2 2.00\n3 0.25\n4 0.00\n"))
    }
}
