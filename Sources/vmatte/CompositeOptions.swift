import ArgumentParser
import Compose
import Pipeline

/// The matte command's options for the colour it writes: background, foreground colour, despill.
struct CompositeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Composite over this background instead of writing alpha: an image (any size), a video, #rrggbb, #rgb or a colour name (green, blue, black, white, grey, …).", valueName: "image|color|video"))
    var background: String?

    @Option(help: "How a background of another size is placed: fit (letterbox in black), fill (cover and crop), stretch.")
    var backgroundFit: BackgroundFit = .fill

    @Option(help: "When a background video ends before the clip: loop it or hold its last frame.")
    var backgroundEnd: BackgroundEnd = .loop

    @Option(help: "Foreground colour at soft edges: estimated (solved from the image and the matte, screen colour removed) or source (the clip's pixels). Also the RGB of cut-out outputs.")
    var foreground: CompositeSettings.ForegroundSource = .estimated

    @Option(help: "Remove green or blue screen spill from the foreground colour (default: the --key screen's colour; none without --key).")
    var despill: CompositeSettings.DespillScreen?

    @Option(help: ArgumentHelp("Strength of --despill, 0 to 1.", valueName: "0-1"))
    var despillAmount: Float = 1

    @Flag(help: "Blend foreground and background in linear light (sRGB curve) rather than on the coded values.")
    var linearLight = false

    func validate() throws {
        if !(0...1).contains(despillAmount) { throw ValidationError("--despill-amount must be between 0 and 1") }
    }

    /// The parsed choices, for `CompositeStage`.
    var settings: CompositeSettings {
        var settings = CompositeSettings()
        settings.background = background
        settings.backgroundFit = backgroundFit
        settings.backgroundEnd = backgroundEnd
        settings.foreground = foreground
        settings.despill = despill
        settings.despillAmount = despillAmount
        settings.linearLight = linearLight
        return settings
    }
}

extension BackgroundFit: ExpressibleByArgument {}
extension BackgroundEnd: ExpressibleByArgument {}
extension ScreenKey.Screen: ExpressibleByArgument {}
extension CompositeSettings.ForegroundSource: ExpressibleByArgument {}
extension CompositeSettings.DespillScreen: ExpressibleByArgument {}
