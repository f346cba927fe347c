import ArgumentParser
import Compose
import Decode
import Encode
import MatteCore

/// The matte command's options for the colour it writes: background, foreground colour, despill.
struct CompositeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Composite over this background instead of writing alpha: an image (any size), a video, #rrggbb, #rgb or a colour name (green, blue, black, white, grey, …).", valueName: "image|color|video"))
    var background: String?

    @Option(help: "How a background of another size is placed: fit (letterbox in black), fill (cover and crop), stretch.")
    var backgroundFit: BackgroundFit = .fill

    @Option(help: "When a background video ends before the clip: loop it or hold its last frame.")
    var backgroundEnd: BackgroundEnd = .loop

    /// Where the foreground colour comes from.
    enum ForegroundSource: String, ExpressibleByArgument, CaseIterable {
        case estimated, source
    }

    @Option(help: "Foreground colour at soft edges: estimated (solved from the image and the matte, screen colour removed) or source (the clip's pixels). Also the RGB of cut-out outputs.")
    var foreground: ForegroundSource = .estimated

    /// Which screen colour to remove.
    enum DespillScreen: String, ExpressibleByArgument, CaseIterable {
        case green, blue, none
    }

    @Option(help: "Remove green or blue screen spill from the foreground colour (default: the --key screen's colour; none without --key).")
    var despill: DespillScreen?

    @Option(help: ArgumentHelp("Strength of --despill, 0 to 1.", valueName: "0-1"))
    var despillAmount: Float = 1

    @Flag(help: "Blend foreground and background in linear light (sRGB curve) rather than on the coded values.")
    var linearLight = false

    func validate() throws {
        if !(0...1).contains(despillAmount) { throw ValidationError("--despill-amount must be between 0 and 1") }
    }
}

extension BackgroundFit: ExpressibleByArgument {}
extension BackgroundEnd: ExpressibleByArgument {}
extension ScreenKey.Screen: ExpressibleByArgument {}

/// Turns a frame and its matte into the frame to write: the foreground colour (estimated,
/// despilled) with alpha, or its composite over the background.
final class CompositeStage {
    private let options: CompositeOptions
    private let screenKey: ScreenKey?
    private let background: BackgroundSource?
    private let estimation = ForegroundEstimation()

    /// Opens the background (when given) at the clip's size, so a bad one fails before any work.
    /// A shot keyed with `screenKey` is despilled of its screen's colour unless --despill says otherwise.
    init(options: CompositeOptions, screenKey: ScreenKey? = nil, width: Int, height: Int) throws {
        self.options = options
        self.screenKey = screenKey
        background = try options.background.map {
            try BackgroundSource($0, width: width, height: height, fit: options.backgroundFit, end: options.backgroundEnd)
        }
    }

    /// The output frame for `frame` matted as `alpha`; `alphaOnly` skips the colour work.
    func output(for frame: VideoFrame, alpha: ImageTensor, alphaOnly: Bool) throws -> OutputFrame {
        guard !alphaOnly else { return OutputFrame(rgb: nil, alpha: alpha, index: frame.index, pts: frame.pts, timeBase: frame.timeBase) }
        var foreground = options.foreground == .estimated ? estimation.foreground(image: frame.image, alpha: alpha) : frame.image
        let despill: Despill? = switch options.despill {
        case .green?: Despill(screen: .green, amount: options.despillAmount)
        case .blue?: Despill(screen: .blue, amount: options.despillAmount)
        case CompositeOptions.DespillScreen.none?: nil
        case nil: screenKey?.despill(for: frame.image, amount: options.despillAmount)
        }
        despill?.apply(to: &foreground)
        guard let background else {
            return OutputFrame(rgb: foreground, alpha: alpha, index: frame.index, pts: frame.pts, timeBase: frame.timeBase)
        }
        let composite = Compositor(linearLight: options.linearLight)
            .composite(foreground: foreground, alpha: alpha, background: try background.frame(for: frame.index))
        return OutputFrame(rgb: composite, alpha: nil, index: frame.index, pts: frame.pts, timeBase: frame.timeBase)
    }
}
