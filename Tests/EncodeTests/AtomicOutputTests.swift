import Encode
import Foundation
import MatteCore
import Testing

@Suite struct AtomicOutputTests {
    @Test func writesUnderATemporaryNameAndRenames() throws {
        let folder = NSTemporaryDirectory() + "vmatte-atomic-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = try AtomicOutput(finalPath: folder + "/out.mov", isFolder: false, overwrite: false, inputs: [])
        #expect(FileManager.default.fileExists(atPath: output.temporaryPath))
        #expect(!FileManager.default.fileExists(atPath: folder + "/out.mov"))
        try "done".write(toFile: output.temporaryPath, atomically: false, encoding: .utf8)
        try output.commit()
        #expect(try String(contentsOfFile: folder + "/out.mov", encoding: .utf8) == "done")
        #expect(!FileManager.default.fileExists(atPath: output.temporaryPath))
        // Existing output: refused without --overwrite; discarded partial leaves the old file.
        #expect(throws: VMatteError.self) { try AtomicOutput(finalPath: folder + "/out.mov", isFolder: false, overwrite: false, inputs: []) }
        let again = try AtomicOutput(finalPath: folder + "/out.mov", isFolder: false, overwrite: true, inputs: [])
        again.discard()
        #expect(try String(contentsOfFile: folder + "/out.mov", encoding: .utf8) == "done")
        // The input itself, even by another spelling, is never an output.
        #expect(throws: VMatteError.self) {
            try AtomicOutput(finalPath: folder + "/./out.mov", isFolder: false, overwrite: true, inputs: [folder + "/out.mov"])
        }
    }
}
