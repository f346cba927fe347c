import COneDNN

/// A run of convolutions of one frame size built once in oneDNN (primitives, reordered
/// weights, blocked intermediates) and executed between planar input and output maps.
final class OneDNNChain {
    private let chain: OpaquePointer
    let outputChannels: Int
    /// The kernel oneDNN chose for the first convolution, e.g. "jit:avx2".
    let implementation: String
    /// Bytes the chain holds itself (reordered weights).
    let bytes: Int
    /// Bytes each of the two scratch buffers it runs with must hold.
    let scratchBytes: Int

    init(layers: [Convolution], height: Int, width: Int) throws {
        precondition(!layers.isEmpty)
        var error = [CChar](repeating: 0, count: 256)
        let made: OpaquePointer? = Self.withLayerDescriptions(layers) { descriptions in
            onednn_chain_create(descriptions, Int32(descriptions.count), Int32(height), Int32(width), &error, error.count)
        }
        guard let made else { throw OneDNNError(message: String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)) }
        chain = made
        outputChannels = layers.last!.outputChannels
        implementation = String(cString: onednn_chain_implementation(made))
        bytes = onednn_chain_bytes(made)
        scratchBytes = onednn_chain_scratch_bytes(made)
    }

    deinit { onednn_chain_destroy(chain) }

    /// Runs the chain from `source`'s planes into `destination`'s on `threads` threads, with the
    /// maps between its layers in the workspace's two oneDNN buffers (shared by every chain).
    func run(_ source: FeatureMap, into destination: FeatureMap, workspace: Workspace, threads: Int) throws {
        let floats = (scratchBytes + 3) / 4
        let status = onednn_chain_run(chain, source.data, destination.data, workspace.floats("onednn.a", count: floats),
                                      workspace.floats("onednn.b", count: floats), Int32(threads))
        guard status == 0 else { throw OneDNNError(message: "oneDNN: a convolution failed (status \(status))") }
    }

    /// The C descriptions point into the layers' arrays, valid only inside `body`.
    private static func withLayerDescriptions<R>(_ layers: [Convolution], _ body: ([onednn_layer]) -> R) -> R {
        func describe(_ index: Int, _ built: [onednn_layer]) -> R {
            guard index < layers.count else { return body(built) }
            let layer = layers[index]
            return layer.weights.withUnsafeBufferPointer { weights in
                layer.bias.withUnsafeBufferPointer { bias in
                    describe(index + 1, built + [onednn_layer(input_channels: Int32(layer.inputChannels), output_channels: Int32(layer.outputChannels),
                                                              kernel: Int32(layer.kernel), relu: layer.relu ? 1 : 0,
                                                              weights: weights.baseAddress, bias: bias.baseAddress)])
                }
            }
        }
        return describe(0, [])
    }
}

/// oneDNN refused a convolution (the engine then runs it on OpenBLAS).
struct OneDNNError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
