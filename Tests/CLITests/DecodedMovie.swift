import Decode
import MatteCore

/// Every frame of a movie (pts and pixels) and the number of audio packets met, for comparing outputs.
struct DecodedMovie {
    var frames: [VideoFrame] = []
    var audioPackets = 0

    init(_ path: String, planes: DecodedPlanes) throws {
        let decoder = try MovieDecoder(path: path, options: DecodeOptions(planes: planes))
        var audioPackets = 0
        decoder.audioPacketHandler = { _ in audioPackets += 1 }
        var frame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
        while try decoder.read(into: &frame) { frames.append(frame) }
        self.audioPackets = audioPackets
    }
}
