import MatteCore
import Testing

@Suite struct FrameRangeTests {
    @Test func parsesTheThreeForms() {
        #expect(FrameRange(parsing: "10-20") == FrameRange(first: 10, last: 20))
        #expect(FrameRange(parsing: "7-") == FrameRange(first: 7, last: nil))
        #expect(FrameRange(parsing: "42") == FrameRange(first: 42, last: 42))
        #expect(FrameRange(parsing: "20-10") == nil)
        #expect(FrameRange(parsing: "-3") == nil)
        #expect(FrameRange(parsing: "a-b") == nil)
    }

    @Test func knowsWhatItContains() {
        let range = FrameRange(first: 2, last: 4)
        #expect(!range.contains(1) && range.contains(2) && range.contains(4) && !range.contains(5))
        #expect(range.isPast(5) && !range.isPast(4))
        #expect(!FrameRange(first: 3, last: nil).isPast(1_000_000))
    }
}
