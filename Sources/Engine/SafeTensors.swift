import Foundation
import MatteCore

/// A safetensors file (8-byte little-endian header size, JSON header, raw little-endian
/// tensors), read with every offset, shape and dtype checked before any tensor is touched.
public struct SafeTensorsFile: Sendable {
    /// Element types vmatte reads.
    public enum DType: String, Sendable {
        case f32 = "F32"
        case f16 = "F16"

        var size: Int { self == .f32 ? 4 : 2 }
    }

    /// Where one tensor lies in the file.
    public struct Entry: Sendable {
        public var dtype: DType
        public var shape: [Int]
        public var byteRange: Range<Int>
        public var count: Int { shape.reduce(1, *) }
    }

    /// Headers larger than this are refused (real ones are a few kB).
    public static let maximumHeaderBytes = 16 << 20

    public let path: String
    public let metadata: [String: String]
    public let entries: [String: Entry]
    private let body: Data

    public init(path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw VMatteError.badInput("cannot read the weights file '\(path)': \((error as NSError).localizedDescription)")
        }
        try self.init(data: data, path: path)
    }

    public init(data: Data, path: String) throws {
        self.path = path
        func fail(_ reason: String) -> VMatteError { .badInput("the weights file '\(path)' is not a valid safetensors file: \(reason)") }
        guard data.count >= 8 else { throw fail("it is \(data.count) bytes long, shorter than its 8-byte header size") }
        let declared = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard declared <= UInt64(Self.maximumHeaderBytes) else { throw fail("its header claims \(declared) bytes") }
        let headerSize = Int(declared)
        guard headerSize <= data.count - 8 else {
            throw fail("its header claims \(headerSize) bytes but only \(data.count - 8) follow (truncated?)")
        }
        let headerData = data.subdata(in: 8..<(8 + headerSize))
        guard let root = (try? JSONSerialization.jsonObject(with: headerData)) as? [String: Any] else {
            throw fail("its header is not a JSON object")
        }
        body = data.subdata(in: (8 + headerSize)..<data.count)

        var metadata: [String: String] = [:]
        var entries: [String: Entry] = [:]
        for (name, value) in root {
            if name == "__metadata__" {
                guard let pairs = value as? [String: Any] else { throw fail("__metadata__ is not an object") }
                for (key, text) in pairs {
                    guard let text = text as? String else { throw fail("metadata '\(key)' is not a string") }
                    metadata[key] = text
                }
                continue
            }
            guard let fields = value as? [String: Any] else { throw fail("tensor '\(name)' has no description") }
            guard let dtypeName = fields["dtype"] as? String else { throw fail("tensor '\(name)' has no dtype") }
            guard let dtype = DType(rawValue: dtypeName) else {
                throw fail("tensor '\(name)' has dtype \(dtypeName); vmatte reads F32 and F16")
            }
            guard let shapeValues = fields["shape"] as? [Any], shapeValues.count <= 8 else {
                throw fail("tensor '\(name)' has no valid shape")
            }
            let shape = try shapeValues.map { item -> Int in
                guard let number = item as? NSNumber, number.doubleValue == Double(number.int64Value),
                      number.int64Value >= 0, number.int64Value <= Int64(Int32.max) else {
                    throw fail("tensor '\(name)' has a bad dimension \(item)")
                }
                return number.intValue
            }
            var count = 1
            for dimension in shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
                guard !overflow, product <= body.count else { throw fail("tensor '\(name)' is larger than the file") }
                count = product
            }
            guard let offsets = fields["data_offsets"] as? [NSNumber], offsets.count == 2 else {
                throw fail("tensor '\(name)' has no data_offsets pair")
            }
            let begin = offsets[0].int64Value, end = offsets[1].int64Value
            guard begin >= 0, begin <= end, end <= Int64(body.count) else {
                throw fail("tensor '\(name)' lies at bytes \(begin)..<\(end), outside the \(body.count) data bytes")
            }
            guard Int(end - begin) == count * dtype.size else {
                throw fail("tensor '\(name)' has \(end - begin) bytes but its shape \(shape) needs \(count * dtype.size)")
            }
            entries[name] = Entry(dtype: dtype, shape: shape, byteRange: Int(begin)..<Int(end))
        }
        let ordered = entries.values.map(\.byteRange).filter { !$0.isEmpty }.sorted { $0.lowerBound < $1.lowerBound }
        for (previous, next) in zip(ordered, ordered.dropFirst()) where next.lowerBound < previous.upperBound {
            throw fail("two tensors overlap at bytes \(next.lowerBound)..<\(previous.upperBound)")
        }
        self.metadata = metadata
        self.entries = entries
    }

    /// The tensor `name` as f32 values, checked against `shape` when given.
    public func floats(_ name: String, shape expected: [Int]? = nil) throws -> [Float] {
        guard let entry = entries[name] else { throw VMatteError.badInput("the weights file '\(path)' has no tensor '\(name)'") }
        if let expected, expected != entry.shape {
            throw VMatteError.badInput("the weights file '\(path)': tensor '\(name)' has shape \(entry.shape), the model needs \(expected)")
        }
        let bytes = body.subdata(in: entry.byteRange)
        return bytes.withUnsafeBytes { raw -> [Float] in
            switch entry.dtype {
            case .f32:
                return (0..<entry.count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            case .f16:
                return (0..<entry.count).map { Float(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self)))) }
            }
        }
    }
}
