import CFFmpeg
import MatteCore

/// How a player turns a stream's coded picture into the displayed one, from the stream's
/// display matrix, read as the ffmpeg CLI's autorotate reads it: quarter turns, half turns and
/// mirrorings. Other angles are left as coded.
public enum DisplayOrientation: String, Sendable, Codable, CaseIterable {
    case upright
    /// A quarter turn clockwise (ffmpeg's `transpose=clock`).
    case clockwise
    /// A quarter turn counterclockwise (`transpose=cclock`).
    case counterclockwise
    case halfTurn
    /// Mirrored about the main diagonal (`transpose=cclock_flip`).
    case transposed
    /// Mirrored about the other diagonal (`transpose=clock_flip`).
    case antiTransposed
    /// Left and right swapped (`hflip`).
    case mirrored
    /// Top and bottom swapped (`vflip`).
    case flipped

    /// The orientation a 3×3 display matrix (16.16 / 2.30 fixed point, row major) asks for.
    public init(displayMatrix matrix: [Int32]) {
        precondition(matrix.count == 9, "a display matrix has 9 entries")
        // av_display_rotation_get gives the counterclockwise angle; players turn the other way.
        var theta = -(matrix.withUnsafeBufferPointer { av_display_rotation_get($0.baseAddress!) }).rounded()
        theta -= 360 * (theta / 360 + 0.9 / 360).rounded(.down)
        if abs(theta - 90) < 1 {
            self = matrix[3] > 0 ? .transposed : .clockwise
        } else if abs(theta - 180) < 1 {
            switch (matrix[0] < 0, matrix[4] < 0) {
            case (true, true): self = .halfTurn
            case (true, false): self = .mirrored
            case (false, true): self = .flipped
            case (false, false): self = .upright
            }
        } else if abs(theta - 270) < 1 {
            self = matrix[3] < 0 ? .antiTransposed : .counterclockwise
        } else if abs(theta) < 1 {
            self = matrix[4] < 0 ? .flipped : .upright
        } else {
            self = .upright
        }
    }

    /// The orientation of `stream`'s display matrix side data; upright without one.
    init(stream: UnsafePointer<AVStream>) {
        var size = 0
        guard let data = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size), size >= 9 * 4 else {
            self = .upright
            return
        }
        let matrix = UnsafeRawPointer(data).withMemoryRebound(to: Int32.self, capacity: 9) { Array(UnsafeBufferPointer(start: $0, count: 9)) }
        self.init(displayMatrix: matrix)
    }

    /// True when the displayed picture is the coded one's height wide.
    public var swapsSides: Bool {
        switch self {
        case .clockwise, .counterclockwise, .transposed, .antiTransposed: true
        case .upright, .halfTurn, .mirrored, .flipped: false
        }
    }

    /// The displayed size of a coded `width`×`height` picture.
    public func displayedSize(width: Int, height: Int) -> (width: Int, height: Int) {
        swapsSides ? (height, width) : (width, height)
    }

    /// Writes the displayed picture of the coded `image` into `output` (every plane).
    public func apply(_ image: ImageTensor, into output: inout ImageTensor) {
        let w = image.width, h = image.height
        let (outWidth, outHeight) = displayedSize(width: w, height: h)
        output.reshape(width: outWidth, height: outHeight, channels: image.channels)
        // The coded pixel each displayed (x, y) shows.
        let source: (Int, Int) -> Int
        switch self {
        case .upright: source = { x, y in y * w + x }
        case .clockwise: source = { x, y in (h - 1 - x) * w + y }
        case .counterclockwise: source = { x, y in x * w + (w - 1 - y) }
        case .halfTurn: source = { x, y in (h - 1 - y) * w + (w - 1 - x) }
        case .transposed: source = { x, y in x * w + y }
        case .antiTransposed: source = { x, y in (h - 1 - x) * w + (w - 1 - y) }
        case .mirrored: source = { x, y in y * w + (w - 1 - x) }
        case .flipped: source = { x, y in (h - 1 - y) * w + x }
        }
        let plane = w * h
        image.pixels.withUnsafeBufferPointer { input in
            output.pixels.withUnsafeMutableBufferPointer { out in
                for c in 0..<image.channels {
                    let from = input.baseAddress! + c * plane, to = out.baseAddress! + c * plane
                    for y in 0..<outHeight {
                        for x in 0..<outWidth { to[y * outWidth + x] = from[source(x, y)] }
                    }
                }
            }
        }
    }
}
