import MatteCore

/// Trimaps made from a green or blue screen shot: pixels far from the screen colour are
/// foreground, pixels close to it background, and everything in between or near the border
/// between the two unknown, for the network to matte.
public struct ScreenKey: Sendable {
    /// Which screen to key; `auto` picks green or blue from the frame's border.
    public enum Screen: String, Sendable, CaseIterable {
        case green, blue, auto
    }

    public var screen: Screen
    /// Screen-ness (the screen channel's excess over the others, relative to the screen's own)
    /// below which a pixel is foreground.
    public var foregroundBelow: Float = 0.2
    /// Screen-ness above which a pixel is background.
    public var backgroundAbove: Float = 0.85
    /// Screen pixels within this distance of the subject, and subject pixels within it of the
    /// screen, are unknown.
    public var band = 12
    /// The screen's colour when the user gives it; else it is measured in every frame.
    public var screenColor: (red: Float, green: Float, blue: Float)?

    public init(screen: Screen, band: Int = 12, screenColor: (red: Float, green: Float, blue: Float)? = nil) {
        self.screen = screen
        self.band = band
        self.screenColor = screenColor
    }

    /// A key for a screen of the given colour: its stronger channel of green and blue is the
    /// screen channel, and its own excess is the reference.
    public init(screenColor color: (red: Float, green: Float, blue: Float), band: Int = 12) {
        self.init(screen: color.blue > color.green ? .blue : .green, band: band, screenColor: color)
    }

    /// The screen colour a frame was shot on: the channel with the larger excess along its border.
    public static func detect(_ image: ImageTensor) -> Despill.Screen {
        let w = image.width, h = image.height
        var green = 0.0, blue = 0.0
        for y in 0..<h {
            for x in 0..<w where y == 0 || y == h - 1 || x == 0 || x == w - 1 {
                let r = image[0, y, x], g = image[1, y, x], b = image[2, y, x]
                green += Double(max(0, g - max(r, b)))
                blue += Double(max(0, b - max(r, g)))
            }
        }
        return blue > green ? .blue : .green
    }

    /// The screen colour keyed in `image`: the chosen one, or for `auto` the one detected.
    public func screenChannel(in image: ImageTensor) -> Despill.Screen {
        switch screen {
        case .green: .green
        case .blue: .blue
        case .auto: Self.detect(image)
        }
    }

    /// The despill a shot keyed this way gets unless another is asked for: the keyed colour's.
    public func despill(for image: ImageTensor, amount: Float = 1) -> Despill {
        Despill(screen: screenChannel(in: image), amount: amount)
    }

    /// The trimap (0 / 0.5 / 1, one plane) for `image`.
    public func trimap(for image: ImageTensor) -> ImageTensor {
        let screenChannel = screenChannel(in: image)
        let n = image.planeSize
        let (s, o1, o2) = screenChannel == .green ? (1, 0, 2) : (2, 0, 1)
        var raw = [Float](repeating: 0, count: n)
        image.pixels.withUnsafeBufferPointer { p in
            for i in 0..<n { raw[i] = p[s * n + i] - max(p[o1 * n + i], p[o2 * n + i]) }
        }
        // A 3×3 mean, so the screen's grain does not cross the thresholds.
        let excess = Self.boxMean(raw, width: image.width, height: image.height)
        // The screen's own excess: the median of the pixels with at least half the 90th
        // percentile's, robust to a subject filling much of the frame and to spill.
        let reference: Float
        if let screenColor {
            let channels = [screenColor.red, screenColor.green, screenColor.blue]
            reference = max(0.1, channels[s] - max(channels[o1], channels[o2]))
        } else {
            let positive = excess.filter { $0 > 0.05 }.sorted()
            let high = positive.isEmpty ? 1 : positive[Int(Double(positive.count - 1) * 0.9)]
            let screenPixels = positive.filter { $0 >= high / 2 }
            reference = screenPixels.isEmpty ? 1 : max(0.1, screenPixels[screenPixels.count / 2])
        }
        var foreground = [Bool](repeating: false, count: n), background = foreground, notBackground = foreground
        for i in 0..<n {
            let t = excess[i] / reference
            foreground[i] = t < foregroundBelow
            background[i] = t > backgroundAbove
            notBackground[i] = !background[i]
        }
        // Background only far from anything that is not clearly screen (faint hair looks like
        // screen and sits near the subject); foreground only far from the screen.
        let nearSubject = Self.dilate(notBackground, width: image.width, height: image.height, radius: band)
        let nearScreen = Self.dilate(background, width: image.width, height: image.height, radius: band)
        var trimap = ImageTensor(width: image.width, height: image.height, channels: 1, fill: TrimapValue.unknown)
        for i in 0..<n {
            if foreground[i] && !nearScreen[i] { trimap.pixels[i] = TrimapValue.foreground }
            else if background[i] && !nearSubject[i] { trimap.pixels[i] = TrimapValue.background }
        }
        return trimap
    }

    /// The mean over each pixel's 3×3 neighbourhood (clamped at the borders).
    static func boxMean(_ values: [Float], width: Int, height: Int) -> [Float] {
        var out = values
        for y in 0..<height {
            for x in 0..<width {
                var sum: Float = 0
                for dy in -1...1 {
                    let yy = min(height - 1, max(0, y + dy))
                    for dx in -1...1 { sum += values[yy * width + min(width - 1, max(0, x + dx))] }
                }
                out[y * width + x] = sum / 9
            }
        }
        return out
    }

    /// Square dilation of a mask by `radius`, separable, with running counts (cost independent of the radius).
    static func dilate(_ mask: [Bool], width: Int, height: Int, radius: Int) -> [Bool] {
        guard radius > 0 else { return mask }
        var rows = [Bool](repeating: false, count: mask.count)
        for y in 0..<height {
            let row = y * width
            var count = 0
            for x in 0..<min(width, radius) where mask[row + x] { count += 1 }
            for x in 0..<width {
                if x + radius < width, mask[row + x + radius] { count += 1 }
                if x - radius - 1 >= 0, mask[row + x - radius - 1] { count -= 1 }
                rows[row + x] = count > 0
            }
        }
        var out = rows
        for x in 0..<width {
            var count = 0
            for y in 0..<min(height, radius) where rows[y * width + x] { count += 1 }
            for y in 0..<height {
                if y + radius < height, rows[(y + radius) * width + x] { count += 1 }
                if y - radius - 1 >= 0, rows[(y - radius - 1) * width + x] { count -= 1 }
                out[y * width + x] = count > 0
            }
        }
        return out
    }
}
