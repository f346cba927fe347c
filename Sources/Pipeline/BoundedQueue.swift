import Foundation

/// A first-in first-out hand-over between two threads that holds at most `capacity` heavy
/// items (frames); light items (audio packets, the end marker) never block the producer.
public final class BoundedQueue<Item>: @unchecked Sendable {
    private var items: [(item: Item, heavy: Bool)] = []
    private var heavyCount = 0
    private let capacity: Int
    private let condition = NSCondition()
    private var cancelled = false

    public init(capacity: Int) {
        self.capacity = capacity
    }

    /// Adds an item, waiting while `capacity` heavy items are queued; false once cancelled.
    @discardableResult
    public func push(_ item: Item, heavy: Bool = true) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while heavy && heavyCount >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        items.append((item, heavy))
        if heavy { heavyCount += 1 }
        condition.broadcast()
        return true
    }

    /// Takes the oldest item, waiting for one; nil once cancelled.
    public func pop() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !cancelled { condition.wait() }
        if cancelled { return nil }
        let first = items.removeFirst()
        if first.heavy { heavyCount -= 1 }
        condition.broadcast()
        return first.item
    }

    /// Wakes both sides and makes every later call return at once.
    public func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
