import Decode
import MatteCore
import Trimaps

/// The mattes of a finished run, looked up by frame number.
final class RunMattes {
    private let path: String
    private let files: [Int: String]?
    private let video: FrameSource?
    private let firstFrame: Int
    private var position = 0
    private var current = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))

    init(path: String, firstFrame: Int) throws {
        self.path = path
        self.firstFrame = firstFrame
        if Paths.isDirectory(path) {
            files = Dictionary(try TrimapKeys.discover(in: path).map { ($0.frameIndex, $0.path) }, uniquingKeysWith: { $1 })
            video = nil
        } else {
            files = nil
            video = try MediaInput.open(path, options: DecodeOptions(planes: .matte, threads: 1))
        }
    }

    /// Where frame `frame`'s matte is read, for messages.
    func name(of frame: Int) -> String {
        files?[frame].map { "'\($0)'" } ?? "frame \(frame - firstFrame) of '\(path)'"
    }

    /// The matte of frame `frame`; frames are asked for in increasing order.
    func matte(for frame: Int) throws -> ImageTensor {
        if let files {
            guard let file = files[frame] else { throw VMatteError.badInput("the matte folder '\(path)' has no frame \(frame)") }
            return try readImage(file, planes: .matte)
        }
        guard let video else { preconditionFailure("a run's mattes are a folder or a video") }
        let wanted = frame - firstFrame
        while position <= wanted {
            guard try video.read(into: &current) else {
                throw VMatteError.badInput("the matte video '\(path)' ends before frame \(frame) (its first frame is frame \(firstFrame))")
            }
            position += 1
        }
        return current.image
    }
}
