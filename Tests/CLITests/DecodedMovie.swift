import Decode
import MatteCore

/// Every frame of a movie (pts and pixels) and its audio packets, for comparing outputs.
struct DecodedMovie {
    var frames: [VideoFrame] = []
    /// The payload of each audio packet, in file order.
    var audio: [[UInt8]]

    init(_ path: String, planes: DecodedPlanes) throws {
        let decoder = try MovieDecoder(path: path, options: DecodeOptions(planes: planes))
        var frame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
        while try decoder.read(into: &frame) { frames.append(frame) }
        audio = try AudioPackets.payloads(path)
    }

    var audioPackets: Int { audio.count }
}
