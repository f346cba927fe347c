import ClosedForm
import Decode
import Foundation
import MatteCore
import Testing

/// `vmatte ... --method closed-form` and `--method knn`: the command mattes with the classical
/// solver, the same matte the library gives for the frame and its key, and refuses network options.
@Suite struct ClosedFormCommandTests {
    let root = VMatteProcess.repositoryRoot

    @Test(arguments: ["closed-form", "knn"]) func keyFrameMatteIsTheSolversMatte(method: String) throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try VMatteProcess.run([root + "/Samples/clip.mp4", "--trimaps", root + "/Samples/trimaps", "--method", method,
                                            "--frames", "50-50", "--alpha-only", "--sixteen-bit", "-o", folder + "/mattes", "--json", "-q"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains(method == "knn" ? "KNN matting" : "closed-form matting"))
        let source = try MediaInput.open(root + "/Samples/clip.mp4", options: DecodeOptions(planes: .rgb, frameRange: FrameRange(first: 50, last: 50)))
        var frame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
        #expect(try source.read(into: &frame))
        let key = try readImage(root + "/Samples/trimaps/000050.png", planes: .grey)
        let solver: any AlphaMatting = method == "knn" ? KNNMatting() : ClosedFormMatting()
        let expected = try solver.matte(rgb: frame.image, trimap: key)
        let written = try readImage(folder + "/mattes/000050.png", planes: .matte)
        let largest = zip(expected.pixels, written.pixels).map { abs($0 - $1) }.max() ?? 1
        #expect(largest < 1e-4, "largest |CLI − library| = \(largest)")
        #expect(expected.pixels.contains { $0 > 0.05 && $0 < 0.95 })
    }

    @Test(arguments: ["closed-form", "knn"]) func refusesNetworkOptions(method: String) throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try VMatteProcess.run([root + "/Samples/clip.mp4", "--trimaps", root + "/Samples/trimaps", "--method", method,
                                            "--mirror-average", "-o", folder + "/a.mov"])
        #expect(result.status == 2 && result.stderr.contains("--method dim"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/a.mov"))
    }

    @Test func knnRefusesAClosedFormTolerance() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try VMatteProcess.run([root + "/Samples/clip.mp4", "--trimaps", root + "/Samples/trimaps", "--method", "knn",
                                            "--closed-form-tolerance", "1e-3", "-o", folder + "/a.mov"])
        #expect(result.status == 2 && result.stderr.contains("--closed-form-tolerance is for"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/a.mov"))
    }
}
