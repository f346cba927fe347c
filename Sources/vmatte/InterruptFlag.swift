import Foundation

/// Set when the user presses Ctrl-C or the job is sent SIGTERM: the run stops after the
/// current frame, deletes its partial output and exits 1. A second signal exits at once
/// (the partial output stays under its temporary name, never the final one).
final class InterruptFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var set = false
    private var sources: [DispatchSourceSignal] = []

    var isSet: Bool { lock.withLock { set } }

    /// Starts listening for SIGINT and SIGTERM.
    func install() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                let again = self.lock.withLock { () -> Bool in
                    defer { self.set = true }
                    return self.set
                }
                if again { _exit(130) }
            }
            source.resume()
            sources.append(source)
        }
    }
}
