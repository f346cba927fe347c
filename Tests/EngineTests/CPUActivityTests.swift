import Engine
import Foundation
import Testing

/// Reading how busy the cores are, and the OpenBLAS thread count that follows from it.
@Suite struct CPUActivityTests {
    @Test func parsesTheAggregateLineOfProcStat() throws {
        let text = """
        cpu  100 20 30 800 50 5 5 10 7 0
        cpu0 50 10 15 400 25 2 3 5 7 0
        intr 12345
        """
        let counters = try #require(CPUActivity.Counters(procStat: text))
        // user nice system irq softirq steal are busy; idle and iowait are not; guest is inside user.
        #expect(counters.total == 100 + 20 + 30 + 800 + 50 + 5 + 5 + 10)
        #expect(counters.busy == 100 + 20 + 30 + 5 + 5 + 10)
        #expect(CPUActivity.Counters(procStat: "cpu0 1 2 3 4\nintr 1") == nil)
        #expect(CPUActivity.Counters(procStat: "cpu  1 2") == nil)
    }

    @Test func busyCoresIsTheBusyShareOfTheTimeBetweenTwoReadings() {
        let start = CPUActivity.Counters(busy: 1_000, total: 4_000)
        #expect(CPUActivity.busyCores(from: start, to: .init(busy: 1_150, total: 4_200), cores: 2) == 1.5)
        #expect(CPUActivity.busyCores(from: start, to: .init(busy: 1_000, total: 4_200), cores: 8) == 0)
        #expect(CPUActivity.busyCores(from: start, to: start, cores: 2) == nil)
        // This process's own time is not other work.
        #expect(CPUActivity.busyCores(from: start, to: .init(busy: 1_150, total: 4_200, own: 100), cores: 2) == 0.5)
        #expect(CPUActivity.busyCores(from: start, to: .init(busy: 900, total: 4_200), cores: 2) == nil)
    }

    @Test func readsAProcessTimeFromItsStatLine() {
        let line = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 900 0 0 0 123 45 0 0 20 0 3 0 100 0 0"
        #expect(CPUActivity.Counters.processTime(procPidStat: line) == 168)
        #expect(CPUActivity.Counters.processTime(procPidStat: "4242 (x) S 1 2") == nil)
    }

    @Test func thisMachinesCountersAdvance() throws {
        let first = try #require(CPUActivity.Counters.now(), "/proc/stat is unreadable")
        Thread.sleep(forTimeInterval: 0.05)
        let second = try #require(CPUActivity.Counters.now())
        #expect(second.total > first.total)
        #expect(second.busy >= first.busy)
        // Our own spinning counts as ours, not as other work.
        // Spun until this process's counter moves on: on a loaded machine 0.1 s of wall time may
        // be far less CPU time, so the spin is bounded by a generous wall-clock limit instead.
        let spinStart = try #require(CPUActivity.Counters.now())
        let until = Date().addingTimeInterval(5)
        var x = 0.0
        var spinEnd = spinStart
        while Date() < until && spinEnd.own < spinStart.own + 5 {
            for _ in 0..<100_000 { x += 1 }
            spinEnd = try #require(CPUActivity.Counters.now())
        }
        #expect(x > 0)
        #expect(spinEnd.own >= spinStart.own + 5, "spinning counts as ticks of this process")
    }

    @Test func oneThreadPerIdleCoreAndAtLeastOne() {
        #expect(BLASRuntime.threadCount(cores: 2, busyCores: 0.1) == 2)
        #expect(BLASRuntime.threadCount(cores: 2, busyCores: 0.9) == 1)
        #expect(BLASRuntime.threadCount(cores: 2, busyCores: 2) == 1)
        #expect(BLASRuntime.threadCount(cores: 16, busyCores: 3.2) == 13)
        #expect(BLASRuntime.threadCount(cores: 1, busyCores: 0) == 1)
    }
}
