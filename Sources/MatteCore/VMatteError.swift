/// An error vmatte reports to a user: what went wrong, with which file, and whose fault it is.
public struct VMatteError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Whether the user can fix it by changing the command (exit 2) or it failed while running (exit 1).
    public enum Kind: Sendable, Equatable {
        case badInput
        case runtime
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public static func badInput(_ message: String) -> VMatteError { VMatteError(.badInput, message) }
    public static func runtime(_ message: String) -> VMatteError { VMatteError(.runtime, message) }

    public var description: String { message }
    /// The process exit status this error maps to.
    public var exitCode: Int32 { kind == .badInput ? 2 : 1 }
}
