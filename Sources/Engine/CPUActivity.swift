import Foundation

/// How busy the machine's cores are right now, from the kernel's CPU time counters.
public enum CPUActivity {
    /// Busy and total jiffies summed over all cores, from the `cpu` line of /proc/stat
    /// (idle and iowait count as not busy), and this process's own share of the busy ones.
    public struct Counters: Equatable, Sendable {
        public var busy: UInt64
        public var total: UInt64
        public var own: UInt64

        public init(busy: UInt64, total: UInt64, own: UInt64 = 0) {
            self.busy = busy
            self.total = total
            self.own = own
        }

        /// Parses the aggregate `cpu ` line of a /proc/stat text; nil when there is none.
        public init?(procStat text: String) {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
            let fields = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
            guard fields.count >= 4 else { return nil }
            // user nice system idle iowait irq softirq steal [guest guest_nice, already in user/nice]
            let counted = fields.prefix(8)
            let idle = fields[3] + (fields.count > 4 ? fields[4] : 0)
            total = counted.reduce(0, +)
            busy = total - idle
            own = 0
        }

        /// A process's user + system jiffies from its /proc/PID/stat line; nil when malformed.
        public static func processTime(procPidStat text: String) -> UInt64? {
            // The command name, in parentheses, may hold spaces: count fields after its end.
            guard let close = text.lastIndex(of: ")") else { return nil }
            let fields = text[text.index(after: close)...].split(separator: " ")
            guard fields.count > 12, let user = UInt64(fields[11]), let system = UInt64(fields[12]) else { return nil }
            return user + system
        }

        /// This machine's counters now; nil where /proc/stat is unreadable.
        public static func now() -> Counters? {
            guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
                  var counters = Counters(procStat: text) else { return nil }
            // OpenBLAS's threads spin a while after each product: that is not other work.
            if let mine = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8) {
                counters.own = processTime(procPidStat: mine) ?? 0
            }
            return counters
        }
    }

    /// The number of cores other work (not this process) kept busy between two readings (0...cores).
    public static func busyCores(from start: Counters, to end: Counters, cores: Int) -> Double? {
        guard end.total > start.total, end.busy >= start.busy, end.own >= start.own else { return nil }
        let others = Double(end.busy - start.busy) - Double(end.own - start.own)
        return min(1, max(0, others / Double(end.total - start.total))) * Double(cores)
    }

    /// Watches the counters for `interval` seconds, sleeping meanwhile, and returns how many
    /// cores the rest of the machine kept busy; nil where /proc/stat is unreadable.
    public static func busyCores(over interval: TimeInterval, cores: Int) -> Double? {
        guard let start = Counters.now() else { return nil }
        Thread.sleep(forTimeInterval: interval)
        guard let end = Counters.now() else { return nil }
        return busyCores(from: start, to: end, cores: cores)
    }
}
