import Foundation
import MatteCore

/// The distance of every pixel to a key's unknown band (or to its foreground/background
/// boundary), computed once per key and kept for the last few keys asked for: between two
/// keys every frame's dilation reads the same two maps.
final class KeyBandDistances: @unchecked Sendable {
    private let lock = NSLock()
    private var recent: [(frame: Int, distance: [Float])] = []
    /// Keys whose maps are kept: the two a frame between keys reads.
    static let kept = 2

    func distance(for key: KeyTrimap) -> [Float] {
        lock.lock()
        defer { lock.unlock() }
        if let found = recent.first(where: { $0.frame == key.frameIndex }) { return found.distance }
        let distance = Self.bandDistance(key.values)
        recent.append((key.frameIndex, distance))
        if recent.count > Self.kept { recent.removeFirst() }
        return distance
    }

    /// Distance to the nearest unknown pixel or pixel on the boundary between foreground and
    /// background (exact up to `reach`, when given: `DistanceTransform`).
    static func bandDistance(_ trimap: ImageTensor, reach: Float? = nil) -> [Float] {
        DistanceTransform.toNearest(in: trimap, reach: reach) { value, neighbourDiffers in value == TrimapValue.unknown || neighbourDiffers }
    }
}
