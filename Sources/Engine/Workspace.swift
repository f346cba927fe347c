/// Working memory for the network, allocated once and reused across layers, tiles and
/// frames: fresh pages are slow to touch, reused ones are not. Buffers only grow.
public final class Workspace: @unchecked Sendable {
    private var floats: [String: (pointer: UnsafeMutablePointer<Float>, count: Int)] = [:]
    private var bytes: [String: (pointer: UnsafeMutablePointer<UInt8>, count: Int)] = [:]

    public init() {}

    deinit {
        for (_, buffer) in floats { buffer.pointer.deallocate() }
        for (_, buffer) in bytes { buffer.pointer.deallocate() }
    }

    /// A float buffer of at least `count` elements (contents undefined).
    func floats(_ name: String, count: Int) -> UnsafeMutablePointer<Float> {
        if let buffer = floats[name], buffer.count >= count { return buffer.pointer }
        floats[name]?.pointer.deallocate()
        let pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        floats[name] = (pointer, max(count, 1))
        return pointer
    }

    /// A byte buffer of at least `count` elements (contents undefined).
    func bytes(_ name: String, count: Int) -> UnsafeMutablePointer<UInt8> {
        if let buffer = bytes[name], buffer.count >= count { return buffer.pointer }
        bytes[name]?.pointer.deallocate()
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(count, 1))
        bytes[name] = (pointer, max(count, 1))
        return pointer
    }

    /// Bytes held, for reports.
    public var allocatedBytes: Int {
        floats.values.reduce(0) { $0 + $1.count * 4 } + bytes.values.reduce(0) { $0 + $1.count }
    }
}

/// A view of `channels` planes of `height` × `width` floats in workspace memory.
public struct FeatureMap: @unchecked Sendable {
    public var data: UnsafeMutablePointer<Float>
    public var channels: Int
    public var height: Int
    public var width: Int

    public var planeSize: Int { height * width }
    public var count: Int { channels * height * width }

    /// Channel `c`'s plane.
    @inline(__always) func plane(_ c: Int) -> UnsafeMutablePointer<Float> { data + c * planeSize }
}
