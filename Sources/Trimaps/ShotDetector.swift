import Decode
import MatteCore

/// Finds hard cuts in decoded frames: a scene-change score between consecutive frames — the
/// geometric mean of their colour-histogram distance and their mean absolute difference, on
/// a 64×36 block-averaged copy, times 100 — and a cut wherever it reaches the threshold.
/// A cut needs both a new palette (histograms) and new pictures (differences): motion within
/// a shot moves pixels but keeps the palette, a lighting change shifts the palette a little.
public struct ShotDetector: Sendable {
    /// The default threshold: cuts in the shared test clips score 23 and more, frames within a
    /// shot 10 and less (`docs/trimaps.md`).
    public static let defaultThreshold = 15.0
    static let gridWidth = 64, gridHeight = 36
    /// Levels per colour channel in the histogram (8 × 8 × 8 bins).
    static let levels = 8

    /// What the score compares: the small copy and its colour histogram.
    public struct Signature: Sendable {
        var grid: [Float]
        var histogram: [Float]
    }

    public var threshold: Double
    /// Each frame's score against the frame before (0 for the first frame).
    public private(set) var scores: [Double] = []
    /// Frames that start a new shot.
    public private(set) var cuts: [Int] = []
    private var previous: Signature?

    public init(threshold: Double = ShotDetector.defaultThreshold) {
        self.threshold = threshold
    }

    /// Frames seen so far.
    public var frameCount: Int { scores.count }

    /// Takes the next frame (3 planes, or 1 for grey); true when it starts a new shot.
    @discardableResult
    public mutating func add(_ image: ImageTensor) -> Bool {
        let signature = Self.signature(image)
        defer { previous = signature }
        guard let previous else {
            scores.append(0)
            return false
        }
        let score = Self.score(previous, signature)
        scores.append(score)
        if score >= threshold {
            cuts.append(scores.count - 1)
            return true
        }
        return false
    }

    /// The small copy and histogram of a picture.
    public static func signature(_ image: ImageTensor) -> Signature {
        let width = image.width, height = image.height
        var grid = [Float](repeating: 0, count: 3 * gridWidth * gridHeight)
        var histogram = [Float](repeating: 0, count: levels * levels * levels)
        guard width > 0, height > 0 else { return Signature(grid: grid, histogram: histogram) }
        let planeSize = width * height
        let planes = image.channels >= 3 ? [0, 1, 2] : [0, 0, 0]
        image.pixels.withUnsafeBufferPointer { pixels in
            for gy in 0..<gridHeight {
                let y0 = gy * height / gridHeight, y1 = max(y0 + 1, (gy + 1) * height / gridHeight)
                for gx in 0..<gridWidth {
                    let x0 = gx * width / gridWidth, x1 = max(x0 + 1, (gx + 1) * width / gridWidth)
                    let count = Float((y1 - y0) * (x1 - x0))
                    var bin = 0
                    for (c, plane) in planes.enumerated() {
                        var sum: Float = 0
                        let base = plane * planeSize
                        for y in y0..<min(y1, height) {
                            let row = base + y * width
                            for x in x0..<min(x1, width) { sum += pixels[row + x] }
                        }
                        let mean = min(1, max(0, sum / count))
                        grid[(c * gridHeight + gy) * gridWidth + gx] = mean
                        bin = bin * levels + min(levels - 1, Int(mean * Float(levels)))
                    }
                    histogram[bin] += 1
                }
            }
        }
        let cells = Float(gridWidth * gridHeight)
        for i in histogram.indices { histogram[i] /= cells }
        return Signature(grid: grid, histogram: histogram)
    }

    /// The scene-change score between two frames' signatures, 0 (the same) to 100.
    public static func score(_ a: Signature, _ b: Signature) -> Double {
        var histogramDistance: Float = 0
        for i in a.histogram.indices { histogramDistance += abs(a.histogram[i] - b.histogram[i]) }
        histogramDistance /= 2
        var difference: Float = 0
        for i in a.grid.indices { difference += abs(a.grid[i] - b.grid[i]) }
        difference /= Float(a.grid.count)
        return 100 * Double(histogramDistance * difference).squareRoot()
    }

    /// The scene-change score between two pictures.
    public static func score(_ a: ImageTensor, _ b: ImageTensor) -> Double {
        score(signature(a), signature(b))
    }

    /// Reads every frame of `source` and returns the detector that saw them.
    public static func detect(in source: FrameSource, threshold: Double = defaultThreshold) throws -> ShotDetector {
        var detector = ShotDetector(threshold: threshold)
        var frame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
        while try source.read(into: &frame) { detector.add(frame.image) }
        return detector
    }

    /// The shots the cuts found so far make, over the frames seen.
    public var shotList: ShotList { ShotList(cuts: cuts, frameCount: frameCount) }
}
