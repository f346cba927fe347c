import Dispatch

/// Splits `0..<count` into contiguous chunks whose number follows from the count alone (at
/// most `maximumChunks`), run on up to `threads` cores: sums over the chunks are added in
/// chunk order, so a solve gives the same answer on any number of threads.
enum ParallelChunks {
    static let maximumChunks = 8

    static func ranges(count: Int, minimumChunk: Int, maximumChunks: Int = maximumChunks) -> [Range<Int>] {
        let chunks = max(1, min(maximumChunks, count / max(1, minimumChunk)))
        return (0..<chunks).map { $0 * count / chunks..<($0 + 1) * count / chunks }
    }

    /// Runs `body` on each of `ranges`, the ranges dealt out to up to `threads` workers.
    static func forEach(_ ranges: [Range<Int>], threads: Int, _ body: @Sendable (Int, Range<Int>) -> Void) {
        let workers = max(1, min(threads, ranges.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for chunk in stride(from: worker, to: ranges.count, by: workers) { body(chunk, ranges[chunk]) }
        }
    }

    static func forEach(count: Int, threads: Int, minimumChunk: Int, _ body: @Sendable (Range<Int>) -> Void) {
        forEach(ranges(count: count, minimumChunk: minimumChunk), threads: threads) { _, range in body(range) }
    }

    /// The sum of `body` over the chunks, added in chunk order.
    static func sum(count: Int, threads: Int, minimumChunk: Int, _ body: @Sendable (Range<Int>) -> Double) -> Double {
        let chunks = ranges(count: count, minimumChunk: minimumChunk)
        let partials = SharedBuffer<Double>(repeating: 0, count: chunks.count)
        defer { partials.free() }
        forEach(chunks, threads: threads) { chunk, range in partials[chunk] = body(range) }
        var total = 0.0
        for chunk in chunks.indices { total += partials[chunk] }
        return total
    }
}

/// Memory that parallel workers write in disjoint parts.
struct SharedBuffer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
    let count: Int

    init(repeating value: Element, count: Int) {
        base = .allocate(capacity: max(1, count))
        base.initialize(repeating: value, count: count)
        self.count = count
    }

    subscript(i: Int) -> Element {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }

    /// Copies out and frees the memory.
    func finish() -> [Element] {
        let elements = [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            _ = buffer.initialize(from: UnsafeBufferPointer(start: base, count: count))
            initialized = count
        }
        free()
        return elements
    }

    func free() {
        base.deinitialize(count: count)
        base.deallocate()
    }
}
