import Foundation
import MatteCore

/// A preview contact sheet of a matting run: for each chosen frame (the keys and a few frames
/// between them), its source picture, its trimap and its matte composited over a checkerboard,
/// scaled to tiles under a label with the frame number. Frames may be added from any thread.
public final class ContactSheet: @unchecked Sendable {
    /// Where things go on the sheet, in pixels.
    public struct Layout: Sendable, Equatable {
        public var tileWidth: Int
        public var tileHeight: Int
        /// Frames side by side in one row of the sheet.
        public var framesPerRow: Int
        public var margin = 8
        /// Between the three tiles of a frame.
        public var tileGap = 4
        /// Between the frames of a row, and between rows.
        public var frameGap = 16
        public var labelScale = 2
        public var labelHeight: Int { BitmapFont.glyphHeight * labelScale + 6 }
        public var frameWidth: Int { 3 * tileWidth + 2 * tileGap }
        public var frameHeight: Int { labelHeight + tileHeight }

        /// Tiles of `tileWidth` for pictures of `width`×`height`.
        public init(tileWidth: Int, width: Int, height: Int, framesPerRow: Int = 2) {
            self.tileWidth = max(1, tileWidth)
            tileHeight = max(1, Int((Double(self.tileWidth) * Double(height) / Double(max(width, 1))).rounded()))
            self.framesPerRow = max(1, framesPerRow)
        }

        /// The top-left corner of the `slot`-th frame's label.
        public func frameOrigin(slot: Int) -> (x: Int, y: Int) {
            (margin + (slot % framesPerRow) * (frameWidth + frameGap), margin + (slot / framesPerRow) * (frameHeight + frameGap))
        }

        /// The top-left corner of tile `column` (0 source, 1 trimap, 2 matte) of the `slot`-th frame.
        public func tileOrigin(slot: Int, column: Int) -> (x: Int, y: Int) {
            let frame = frameOrigin(slot: slot)
            return (frame.x + column * (tileWidth + tileGap), frame.y + labelHeight)
        }

        public func sheetSize(frames: Int) -> (width: Int, height: Int) {
            let columns = min(max(frames, 1), framesPerRow), rows = max(1, (frames + framesPerRow - 1) / framesPerRow)
            return (2 * margin + columns * frameWidth + (columns - 1) * frameGap, 2 * margin + rows * frameHeight + (rows - 1) * frameGap)
        }
    }

    /// One frame's tiles, already scaled.
    public struct Tiles: Sendable {
        public var source: ImageTensor
        public var trimap: ImageTensor?
        public var matteOverCheckerboard: ImageTensor
    }

    public static let background: Float = 0.12
    public static let checkerSquare = 8
    public static let checkerShades: (Float, Float) = (0.35, 0.65)

    public let frames: [Int]
    public let keys: Set<Int>
    public let layout: Layout
    private let wanted: Set<Int>
    private var tiles: [Int: Tiles] = [:]
    private let lock = NSLock()

    /// A sheet for `frames` of a clip of `width`×`height`; `keys` are labelled as keys.
    public init(frames: [Int], keys: Set<Int>, width: Int, height: Int, tileWidth: Int = 200) {
        self.frames = frames.sorted()
        self.keys = keys
        wanted = Set(frames)
        layout = Layout(tileWidth: tileWidth, width: width, height: height, framesPerRow: frames.count > 1 ? 2 : 1)
    }

    /// The frames a preview shows: the keys within `first…last`, the ends of the range, and
    /// `between` evenly spaced frames inside each gap; at most `maximum`, evenly thinned.
    public static func chooseFrames(keys: [Int], first: Int, last: Int, between: Int = 2, maximum: Int = 40) -> [Int] {
        guard last >= first else { return [] }
        let anchors = Set(keys.filter { (first...last).contains($0) } + [first, last]).sorted()
        var shown = Set(anchors)
        for (start, end) in zip(anchors, anchors.dropFirst()) where end - start > 1 {
            for step in 1...max(between, 1) where between > 0 {
                let frame = start + Int((Double(end - start) * Double(step) / Double(between + 1)).rounded())
                if frame > start && frame < end { shown.insert(frame) }
            }
        }
        let sorted = shown.sorted()
        guard sorted.count > maximum, maximum > 1 else { return sorted }
        return (0..<maximum).map { sorted[Int((Double($0) * Double(sorted.count - 1) / Double(maximum - 1)).rounded())] }
    }

    public func wants(_ frame: Int) -> Bool { wanted.contains(frame) }

    /// Adds frame `frame`: its source picture (RGB), its trimap (nil when unknown) and its matte.
    public func add(frame: Int, source: ImageTensor, trimap: ImageTensor?, matte: ImageTensor) {
        guard wants(frame) else { return }
        let w = layout.tileWidth, h = layout.tileHeight
        let small = Self.downscale(source, width: w, height: h)
        let tile = Tiles(source: small, trimap: trimap.map { Self.downscale($0, width: w, height: h) },
                         matteOverCheckerboard: Self.overCheckerboard(small, alpha: Self.downscale(matte, width: w, height: h)))
        lock.lock()
        tiles[frame] = tile
        lock.unlock()
    }

    /// The planned frames that were added, in order: the sheet's slots.
    public var placedFrames: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return frames.filter { tiles[$0] != nil }
    }

    /// The planned frames never added.
    public var missingFrames: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return frames.filter { tiles[$0] == nil }
    }

    /// The label above a frame's tiles.
    public static func label(frame: Int, isKey: Bool) -> String {
        "FRAME \(frame)" + (isKey ? " KEY" : "")
    }

    /// The sheet as RGB planes.
    public func render() -> ImageTensor {
        let placed = placedFrames
        let size = layout.sheetSize(frames: placed.count)
        var sheet = ImageTensor(width: size.width, height: size.height, channels: 3, fill: Self.background)
        lock.lock()
        let tiles = self.tiles
        lock.unlock()
        for (slot, frame) in placed.enumerated() {
            guard let tile = tiles[frame] else { continue }
            let origin = layout.frameOrigin(slot: slot)
            BitmapFont.draw(Self.label(frame: frame, isKey: keys.contains(frame)), into: &sheet,
                            x: origin.x, y: origin.y + 2, scale: layout.labelScale, ink: [1, 1, 1])
            for (column, picture) in [tile.source, tile.trimap, tile.matteOverCheckerboard].enumerated() {
                let at = layout.tileOrigin(slot: slot, column: column)
                if let picture {
                    Self.paste(picture, into: &sheet, x: at.x, y: at.y)
                } else {
                    // No trimap known for this frame: a dash on an empty tile.
                    let dash = BitmapFont.size(of: "-", scale: layout.labelScale)
                    BitmapFont.draw("-", into: &sheet, x: at.x + (layout.tileWidth - dash.width) / 2,
                                    y: at.y + (layout.tileHeight - dash.height) / 2, scale: layout.labelScale, ink: [0.5, 0.5, 0.5])
                }
            }
        }
        return sheet
    }

    /// `image` scaled to `width`×`height` by averaging the source pixels each output pixel covers.
    public static func downscale(_ image: ImageTensor, width: Int, height: Int) -> ImageTensor {
        var output = ImageTensor(width: width, height: height, channels: image.channels)
        func span(_ i: Int, _ outer: Int, _ inner: Int) -> Range<Int> {
            let start = i * inner / outer
            return start..<max(start + 1, (i + 1) * inner / outer)
        }
        let columns = (0..<width).map { span($0, width, image.width) }
        for c in 0..<image.channels {
            for y in 0..<height {
                let rows = span(y, height, image.height)
                for x in 0..<width {
                    var sum: Float = 0
                    for sy in rows { for sx in columns[x] { sum += image[c, sy, sx] } }
                    output[c, y, x] = sum / Float(rows.count * columns[x].count)
                }
            }
        }
        return output
    }

    /// `rgb` over a grey checkerboard (squares of `checkerSquare` from the top-left corner) with `alpha`.
    public static func overCheckerboard(_ rgb: ImageTensor, alpha: ImageTensor) -> ImageTensor {
        var output = rgb
        for y in 0..<rgb.height {
            for x in 0..<rgb.width {
                let a = alpha[0, y, x]
                let checker = (x / checkerSquare + y / checkerSquare) % 2 == 0 ? checkerShades.0 : checkerShades.1
                for c in 0..<3 { output[c, y, x] = rgb[c, y, x] * a + checker * (1 - a) }
            }
        }
        return output
    }

    /// Copies `picture` (one plane as grey, or three) into the RGB `sheet` at (`x`, `y`).
    static func paste(_ picture: ImageTensor, into sheet: inout ImageTensor, x: Int, y: Int) {
        for c in 0..<3 {
            let plane = picture.channels == 1 ? 0 : c
            for py in 0..<picture.height { for px in 0..<picture.width { sheet[c, y + py, x + px] = picture[plane, py, px] } }
        }
    }
}
