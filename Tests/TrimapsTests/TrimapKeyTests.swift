import Foundation
import MatteCore
import Testing
import Trimaps

@Suite struct TrimapKeyTests {
    @Test func findsFrameNumbersInNames() throws {
        let folder = NSTemporaryDirectory() + "vmatte-keys-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for name in ["000120.png", "frame_7.png", "key-30.png", "notes.txt"] {
            _ = FileManager.default.createFile(atPath: folder + "/" + name, contents: Data([1]))
        }
        let keys = try TrimapKeys.discover(in: folder)
        #expect(keys.map(\.frameIndex) == [7, 30, 120])
        _ = FileManager.default.createFile(atPath: folder + "/shot-030.png", contents: Data([1]))
        #expect(throws: VMatteError.self) { try TrimapKeys.discover(in: folder) }
    }
}
