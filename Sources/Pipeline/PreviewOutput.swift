import Compose
import Decode
import Encode
import Foundation
import MatteCore

/// `--preview FILE.png`: the contact sheet of a run (see `ContactSheet`), filled with the
/// chosen frames as they are matted and written when the run is done.
public final class PreviewOutput: @unchecked Sendable {
    public let path: String
    public let sheet: ContactSheet
    private let overwrite: Bool
    private let inputs: [String]

    /// Plans the sheet for the keys and the run's frames; a destination that cannot be written fails now.
    public init(path: String, keys: [Int], info: VideoStreamInfo, settings: JobSettings, input: String, between: Int = 2) throws {
        try Self.checkDestination(path, settings: settings, input: input)
        let first = settings.frameRange?.first ?? 0
        let last = settings.frameRange?.last ?? info.frameCount.map { $0 - 1 } ?? keys.max() ?? first
        self.path = path
        overwrite = settings.overwrite
        inputs = [input, settings.output]
        sheet = ContactSheet(frames: ContactSheet.chooseFrames(keys: keys, first: first, last: last, between: between),
                             keys: Set(keys), width: info.width, height: info.height)
    }

    /// Checks the sheet's name and destination before any work, writing nothing.
    public static func checkDestination(_ path: String, settings: JobSettings, input: String) throws {
        guard (path as NSString).pathExtension.lowercased() == "png" else {
            throw VMatteError.badInput("--preview writes one PNG picture: give a name ending in .png, not '\(path)'")
        }
        try PNGImageWriter.checkDestination(path, overwrite: settings.overwrite, inputs: [input, settings.output])
    }

    public func add(_ frame: VideoFrame, trimap: ImageTensor, matte: ImageTensor) {
        sheet.add(frame: frame.index, source: frame.image, trimap: trimap, matte: matte)
    }

    /// Writes the sheet of the frames this run matted (an interrupted run's finished frames are not matted again).
    public func write(quiet: Bool) throws {
        try Self.write(sheet, to: path, overwrite: overwrite, inputs: inputs, quiet: quiet)
    }

    public static func write(_ sheet: ContactSheet, to path: String, overwrite: Bool, inputs: [String], quiet: Bool) throws {
        let placed = sheet.placedFrames
        guard !placed.isEmpty else { throw VMatteError.badInput("the preview '\(path)' would show no frame: none of \(sheet.frames) was matted") }
        try PNGImageWriter.write(sheet.render(), to: path, overwrite: overwrite, inputs: inputs)
        if !quiet {
            let missing = sheet.missingFrames
            let note = missing.isEmpty ? "" : " (not matted in this run: \(missing.map(String.init).joined(separator: ", ")))"
            printError("vmatte: preview of frames \(placed.map(String.init).joined(separator: ", ")) → \(path)\(note)")
        }
    }
}
