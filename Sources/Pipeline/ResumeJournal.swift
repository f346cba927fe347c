import Encode
import Foundation
import MatteCore

/// A note kept in a partial PNG-sequence output saying which job made it, so `--resume`
/// continues only the same job (same command, input, frame range and pixel format).
public struct ResumeJournal: Codable, Equatable, Sendable {
    public static let fileName = ".vmatte-journal.json"

    public var command: String
    public var input: String
    public var frames: String?
    public var pixelFormat: String

    public init(command: String, input: String, frames: String?, plan: OutputPlan) {
        self.command = command
        self.input = Paths.resolved(input)
        self.frames = frames
        pixelFormat = plan.pixelFormat
    }

    /// Writes the journal into a new partial folder, or checks the one an interrupted run left.
    public func check(in folder: String) throws {
        let path = (folder as NSString).appendingPathComponent(Self.fileName)
        if let data = FileManager.default.contents(atPath: path) {
            guard let previous = try? JSONDecoder().decode(ResumeJournal.self, from: data), previous == self else {
                throw VMatteError.badInput("the partial output '\(folder)' was made by another job (another input, range or format): delete it or resume that job")
            }
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Removes the journal before the folder becomes the output.
    public static func remove(from folder: String) {
        try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(fileName))
    }
}
