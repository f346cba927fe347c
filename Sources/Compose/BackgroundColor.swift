/// A solid background colour written as `#rrggbb`, `#rgb` or a name.
public enum BackgroundColor {
    /// The named colours accepted, as RGB in 0…1.
    public static let names: [String: (Float, Float, Float)] = [
        "black": (0, 0, 0), "white": (1, 1, 1), "grey": (0.5, 0.5, 0.5), "gray": (0.5, 0.5, 0.5),
        "red": (1, 0, 0), "green": (0, 1, 0), "blue": (0, 0, 1),
        "yellow": (1, 1, 0), "cyan": (0, 1, 1), "magenta": (1, 0, 1),
    ]

    /// The colour `text` names, or nil when it is not a colour.
    public static func parse(_ text: String) -> (Float, Float, Float)? {
        let lower = text.lowercased()
        if let named = names[lower] { return named }
        guard lower.hasPrefix("#") else { return nil }
        let digits = Array(lower.dropFirst())
        guard digits.count == 3 || digits.count == 6, digits.allSatisfy(\.isHexDigit) else { return nil }
        let values: [Float]
        if digits.count == 3 {
            values = digits.map { Float(Int(String($0), radix: 16)! * 17) / 255 }
        } else {
            values = stride(from: 0, to: 6, by: 2).map { Float(Int(String(digits[$0...$0 + 1]), radix: 16)!) / 255 }
        }
        return (values[0], values[1], values[2])
    }
}
