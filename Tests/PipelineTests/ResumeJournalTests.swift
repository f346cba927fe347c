import Encode
import Foundation
import MatteCore
import Pipeline
import Testing

@Suite struct ResumeJournalTests {
    @Test func aPartialFolderContinuesOnlyTheJobThatMadeIt() throws {
        let folder = NSTemporaryDirectory() + "vmatte-journal-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let plan = try OutputPlan.choose(for: "mattes/", content: .alphaOnly)
        let journal = ResumeJournal(command: "matte", input: "clip.mp4", frames: "0-9", plan: plan)
        try journal.check(in: folder)
        #expect(FileManager.default.fileExists(atPath: folder + "/" + ResumeJournal.fileName))
        try journal.check(in: folder)
        for other in [ResumeJournal(command: "transcode", input: "clip.mp4", frames: "0-9", plan: plan),
                      ResumeJournal(command: "matte", input: "other.mp4", frames: "0-9", plan: plan),
                      ResumeJournal(command: "matte", input: "clip.mp4", frames: "0-19", plan: plan),
                      ResumeJournal(command: "matte", input: "clip.mp4", frames: "0-9",
                                    plan: try OutputPlan.choose(for: "mattes/", content: .alphaOnly, sixteenBit: true))] {
            #expect(throws: VMatteError.self) { try other.check(in: folder) }
        }
        ResumeJournal.remove(from: folder)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }
}
