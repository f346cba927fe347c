/// An exact ratio such as a time base (1/12800) or a frame rate (30000/1001).
public struct Rational: Sendable, Equatable, Hashable, CustomStringConvertible, Codable {
    public var numerator: Int32
    public var denominator: Int32

    public init(_ numerator: Int32, _ denominator: Int32) {
        self.numerator = numerator
        self.denominator = denominator
    }

    public var isValid: Bool { numerator > 0 && denominator > 0 }
    public var doubleValue: Double { denominator == 0 ? 0 : Double(numerator) / Double(denominator) }
    public var inverted: Rational { Rational(denominator, numerator) }
    public var description: String { "\(numerator)/\(denominator)" }
}
