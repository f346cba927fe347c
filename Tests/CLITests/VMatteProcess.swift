import Foundation
import Testing

/// Runs the built `vmatte` executable the way a user or a pipeline would.
struct VMatteProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `vmatte` binary beside the test bundle in the build folder.
    static let executable: String = {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("vmatte").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        return "vmatte"
    }()

    /// The installed ffmpeg CLI, which some tests use to make their inputs.
    static let ffmpeg = ["/usr/bin/ffmpeg", "/usr/local/bin/ffmpeg"].first(where: FileManager.default.isExecutableFile)
    static let noFFmpegReason: Comment = "the ffmpeg CLI is not installed (.ci/run installs it)"

    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }()

    /// Runs vmatte (or `program`) with `arguments`, killing it after `timeout` seconds.
    /// `interruptAfter` sends SIGINT (Ctrl-C) after that many seconds, `killAfter` SIGKILL.
    /// `signalWhen` is polled while it runs; once it holds, `signal` is sent (SIGKILL by default).
    /// `workingDirectory` and `environment` default to the test's own.
    static func run(_ arguments: [String], timeout: TimeInterval = 120, interruptAfter: TimeInterval? = nil,
                    killAfter: TimeInterval? = nil, signalWhen: (() -> Bool)? = nil, signal: Int32 = SIGKILL,
                    program: String? = nil, workingDirectory: String? = nil, environment: [String: String]? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program ?? executable)
        process.arguments = arguments
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        if let environment { process.environment = environment }
        // Files, not pipes: a chatty process can never block on a full pipe.
        let capture = NSTemporaryDirectory() + "vmatte-capture-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: capture + ".out", contents: nil)
        FileManager.default.createFile(atPath: capture + ".err", contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: capture + ".out")
            try? FileManager.default.removeItem(atPath: capture + ".err")
        }
        process.standardOutput = FileHandle(forWritingAtPath: capture + ".out")
        process.standardError = FileHandle(forWritingAtPath: capture + ".err")
        process.standardInput = FileHandle.nullDevice
        try process.run()
        if let interruptAfter {
            Thread.sleep(forTimeInterval: interruptAfter)
            process.interrupt()
        }
        if let killAfter {
            Thread.sleep(forTimeInterval: killAfter)
            kill(process.processIdentifier, SIGKILL)
        }
        let deadline = Date().addingTimeInterval(timeout)
        var signalled = false
        while process.isRunning && Date() < deadline {
            if !signalled, let signalWhen, signalWhen() {
                kill(process.processIdentifier, signal)
                signalled = true
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let stdout = (try? String(contentsOfFile: capture + ".out", encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: capture + ".err", encoding: .utf8)) ?? ""
        return Result(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    static func temporaryFolder() -> String {
        let path = NSTemporaryDirectory() + "vmatte-cli-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
