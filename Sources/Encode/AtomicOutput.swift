import Foundation
import MatteCore

/// An output written under a temporary name beside its final path and renamed only when
/// complete, so a failed or interrupted run never leaves a file under the final name.
public struct AtomicOutput: Sendable {
    public let finalPath: String
    public let temporaryPath: String
    public let isFolder: Bool
    public let overwrite: Bool
    /// True when the temporary folder was left by an interrupted run and is being continued.
    public let isContinuation: Bool

    /// How an output folder relates to interrupted runs.
    public enum Resume: Sendable {
        /// A temporary name of this process's own; nothing carries over.
        case never
        /// A stable temporary name that an interrupted run leaves behind for `--resume`;
        /// refused if one is already there.
        case resumable
        /// The stable name, continued if an interrupted run left it.
        case continueIfPresent
        /// The stable name, with whatever an interrupted run left there deleted first.
        case restart
    }

    /// Checks the destination and picks the temporary name. `inputs` are paths that must not be overwritten.
    public init(finalPath: String, isFolder: Bool, overwrite: Bool, inputs: [String], resume: Resume = .never) throws {
        let manager = FileManager.default
        let final = Paths.absolute(finalPath)
        for input in inputs where Paths.resolved(input) == Paths.resolved(final) {
            throw VMatteError.badInput("the output '\(finalPath)' is the input '\(input)': choose another output path")
        }
        let parent = (final as NSString).deletingLastPathComponent
        guard Paths.isDirectory(parent) else {
            throw VMatteError.badInput("cannot write '\(finalPath)': the folder '\(parent)' does not exist")
        }
        var existingIsFolder: ObjCBool = false
        if manager.fileExists(atPath: final, isDirectory: &existingIsFolder) {
            if isFolder && existingIsFolder.boolValue {
                let contents = (try? manager.contentsOfDirectory(atPath: final)) ?? []
                if !contents.isEmpty && !overwrite {
                    throw VMatteError.badInput("the output folder '\(finalPath)' is not empty; choose another or pass --overwrite")
                }
            } else if existingIsFolder.boolValue != isFolder {
                throw VMatteError.badInput("the output '\(finalPath)' exists and is a \(existingIsFolder.boolValue ? "folder" : "file")")
            } else if !overwrite {
                throw VMatteError.badInput("the output '\(finalPath)' exists; pass --overwrite to replace it")
            }
        }
        let name = (final as NSString).lastPathComponent
        let ext = (name as NSString).pathExtension
        let suffix = ext.isEmpty || isFolder ? "" : ".\(ext)"
        let stable = isFolder && resume != .never
        temporaryPath = (parent as NSString).appendingPathComponent(".\(name).vmatte-partial\(stable ? "" : "-\(getpid())")\(suffix)")
        self.finalPath = final
        self.isFolder = isFolder
        self.overwrite = overwrite
        if stable && resume == .restart && Paths.isDirectory(temporaryPath) {
            try? manager.removeItem(atPath: temporaryPath)
        }
        isContinuation = stable && Paths.isDirectory(temporaryPath)
        if isContinuation && resume == .resumable {
            throw VMatteError.badInput("an interrupted run left '\(temporaryPath)': add --resume to continue it, or --overwrite to start over")
        }
        if isContinuation { return }

        // Fail now, with the folder's name, rather than deep inside libav.
        if isFolder {
            guard mkdir(temporaryPath, 0o755) == 0 else {
                throw VMatteError.badInput("cannot write into the folder '\(parent)': \(Paths.lastErrorText())")
            }
        } else {
            let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            defer { if descriptor >= 0 { close(descriptor) } }
            guard descriptor >= 0 else {
                throw VMatteError.badInput("cannot write into the folder '\(parent)': \(Paths.lastErrorText())")
            }
        }
    }

    /// Moves the finished output to its final name. Into an existing folder, frames replace
    /// same-named frames and other files stay.
    public func commit() throws {
        if isFolder && Paths.isDirectory(finalPath) {
            let manager = FileManager.default
            for name in try manager.contentsOfDirectory(atPath: temporaryPath) {
                let destination = (finalPath as NSString).appendingPathComponent(name)
                guard rename((temporaryPath as NSString).appendingPathComponent(name), destination) == 0 else {
                    throw VMatteError.runtime("cannot move the frame '\(name)' into '\(finalPath)': \(Paths.lastErrorText())")
                }
            }
            try? manager.removeItem(atPath: temporaryPath)
            return
        }
        guard rename(temporaryPath, finalPath) == 0 else {
            throw VMatteError.runtime("cannot rename the finished output to '\(finalPath)': \(Paths.lastErrorText())")
        }
    }

    /// Removes the partial output.
    public func discard() {
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }
}
