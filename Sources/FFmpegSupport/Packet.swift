import CFFmpeg

/// An owned AVPacket that may be handed from the decoding thread to the encoding thread.
public final class Packet: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<AVPacket>

    public init() {
        guard let packet = av_packet_alloc() else { fatalError("out of memory allocating an AVPacket") }
        pointer = packet
    }

    /// A new reference to the same payload (no copy of the data).
    public init(referencing source: UnsafePointer<AVPacket>) {
        guard let packet = av_packet_alloc() else { fatalError("out of memory allocating an AVPacket") }
        av_packet_ref(packet, source)
        pointer = packet
    }

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&packet)
    }
}
