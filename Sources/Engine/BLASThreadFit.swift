import Foundation

/// Keeps OpenBLAS on the cores other work leaves idle for the whole of a long run: it looks
/// when first asked and again whenever `interval` has passed, so a job gives way when other
/// work starts beside it and takes the cores back when that work ends.
public final class BLASThreadFit {
    /// One change of the thread count, with the measurement behind it.
    public struct Change: Equatable, Sendable {
        public var from: Int
        public var to: Int
        public var busyCores: Double

        public init(from: Int, to: Int, busyCores: Double) {
            self.from = from
            self.to = to
            self.busyCores = busyCores
        }
    }

    /// The OpenBLAS threads in use now.
    public private(set) var threads: Int
    private let cores: Int
    private let ceiling: Int
    private let interval: TimeInterval
    private let busyCores: () -> Double?
    private let apply: (Int) -> Void
    private var lastLook: Date?

    /// A fit for `cores` cores starting from `threads` threads (never going above them);
    /// `busyCores` measures how many cores other work keeps busy, `apply` sets the count.
    public init(cores: Int, threads: Int, interval: TimeInterval,
                busyCores: @escaping () -> Double?, apply: @escaping (Int) -> Void) {
        self.cores = cores
        self.threads = threads
        self.ceiling = threads
        self.interval = interval
        self.busyCores = busyCores
        self.apply = apply
    }

    /// The fit of this process's OpenBLAS: each look pauses the caller for a tenth of a
    /// second, while its own matting is idle, so the look sees what other work asks for
    /// rather than what is left to it beside vmatte's threads.
    public convenience init(interval: TimeInterval) {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        self.init(cores: cores, threads: BLASRuntime.threadCount, interval: interval,
                  busyCores: { CPUActivity.busyCores(over: 0.1, cores: cores) },
                  apply: BLASRuntime.setThreadCount)
    }

    /// Looks at the cores if this is the first call or `interval` has passed since the last
    /// look, and moves to one thread per idle core; returns the change, nil when none.
    @discardableResult
    public func refitIfDue(now: Date = Date()) -> Change? {
        if let lastLook, now.timeIntervalSince(lastLook) < interval { return nil }
        lastLook = now
        guard cores > 1, let busy = busyCores() else { return nil }
        let fitted = min(ceiling, BLASRuntime.threadCount(cores: cores, busyCores: busy))
        guard fitted != threads else { return nil }
        let change = Change(from: threads, to: fitted, busyCores: busy)
        threads = fitted
        apply(fitted)
        return change
    }
}
