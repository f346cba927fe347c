import Foundation

/// Set when the user presses Ctrl-C or the job is sent SIGTERM: the run stops after the
/// current frame, deletes its partial output and exits 1. A second signal exits at once
/// (the partial output stays under its temporary name, never the final one).
public final class InterruptFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var set = false
    private var sources: [DispatchSourceSignal] = []

    public init() {}

    /// A flag set by SIGINT and SIGTERM from now on.
    public static func listeningForSignals() -> InterruptFlag {
        let flag = InterruptFlag()
        flag.install()
        return flag
    }

    public var isSet: Bool { lock.withLock { set } }

    /// Sets the flag, as a signal does.
    public func raise() { lock.withLock { set = true } }

    /// Starts listening for SIGINT and SIGTERM.
    public func install() {
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
