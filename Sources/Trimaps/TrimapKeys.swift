import Decode
import Foundation
import MatteCore

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

    /// The keyframe trimaps of `input`, checked against its size and length: those in `folder`, or
    /// `file` keying the first frame of every shot; none when neither is given. Keys of another
    /// size of the same shape are scaled when `resize` says so; `warn` hears the checks' warnings.
    public static func load(folder: String?, file: String?, for input: String, info: VideoStreamInfo, shots: ShotList,
                            resize: Bool, warn: (String) -> Void) throws -> [KeyTrimap] {
        let found: [(frameIndex: Int, path: String)]
        if let folder { found = try discover(in: folder) } else if let file { found = [(0, file)] } else { return [] }
        let loaded = try found.map { key in
            if let count = shots.frameCount ?? (info.frameCountIsExact ? info.frameCount : nil), key.frameIndex >= count {
                throw VMatteError.badInput("the trimap '\(key.path)' is for frame \(key.frameIndex) but '\(input)' has \(count) frames (numbered from 0)")
            }
            let (checked, check) = try load(key.path, frameIndex: key.frameIndex)
            check.warnings.forEach(warn)
            var loaded = checked
            let size = (width: loaded.width, height: loaded.height)
            if size != (info.width, info.height) {
                guard resize, TrimapResize.sameAspect(size, (info.width, info.height)) else {
                    let hint = TrimapResize.sameAspect(size, (info.width, info.height)) ? " (--resize-trimaps scales it)" : ""
                    throw VMatteError.badInput("the trimap '\(key.path)' is \(size.width)x\(size.height) but '\(input)' is \(info.width)x\(info.height)\(hint)")
                }
                loaded.values = TrimapResize.nearest(loaded.values, width: info.width, height: info.height)
            }
            return loaded
        }
        guard folder == nil, let one = loaded.first else { return loaded }
        return shots.shots.map { shot in KeyTrimap(frameIndex: shot.first, path: one.path, values: one.values) }
    }
}
