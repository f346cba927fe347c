import Foundation

/// Set when the user presses Ctrl-C or the job is sent SIGTERM: the run stops after the
/// current frame, deletes its partial output and exits 1.
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
                self?.lock.withLock { self?.set = true }
            }
            source.resume()
            sources.append(source)
        }
    }
}
