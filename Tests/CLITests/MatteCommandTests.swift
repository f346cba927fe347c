import Decode
import Foundation
import MatteCore
import Testing

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
}
