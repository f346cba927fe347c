import Compose
import Encode
import MatteCore

/// Turns a frame and its matte into the frame to write: the foreground colour (estimated,
/// despilled) with alpha, or its composite over the background. Used by one thread at a time
/// (a run's compose thread).
public final class CompositeStage: @unchecked Sendable {
    private let settings: CompositeSettings
    private let screenKey: ScreenKey?
    private let background: BackgroundSource?
    private let estimation = ForegroundEstimation()

    /// Opens the background (when given) at the clip's size, so a bad one fails before any work.
    /// A shot keyed with `screenKey` is despilled of its screen's colour unless `settings.despill` says otherwise.
    public init(settings: CompositeSettings, screenKey: ScreenKey? = nil, width: Int, height: Int) throws {
        self.settings = settings
        self.screenKey = screenKey
        background = try settings.background.map {
            try BackgroundSource($0, width: width, height: height, fit: settings.backgroundFit, end: settings.backgroundEnd)
        }
    }

    /// The output frame for a matted frame: `matted` holds the source picture as `rgb` and its matte as `alpha`.
    public func output(for matted: OutputFrame) throws -> OutputFrame {
        guard let rgb = matted.rgb, let alpha = matted.alpha else { return matted }
        return try output(for: VideoFrame(index: matted.index, pts: matted.pts, timeBase: matted.timeBase, image: rgb),
                          alpha: alpha, alphaOnly: false)
    }

    /// The output frame for `frame` matted as `alpha`; `alphaOnly` skips the colour work.
    public func output(for frame: VideoFrame, alpha: ImageTensor, alphaOnly: Bool) throws -> OutputFrame {
        guard !alphaOnly else { return OutputFrame(rgb: nil, alpha: alpha, index: frame.index, pts: frame.pts, timeBase: frame.timeBase) }
        var foreground = settings.foreground == .estimated ? estimation.foreground(image: frame.image, alpha: alpha) : frame.image
        let despill: Despill? = switch settings.despill {
        case .green?: Despill(screen: .green, amount: settings.despillAmount)
        case .blue?: Despill(screen: .blue, amount: settings.despillAmount)
        case CompositeSettings.DespillScreen.none?: nil
        case nil: screenKey?.despill(for: frame.image, amount: settings.despillAmount)
        }
        despill?.apply(to: &foreground)
        guard let background else {
            return OutputFrame(rgb: foreground, alpha: alpha, index: frame.index, pts: frame.pts, timeBase: frame.timeBase)
        }
        let composite = Compositor(linearLight: settings.linearLight)
            .composite(foreground: foreground, alpha: alpha, background: try background.frame(for: frame.index))
        return OutputFrame(rgb: composite, alpha: nil, index: frame.index, pts: frame.pts, timeBase: frame.timeBase)
    }
}
