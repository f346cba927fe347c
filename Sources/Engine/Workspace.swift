/// Working memory for the network, allocated once and reused across layers, tiles and
/// frames: fresh pages are slow to touch, reused ones are not. Buffers only grow.
public final class Workspace: @unchecked Sendable {
    private var floats: [String: (pointer: UnsafeMutablePointer<Float>, count: Int)] = [:]
    private var bytes: [String: (pointer: UnsafeMutablePointer<UInt8>, count: Int)] = [:]
    private var chains: [String: OneDNNChain] = [:]
    private var chainSizes: [String] = []
    /// Frame sizes whose oneDNN chains are kept; a new size beyond these drops the oldest.
    static let keptChainSizes = 8
    /// Why oneDNN last refused a chain (its layers then ran on OpenBLAS), nil when it never did.
    public private(set) var oneDNNProblem: String?

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

    /// The oneDNN chain `name` of `layers` at `height` × `width`, built on first use; nil
    /// where oneDNN refuses it (remembered in `oneDNNProblem`).
    func oneDNNChain(_ name: String, layers: [Convolution], height: Int, width: Int) -> OneDNNChain? {
        let size = "\(height)x\(width)"
        let key = "\(name)@\(size)"
        if let chain = chains[key] { return chain }
        if !chainSizes.contains(size) {
            chainSizes.append(size)
            if chainSizes.count > Self.keptChainSizes {
                let dropped = chainSizes.removeFirst()
                chains = chains.filter { !$0.key.hasSuffix("@\(dropped)") }
            }
        }
        do {
            let chain = try OneDNNChain(layers: layers, height: height, width: width)
            chains[key] = chain
            return chain
        } catch {
            oneDNNProblem = "\(error)"
            return nil
        }
    }

    /// Records why a built chain failed to run (its layers then ran on OpenBLAS).
    func noteOneDNNProblem(_ problem: String) { oneDNNProblem = problem }

    /// oneDNN chains built and kept.
    var oneDNNChainCount: Int { chains.count }

    /// Bytes held, for reports.
    public var allocatedBytes: Int {
        floats.values.reduce(0) { $0 + $1.count * 4 } + bytes.values.reduce(0) { $0 + $1.count } + chains.values.reduce(0) { $0 + $1.bytes }
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
