import Dispatch

/// Splits `0..<count` into contiguous chunks run on up to `threads` cores.
enum ParallelChunks {
    static func forEach(count: Int, threads: Int, minimumChunk: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let chunks = max(1, min(threads, count / max(1, minimumChunk)))
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            body(chunk * count / chunks..<(chunk + 1) * count / chunks)
        }
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
