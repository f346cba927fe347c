import Decode
import Foundation
import MatteCore
import Metrics

/// The trimaps of an evaluation: one image for every frame, or one per frame from a folder.
struct EvaluationTrimaps {
    let path: String
    let files: [String]
    let single: ImageTensor?

    init(path: String) throws {
        self.path = path
        if Paths.isDirectory(path) {
            files = try ImageFolderSource.listImages(in: path)
            if files.isEmpty { throw VMatteError.badInput("--trimaps: the folder '\(path)' holds no images") }
            single = nil
        } else {
            guard FileManager.default.fileExists(atPath: path) else { throw VMatteError.badInput("--trimaps: '\(path)' does not exist") }
            files = [path]
            single = try Self.load(path)
        }
    }

    func requireCount(_ frames: Int) throws {
        guard single == nil, files.count != frames else { return }
        throw VMatteError.badInput("--trimaps: the folder '\(path)' holds \(files.count) trimap\(files.count == 1 ? "" : "s") but the mattes have \(frames) frame\(frames == 1 ? "" : "s")")
    }

    /// The region of frame `frame`, whose mattes are `width`×`height`.
    func region(for frame: Int, width: Int, height: Int) throws -> EvaluationRegion {
        guard single != nil || frame < files.count else {
            throw VMatteError.badInput("--trimaps: the folder '\(path)' holds \(files.count) trimap\(files.count == 1 ? "" : "s") but the mattes have more frames")
        }
        let file = single == nil ? files[frame] : path
        let image = try single ?? Self.load(file)
        guard image.width == width, image.height == height else {
            throw VMatteError.badInput("the trimap '\(file)' is \(image.width)x\(image.height) but the mattes\(single == nil ? "" : " of frame \(frame)") are \(width)x\(height)")
        }
        return EvaluationRegion(trimap: image)
    }

    static func load(_ file: String) throws -> ImageTensor {
        do {
            return try readImage(file, planes: .grey)
        } catch let error as VMatteError {
            throw VMatteError(error.kind, "--trimaps: \(error.message)")
        }
    }
}
