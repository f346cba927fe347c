import ClosedForm
import Decode
import Engine
import Foundation
import MatteCore
import Testing

/// `vmatte ... --method fused`: the bundled fused network's matte, which corrects closed-form
/// matting; a plain network is refused for it.
@Suite struct FusedMethodCommandTests {
    let root = VMatteProcess.repositoryRoot

    @Test func keyFrameMatteIsTheFusedEnginesMatte() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try VMatteProcess.run([root + "/Samples/clip.mp4", "--trimaps", root + "/Samples/trimaps", "--method", "fused",
                                            "--frames", "50-50", "--alpha-only", "--sixteen-bit", "--whole-frame", "-o", folder + "/mattes", "-q"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let source = try MediaInput.open(root + "/Samples/clip.mp4", options: DecodeOptions(planes: .rgb, frameRange: FrameRange(first: 50, last: 50)))
        var frame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
        #expect(try source.read(into: &frame))
        let key = try readImage(root + "/Samples/trimaps/000050.png", planes: .grey)
        let network = try MattingNetwork(path: root + "/Models/" + ModelLocator.fusedFileName)
        #expect(network.description.usesClosedForm)
        let expected = try MattingEngine(network: network, tiles: nil).matte(rgb: frame.image, trimap: key)
        let written = try readImage(folder + "/mattes/000050.png", planes: .matte)
        let largest = zip(expected.pixels, written.pixels).map { abs($0 - $1) }.max() ?? 1
        #expect(largest < 1e-4, "largest |CLI − library| = \(largest)")
        let closedForm = try ClosedFormMatting().matte(rgb: frame.image, trimap: key)
        let correction = zip(expected.pixels, closedForm.pixels).map { abs($0 - $1) }.max() ?? 0
        #expect(correction > 1e-3, "the fused network left closed-form's matte as it was (largest change \(correction))")
    }

    @Test func refusesAPlainNetwork() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try VMatteProcess.run([root + "/Samples/clip.mp4", "--trimaps", root + "/Samples/trimaps", "--method", "fused",
                                            "--model", root + "/Models/" + ModelLocator.fileName, "-o", folder + "/a.mov"])
        #expect(result.status == 2 && result.stderr.contains("plain network"), "status \(result.status), stderr: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/a.mov"))
    }
}
