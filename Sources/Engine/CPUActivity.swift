import Foundation

/// How busy the machine's cores are right now, from the kernel's CPU time counters.
public enum CPUActivity {
    /// Busy and total jiffies summed over all cores, from the `cpu` line of /proc/stat
    /// (idle and iowait count as not busy).
    public struct Counters: Equatable, Sendable {
        public var busy: UInt64
        public var total: UInt64

        public init(busy: UInt64, total: UInt64) {
            self.busy = busy
            self.total = total
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
        }

        /// This machine's counters now; nil where /proc/stat is unreadable.
        public static func now() -> Counters? {
            guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
            return Counters(procStat: text)
        }
    }

    /// The number of cores other work kept busy between two readings (0...cores).
    public static func busyCores(from start: Counters, to end: Counters, cores: Int) -> Double? {
        guard end.total > start.total, end.busy >= start.busy else { return nil }
        let share = Double(end.busy - start.busy) / Double(end.total - start.total)
        return min(1, max(0, share)) * Double(cores)
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
