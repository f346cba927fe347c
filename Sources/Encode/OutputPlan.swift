import CFFmpeg
import Foundation
import MatteCore

/// What an output carries in each frame.
public enum OutputContent: String, Sendable, Codable {
    /// The source RGB with straight (unpremultiplied) alpha: a cut-out.
    case cutout
    /// The alpha matte alone, as a grey picture.
    case alphaOnly = "alpha-only"
    /// Opaque RGB: a composite over a new background.
    case composite
}

/// How frames are stored: the container or sequence, the codec and its pixel format.
public struct OutputPlan: Sendable, Equatable {
    /// Where the frames go: one movie file or a numbered image sequence.
    public enum Kind: Sendable, Equatable {
        /// One file written by libavformat (`container` is its muxer name).
        case movie(container: String)
        /// Numbered PNG files; `pattern` holds one printf field for the frame index.
        case pngSequence(folder: String, pattern: String)
    }

    public var kind: Kind
    public var content: OutputContent
    /// libavcodec encoder name, e.g. "prores_ks".
    public var codec: String
    /// libav pixel format name the encoder is fed, e.g. "yuva444p10le".
    public var pixelFormat: String
    /// Private encoder options (libav AVOptions).
    public var codecOptions: [String: String]
    /// Audio codec used when the source's audio cannot be copied into this container.
    public var fallbackAudioCodec: String?

    public init(kind: Kind, content: OutputContent, codec: String, pixelFormat: String,
                codecOptions: [String: String] = [:], fallbackAudioCodec: String? = nil) {
        self.kind = kind
        self.content = content
        self.codec = codec
        self.pixelFormat = pixelFormat
        self.codecOptions = codecOptions
        self.fallbackAudioCodec = fallbackAudioCodec
    }

    /// Checks that `path` can take this plan's output, writing nothing: its folder exists and
    /// is writable, it is none of `inputs`, and an existing output is replaced only with `overwrite`.
    public func checkDestination(_ path: String, overwrite: Bool, inputs: [String]) throws {
        let (destination, isFolder) = switch kind {
        case .movie: (path, false)
        case .pngSequence(let folder, _): (folder, true)
        }
        try AtomicOutput(finalPath: destination, isFolder: isFolder, overwrite: overwrite, inputs: inputs).discard()
    }

    public var carriesAlpha: Bool { content == .cutout }
    public var isSequence: Bool { if case .pngSequence = kind { return true } else { return false } }

    /// Chooses the plan from the output path's extension:
    /// `.mov` ProRes 4444, `.webm` VP9 with alpha, `.mp4` H.264, `.mkv` FFV1 (lossless),
    /// a folder or `name%06d.png` a PNG sequence (`sixteenBit` for 16-bit PNGs).
    public static func choose(for path: String, content requested: OutputContent?, sixteenBit: Bool = false) throws -> OutputPlan {
        let ext = (path.lowercased() as NSString).pathExtension
        // A folder: a trailing slash, an existing folder, or a last component without extension.
        if ext == "png" || ext.isEmpty || path.hasSuffix("/") || Paths.isDirectory(path) {
            return try pngSequence(for: path, content: requested ?? .cutout, sixteenBit: sixteenBit)
        }
        switch ext {
        case "mov":
            let content = requested ?? .cutout
            let format = content == .cutout ? "yuva444p10le" : "yuv444p10le"
            // profile 4 = 4444; alpha_bits 16 keeps the alpha plane at full precision.
            return OutputPlan(kind: .movie(container: "mov"), content: content, codec: "prores_ks", pixelFormat: format,
                              codecOptions: ["profile": "4", "vendor": "apl0", "alpha_bits": "16"], fallbackAudioCodec: "aac")
        case "webm":
            let content = requested ?? .cutout
            return OutputPlan(kind: .movie(container: "webm"), content: content, codec: "libvpx-vp9",
                              pixelFormat: content == .cutout ? "yuva420p" : "yuv420p",
                              codecOptions: ["crf": "20", "b": "0", "row-mt": "1", "deadline": "good", "cpu-used": "4"],
                              fallbackAudioCodec: "libopus")
        case "mp4", "m4v":
            let content = requested ?? .composite
            if content == .cutout {
                throw VMatteError.badInput("'\(path)': MP4 (H.264) cannot carry alpha; write .mov (ProRes 4444), .webm or a PNG sequence, or give --background for a composite")
            }
            return OutputPlan(kind: .movie(container: "mp4"), content: content, codec: "libx264", pixelFormat: "yuv420p",
                              codecOptions: ["crf": "18", "preset": "medium"].merging(x264Determinism) { $1 }, fallbackAudioCodec: "aac")
        case "mkv":
            let content = requested ?? .cutout
            let format = content == .cutout ? "bgra" : (content == .alphaOnly ? "gray" : "bgr0")
            return OutputPlan(kind: .movie(container: "matroska"), content: content, codec: "ffv1", pixelFormat: format,
                              codecOptions: ["level": "3", "slicecrc": "1"], fallbackAudioCodec: nil)
        default:
            throw VMatteError.badInput("'\(path)': unknown output type '.\(ext)'; use .mov (ProRes 4444), .webm (VP9 with alpha), .mp4 (H.264 composite), .mkv (FFV1) or a folder / name%06d.png for PNG frames")
        }
    }

    private static func pngSequence(for path: String, content: OutputContent, sixteenBit: Bool) throws -> OutputPlan {
        let folder: String, pattern: String
        if (path as NSString).pathExtension.lowercased() == "png" {
            let name = (path as NSString).lastPathComponent
            guard name.range(of: #"%0?\d*d"#, options: .regularExpression) != nil else {
                throw VMatteError.badInput("'\(path)': a PNG output needs a frame-number field, e.g. frames/%06d.png, or a folder name")
            }
            folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
            pattern = name
        } else {
            folder = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
            pattern = "%06d.png"
        }
        let format: String
        switch (content, sixteenBit) {
        case (.cutout, false): format = "rgba"
        case (.cutout, true): format = "rgba64be"
        case (.composite, false): format = "rgb24"
        case (.composite, true): format = "rgb48be"
        case (.alphaOnly, false): format = "gray"
        case (.alphaOnly, true): format = "gray16be"
        }
        return OutputPlan(kind: .pngSequence(folder: folder, pattern: pattern), content: content, codec: "png", pixelFormat: format)
    }

    /// libx264's AVX-512 routines read memory they never wrote (run under valgrind, without
    /// them, it is clean), so the same frames code differently from one encoder to the next in a
    /// process; a resumed run must code exactly what an uninterrupted one does. On CPUs with
    /// AVX-512 x264 is limited to its AVX2 routines (all present on such CPUs); elsewhere it
    /// keeps its own choice.
    static var x264Determinism: [String: String] {
        guard av_get_cpu_flags() & Int32(AV_CPU_FLAG_AVX512) != 0 else { return [:] }
        return ["x264-params": "asm=MMX2,SSE,SSE2,SSE2Fast,LZCNT,SSE3,SSSE3,SSE4.2,AVX,FMA3,BMI2,AVX2"]
    }
}
