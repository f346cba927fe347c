import MatteCore

/// Removes the screen colour that spilled onto a foreground: the screen channel is limited by
/// the other two (G' = min(G, max(R, B)) or min(G, (R + B)/2) for green), blended by `amount`.
public struct Despill: Sendable, Equatable {
    /// The colour of the screen behind the subject.
    public enum Screen: String, Sendable, CaseIterable {
        case green, blue
    }

    /// What the screen channel may not exceed.
    public enum Limit: String, Sendable, CaseIterable {
        /// The larger of the other two channels (removes less, keeps yellows and cyans).
        case maximum
        /// The mean of the other two channels (removes more).
        case average
    }

    public var screen: Screen
    /// 0 leaves the colour alone, 1 applies the full limit.
    public var amount: Float
    public var limit: Limit

    public init(screen: Screen, amount: Float = 1, limit: Limit = .maximum) {
        self.screen = screen
        self.amount = min(1, max(0, amount))
        self.limit = limit
    }

    /// Despills the three planes of `rgb` in place.
    public func apply(to rgb: inout ImageTensor) {
        precondition(rgb.channels == 3, "despill needs RGB planes")
        let n = rgb.planeSize
        let (target, first, second) = screen == .green ? (1, 0, 2) : (2, 0, 1)
        let amount = self.amount, average = limit == .average
        rgb.pixels.withUnsafeMutableBufferPointer { p in
            let s = p.baseAddress! + target * n, a = p.baseAddress! + first * n, b = p.baseAddress! + second * n
            for i in 0..<n {
                let bound = average ? 0.5 * (a[i] + b[i]) : max(a[i], b[i])
                let excess = s[i] - bound
                if excess > 0 { s[i] -= amount * excess }
            }
        }
    }
}
