import MatteCore

/// A tiny built-in 5×7 pixel font for labels on preview sheets: digits, the capitals of
/// "FRAME" and "KEY", space and a few signs. Characters it lacks are drawn as a box.
public enum BitmapFont {
    public static let glyphWidth = 5
    public static let glyphHeight = 7
    /// Blank columns after each character.
    public static let spacing = 1

    private static let glyphs: [Character: [String]] = [
        "0": [".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."],
        "1": ["..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."],
        "2": [".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"],
        "3": ["#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."],
        "4": ["...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."],
        "5": ["#####", "#....", "####.", "....#", "....#", "#...#", ".###."],
        "6": ["..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."],
        "7": ["#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."],
        "8": [".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."],
        "9": [".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."],
        "A": [".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"],
        "E": ["#####", "#....", "#....", "####.", "#....", "#....", "#####"],
        "F": ["#####", "#....", "#....", "####.", "#....", "#....", "#...."],
        "K": ["#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"],
        "M": ["#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"],
        "R": ["####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"],
        "Y": ["#...#", "#...#", ".#.#.", "..#..", "..#..", "..#..", "..#.."],
        "-": [".....", ".....", ".....", "#####", ".....", ".....", "....."],
        ".": [".....", ".....", ".....", ".....", ".....", ".##..", ".##.."],
        " ": [".....", ".....", ".....", ".....", ".....", ".....", "....."],
    ]
    private static let missing = ["#####", "#...#", "#...#", "#...#", "#...#", "#...#", "#####"]

    /// Whether pixel (`x`, `y`) of `character`'s glyph is ink.
    public static func isInk(_ character: Character, x: Int, y: Int) -> Bool {
        let rows = glyphs[character] ?? missing
        let row = rows[y]
        return row[row.index(row.startIndex, offsetBy: x)] == "#"
    }

    /// The size of `text` drawn at `scale` pixels per font pixel.
    public static func size(of text: String, scale: Int) -> (width: Int, height: Int) {
        let count = text.count
        return (count == 0 ? 0 : (count * (glyphWidth + spacing) - spacing) * scale, glyphHeight * scale)
    }

    /// Paints `text` into every plane of `image` with its top-left corner at (`x`, `y`),
    /// `scale` pixels per font pixel, ink of value `ink[c]` in plane c; what falls outside is clipped.
    public static func draw(_ text: String, into image: inout ImageTensor, x: Int, y: Int, scale: Int, ink: [Float]) {
        precondition(ink.count == image.channels, "one ink value per plane")
        for (n, character) in text.enumerated() {
            let left = x + n * (glyphWidth + spacing) * scale
            for gy in 0..<glyphHeight {
                for gx in 0..<glyphWidth where isInk(character, x: gx, y: gy) {
                    for py in (y + gy * scale)..<(y + (gy + 1) * scale) where py >= 0 && py < image.height {
                        for px in (left + gx * scale)..<(left + (gx + 1) * scale) where px >= 0 && px < image.width {
                            for c in 0..<image.channels { image[c, py, px] = ink[c] }
                        }
                    }
                }
            }
        }
    }
}
