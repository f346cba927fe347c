import Foundation

/// Shows progress on stderr: a redrawn bar on a terminal (frame n/N, fps, ETA), else a plain
/// line every few seconds; nothing when quiet.
public final class ProgressReporter: @unchecked Sendable {
    private let total: Int?
    private let quiet: Bool
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let start = Date()
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private let label: String

    public init(label: String, total: Int?, quiet: Bool) {
        self.label = label
        self.total = total
        self.quiet = quiet
    }

    public var elapsed: Double { Date().timeIntervalSince(start) }

    public func update(frames: Int) {
        guard !quiet else { return }
        lock.withLock {
            let now = Date()
            let interval = isTerminal ? 0.1 : 5.0
            guard now.timeIntervalSince(lastDraw) >= interval || frames == total else { return }
            lastDraw = now
            let seconds = now.timeIntervalSince(start)
            let fps = seconds > 0 ? Double(frames) / seconds : 0
            var text: String
            if let total, total > 0 {
                let fraction = min(1, Double(frames) / Double(total))
                let eta = fps > 0 ? Double(max(0, total - frames)) / fps : 0
                if isTerminal {
                    let width = 28, filled = Int(fraction * Double(width))
                    let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
                    text = "\r\(label) \(bar) \(frames)/\(total) \(String(format: "%.1f", fps)) fps ETA \(Self.clock(eta))  "
                } else {
                    text = "\(label): frame \(frames)/\(total) (\(Int(fraction * 100))%), \(String(format: "%.1f", fps)) fps, ETA \(Self.clock(eta))\n"
                }
            } else {
                text = isTerminal ? "\r\(label) frame \(frames) \(String(format: "%.1f", fps)) fps  "
                    : "\(label): frame \(frames), \(String(format: "%.1f", fps)) fps\n"
            }
            FileHandle.standardError.write(Data(text.utf8))
        }
    }

    /// Ends the bar's line on a terminal.
    public func finishLine() {
        guard !quiet, isTerminal else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }

    public static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return whole >= 3600 ? String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
            : String(format: "%d:%02d", whole / 60, whole % 60)
    }
}
