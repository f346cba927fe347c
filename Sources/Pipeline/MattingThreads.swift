import Engine
import Foundation

/// The matting threads of a run: without `--threads` or an OpenBLAS thread variable, kept on
/// the cores the rest of the machine leaves idle (`BLASThreadFit`), with each change noted
/// for the report.
public final class MattingThreads {
    /// How often a long run looks again at how busy the cores are (a tenth of a second's pause).
    public static let refitInterval: TimeInterval = 10
    /// The environment variables through which OpenBLAS users choose its thread count.
    public static let blasThreadVariables = ["OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"]

    private let fit: BLASThreadFit?
    private var changes: [String] = []

    /// Takes the first look (said on stderr, unless quiet, when it leaves cores out); no fit
    /// where the user chose the count (`threads` > 0 or a thread variable).
    public init(threads: Int, quiet: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard threads == 0, Self.blasThreadVariables.allSatisfy({ environment[$0] == nil }) else {
            fit = nil
            return
        }
        let fit = BLASThreadFit(interval: Self.refitInterval)
        if let change = fit.refitIfDue(), !quiet {
            let cores = ProcessInfo.processInfo.activeProcessorCount
            printError("vmatte: other work keeps \(String(format: "%.1f", change.busyCores)) of \(cores) cores busy: matting on \(change.to) thread\(change.to == 1 ? "" : "s") (--threads N to choose)")
        }
        self.fit = fit
    }

    /// Looks at the cores again when it is time, before matting frame `index`.
    public func refitIfDue(beforeFrame index: Int) {
        guard let change = fit?.refitIfDue() else { return }
        changes.append("\(change.from) → \(change.to) at frame \(index) (other work on \(String(format: "%.1f", change.busyCores)) cores)")
    }

    /// The report's note on the changes of the run, nil when there were none.
    public var note: String? {
        guard !changes.isEmpty else { return nil }
        let shown = changes.prefix(6).joined(separator: ", ")
        let more = changes.count > 6 ? ", and \(changes.count - 6) more" : ""
        return "matting threads followed the idle cores: \(shown)\(more)"
    }
}
