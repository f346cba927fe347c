import Foundation
@testable import Pipeline
import Testing

@Suite struct BoundedQueueTests {
    @Test func lightItemsPassAFullQueueInOrder() {
        let queue = BoundedQueue<Int>(capacity: 1)
        #expect(queue.push(1))
        #expect(queue.push(2, heavy: false) && queue.push(3, heavy: false))
        #expect([queue.pop(), queue.pop(), queue.pop()] == [1, 2, 3])
    }

    @Test func aHeavyItemWaitsForRoom() {
        let queue = BoundedQueue<Int>(capacity: 1)
        queue.push(1)
        let pushed = DispatchSemaphore(value: 0)
        Thread { queue.push(2); pushed.signal() }.start()
        #expect(pushed.wait(timeout: .now() + 0.2) == .timedOut, "the second frame waits while the first is queued")
        #expect(queue.pop() == 1)
        #expect(pushed.wait(timeout: .now() + 5) == .success)
        #expect(queue.pop() == 2)
    }

    @Test func cancellingReleasesBothSides() {
        let queue = BoundedQueue<Int>(capacity: 1)
        queue.push(1)
        queue.cancel()
        #expect(queue.pop() == nil)
        #expect(!queue.push(2))
    }
}

@Suite struct DecodedQueueTests {
    @Test func largeFramesWaitInAShorterQueue() {
        #expect(FramePipeline.decodedFrames(width: 1280, height: 720, depth: 3) == 3)
        #expect(FramePipeline.decodedFrames(width: 1600, height: 900, depth: 3) == 1)
        #expect(FramePipeline.decodedFrames(width: 1920, height: 1080, depth: 3) == 1)
        #expect(FramePipeline.decodedFrames(width: 3840, height: 2160, depth: 3) == 1)
        #expect(FramePipeline.decodedFrames(width: 320, height: 240, depth: 1) == 1)
    }
}
