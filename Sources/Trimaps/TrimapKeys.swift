import Decode
import Foundation
import MatteCore

/// A painted trimap for one frame: 0 = background, 0.5 = unknown, 1 = foreground.
public struct KeyTrimap: Sendable {
    public var frameIndex: Int
    public var path: String
    public var values: ImageTensor

    public init(frameIndex: Int, path: String, values: ImageTensor) {
        self.frameIndex = frameIndex
        self.path = path
        self.values = values
    }
}

/// Finds keyframe trimaps in a folder: every image whose name holds digits, the last run of
/// digits being the zero-based frame number (`000120.png`, `frame_120.png`, `key-120.png`).
public enum TrimapKeys {
    public static func discover(in folder: String) throws -> [(frameIndex: Int, path: String)] {
        guard Paths.isDirectory(folder) else {
            throw VMatteError.badInput("the trimap folder '\(folder)' does not exist or is not a folder")
        }
        var byFrame: [Int: String] = [:]
        for path in try ImageFolderSource.listImages(in: folder) {
            let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            guard let digits = stem.split(whereSeparator: { !$0.isNumber }).last, let index = Int(digits) else { continue }
            if let existing = byFrame[index] {
                throw VMatteError.badInput("two trimaps are given for frame \(index): '\(existing)' and '\(path)'")
            }
            byFrame[index] = path
        }
        guard !byFrame.isEmpty else {
            throw VMatteError.badInput("the trimap folder '\(folder)' holds no image named with a frame number (e.g. 000000.png)")
        }
        return byFrame.sorted { $0.key < $1.key }.map { (frameIndex: $0.key, path: $0.value) }
    }

    /// Loads one trimap and checks it (see `TrimapCheck`): painted values are snapped to
    /// 0 / 0.5 / 1 and counted; a picture that is not a trimap is refused.
    public static func load(_ path: String, frameIndex: Int) throws -> (key: KeyTrimap, check: TrimapCheck) {
        var grey = try readImage(path, planes: .grey)
        let check = try TrimapCheck(grey, path: path)
        for i in grey.pixels.indices { grey.pixels[i] = TrimapValue.snap(grey.pixels[i]) }
        return (KeyTrimap(frameIndex: frameIndex, path: path, values: grey), check)
    }
}
