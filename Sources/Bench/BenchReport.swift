import Foundation

/// One line of a benchmark's output: a JSON object with sorted keys.
public enum BenchReport {
    public static func print(_ fields: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        Swift.print(String(decoding: data, as: UTF8.self))
    }
}
