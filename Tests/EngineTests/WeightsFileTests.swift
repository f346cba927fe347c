@testable import Engine
import Foundation
import MatteCore
import Testing

/// Truncated, corrupt, mismatched and hostile weights files get a clear error, never a crash
/// or an unbounded allocation.
@Suite struct WeightsFileTests {
    let original = try! Data(contentsOf: URL(fileURLWithPath: GoldenFiles.weights))

    var headerSize: Int { original.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) } }
    var header: [String: Any] { try! JSONSerialization.jsonObject(with: original.subdata(in: 8..<(8 + headerSize))) as! [String: Any] }
    var body: Data { original.subdata(in: (8 + headerSize)..<original.count) }

    /// A file with `header` (re-encoded) in front of `body`.
    func file(header: [String: Any], body: Data) -> Data {
        var json = try! JSONSerialization.data(withJSONObject: header)
        json.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - json.count % 8) % 8))
        var data = Data((0..<8).map { UInt8((json.count >> (8 * $0)) & 0xff) })
        data.append(json)
        data.append(body)
        return data
    }

    func load(_ data: Data) throws -> MattingNetwork {
        try MattingNetwork(file: try SafeTensorsFile(data: data, path: "mutated.safetensors"))
    }

    func expectRefused(_ data: Data, mentioning text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try load(data)
            Issue.record("loaded a bad file", sourceLocation: sourceLocation)
        } catch let error as VMatteError {
            #expect(error.message.contains("mutated.safetensors") && (text.isEmpty || error.message.contains(text)), "\(error.message)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    func mutating(_ name: String, _ change: (inout [String: Any]) -> Void) -> Data {
        var all = header
        var entry = all[name] as! [String: Any]
        change(&entry)
        all[name] = entry
        return file(header: all, body: body)
    }

    @Test func theGoldenFileLoads() throws {
        _ = try load(original)
        #expect(try SafeTensorsFile(data: original, path: "x").entries.count == 110)
    }

    @Test func truncatedFiles() {
        for length in [0, 4, 8, 9, 8 + headerSize / 2, 8 + headerSize, original.count / 2, original.count - 1] {
            expectRefused(original.prefix(length), mentioning: "")
        }
        expectRefused(original.prefix(3), mentioning: "shorter than its 8-byte header size")
        expectRefused(original.prefix(original.count - 4), mentioning: "outside")
    }

    @Test func hostileHeaderSizes() {
        var huge = original
        huge.replaceSubrange(0..<8, with: [UInt8](repeating: 0xff, count: 8))
        expectRefused(huge, mentioning: "header claims")
        var beyond = original
        beyond.replaceSubrange(0..<8, with: (0..<8).map { UInt8(((original.count) >> (8 * $0)) & 0xff) })
        expectRefused(beyond, mentioning: "truncated")
        var garbage = original
        garbage.replaceSubrange(8..<16, with: Array("nonsense".utf8))
        expectRefused(garbage, mentioning: "not a JSON object")
    }

    @Test func hostileEntries() {
        expectRefused(mutating("fc6.conv.weight") { $0["dtype"] = "I64" }, mentioning: "dtype I64")
        expectRefused(mutating("fc6.conv.weight") { $0["shape"] = [1 << 30, 1 << 30, 1 << 30] }, mentioning: "larger than the file")
        expectRefused(mutating("fc6.conv.weight") { $0["shape"] = [-1, 24] }, mentioning: "bad dimension")
        expectRefused(mutating("fc6.conv.weight") { $0["data_offsets"] = [0, 1 << 40] }, mentioning: "outside")
        expectRefused(mutating("fc6.conv.weight") { $0["data_offsets"] = [8, 4] }, mentioning: "outside")
        let first = (header["conv1_1.conv.weight"] as! [String: Any])["data_offsets"] as! [Int]
        let fc6 = (header["fc6.conv.weight"] as! [String: Any])["data_offsets"] as! [Int]
        expectRefused(mutating("fc6.conv.weight") { $0["data_offsets"] = [first[0], first[0] + fc6[1] - fc6[0]] }, mentioning: "overlap")
        expectRefused(mutating("fc6.conv.weight") { $0["shape"] = [24, 24, 1, 2] }, mentioning: "needs")
    }

    /// A version the engine does not read, a version 3 (no encoder-decoder) whose alpha head needs one,
    /// and a version 4 without the KNN input it is defined by.
    @Test func unknownOrInconsistentVersions() {
        func withVersion(_ version: String) -> Data {
            var all = header
            var meta = all["__metadata__"] as! [String: String]
            meta["version"] = version
            all["__metadata__"] = meta
            return file(header: all, body: body)
        }
        expectRefused(withVersion("5"), mentioning: "versions 1 to 4")
        expectRefused(withVersion("3"), mentioning: "no encoder-decoder but an alpha head 'sigmoid'")
        expectRefused(withVersion("4"), mentioning: "reads rgb,trimap,closed_form,knn in version 4")
    }

    @Test func mismatchedModels() {
        var missing = header
        missing.removeValue(forKey: "refine_pred.bias")
        expectRefused(file(header: missing, body: body), mentioning: "no tensor 'refine_pred.bias'")
        var metadata = header
        var meta = metadata["__metadata__"] as! [String: String]
        meta["format"] = "something-else"
        metadata["__metadata__"] = meta
        expectRefused(file(header: metadata, body: body), mentioning: "not a vmatte model")
        var widths = header
        var wideMeta = widths["__metadata__"] as! [String: String]
        wideMeta["architecture"] = wideMeta["architecture"]!.replacingOccurrences(of: "\"encoder_widths\":[3,6,12,24,24]", with: "\"encoder_widths\":[4,6,12,24,24]")
            .replacingOccurrences(of: "\"encoder_widths\": [3, 6, 12, 24, 24]", with: "\"encoder_widths\": [4, 6, 12, 24, 24]")
        widths["__metadata__"] = wideMeta
        expectRefused(file(header: widths, body: body), mentioning: "shape")
    }

    @Test func seededByteMutationsNeverCrash() {
        var generator = SplitMix(seed: 7)
        var refused = 0
        for _ in 0..<300 {
            var data = original
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                // Mostly the header, where the structure lives.
                let limit = generator.next() % 4 == 0 ? data.count : 8 + headerSize
                data[Int(generator.next() % UInt64(limit))] = UInt8(truncatingIfNeeded: generator.next())
            }
            do { _ = try load(data) } catch is VMatteError { refused += 1 } catch { Issue.record("unexpected error \(error)") }
        }
        #expect(refused > 100)
    }
}

/// A small seeded generator for reproducible mutations.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
