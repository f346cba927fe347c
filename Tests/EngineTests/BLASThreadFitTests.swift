import Engine
import Foundation
import Testing

/// The thread fit of a long run: when it looks, what it sets, and its ceiling.
@Suite struct BLASThreadFitTests {
    /// A fit whose measurements come from `readings`, one per look, recording what it sets.
    final class Probe: @unchecked Sendable {
        var readings: [Double?]
        var looks = 0
        var applied: [Int] = []
        init(_ readings: [Double?]) { self.readings = readings }

        func fit(cores: Int, threads: Int, interval: TimeInterval = 10) -> BLASThreadFit {
            BLASThreadFit(cores: cores, threads: threads, interval: interval,
                          busyCores: { [self] in
                              looks += 1
                              return readings.isEmpty ? nil : readings.removeFirst()
                          },
                          apply: { [self] in applied.append($0) })
        }
    }

    @Test func looksFirstThenOnlyWhenTheIntervalHasPassed() {
        let probe = Probe([0, 0, 0])
        let fit = probe.fit(cores: 2, threads: 2)
        let start = Date()
        fit.refitIfDue(now: start)
        fit.refitIfDue(now: start.addingTimeInterval(3))
        fit.refitIfDue(now: start.addingTimeInterval(9.9))
        #expect(probe.looks == 1)
        fit.refitIfDue(now: start.addingTimeInterval(10))
        fit.refitIfDue(now: start.addingTimeInterval(15))
        #expect(probe.looks == 2)
        fit.refitIfDue(now: start.addingTimeInterval(20.5))
        #expect(probe.looks == 3)
        #expect(probe.applied.isEmpty, "nothing changed, so nothing should be set")
    }

    @Test func givesWayWhenOtherWorkStartsAndTakesTheCoresBackWhenItEnds() {
        let probe = Probe([0.1, 1.9, 2.0, 0.2])
        let fit = probe.fit(cores: 2, threads: 2)
        let start = Date()
        #expect(fit.refitIfDue(now: start) == nil)
        #expect(fit.refitIfDue(now: start.addingTimeInterval(10)) == .init(from: 2, to: 1, busyCores: 1.9))
        #expect(fit.threads == 1)
        #expect(fit.refitIfDue(now: start.addingTimeInterval(20)) == nil)
        #expect(fit.refitIfDue(now: start.addingTimeInterval(30)) == .init(from: 1, to: 2, busyCores: 0.2))
        #expect(probe.applied == [1, 2])
    }

    @Test func neverGoesAboveTheThreadsItStartedWith() {
        let probe = Probe([0, 6, 0])
        let fit = probe.fit(cores: 8, threads: 4, interval: 1)
        let start = Date()
        #expect(fit.refitIfDue(now: start) == nil, "8 idle cores, but the run was given 4 threads")
        #expect(fit.refitIfDue(now: start.addingTimeInterval(1))?.to == 2)
        #expect(fit.refitIfDue(now: start.addingTimeInterval(2))?.to == 4)
        #expect(probe.applied == [2, 4])
    }

    @Test func changesNothingWithoutAReadingOrWithOneCore() {
        let unreadable = Probe([nil])
        let fit = unreadable.fit(cores: 2, threads: 2)
        #expect(fit.refitIfDue() == nil)
        #expect(fit.threads == 2)

        let single = Probe([1.0])
        #expect(single.fit(cores: 1, threads: 1).refitIfDue() == nil)
        #expect(single.looks == 0)
    }
}
