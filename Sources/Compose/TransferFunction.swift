import Foundation

/// The sRGB transfer curve (also the usual approximation of BT.709 display encoding) between
/// coded values and linear light, tabulated: per-pixel `pow` would cost more than the composite.
public final class TransferFunction: Sendable {
    /// One shared pair of tables.
    public static let shared = TransferFunction()

    private static let size = 4096
    private let decodeTable: [Float]
    // The inverse is tabulated on √x: the curve is steep near black, and a square-root axis
    // spends the table's entries there.
    private let encodeTable: [Float]

    private init() {
        let size = Self.size
        decodeTable = (0...size).map { Float(Self.decode(Double($0) / Double(size))) }
        encodeTable = (0...size).map { let r = Double($0) / Double(size); return Float(Self.encode(r * r)) }
    }

    /// The exact curves.
    public static func decode(_ v: Double) -> Double { v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4) }
    public static func encode(_ l: Double) -> Double { l <= 0.0031308 ? l * 12.92 : 1.055 * pow(l, 1 / 2.4) - 0.055 }

    /// Coded value (0…1) to linear light.
    @inline(__always) public func toLinear(_ v: Float) -> Float { lookup(decodeTable, min(1, max(0, v))) }

    /// Linear light (0…1) to coded value.
    @inline(__always) public func fromLinear(_ l: Float) -> Float { lookup(encodeTable, min(1, max(0, l)).squareRoot()) }

    @inline(__always) private func lookup(_ table: [Float], _ t: Float) -> Float {
        let position = t * Float(Self.size)
        let i = min(Self.size - 1, Int(position))
        let f = position - Float(i)
        return table[i] + (table[i + 1] - table[i]) * f
    }
}
