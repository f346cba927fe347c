import MatteCore

/// Feedback propagation to the frames before the first key: starting at the key and walking
/// back, each frame's trimap comes from the matte of the frame after it. Frames are read in
/// blocks (a decoder reads forward only), each block walked backward, so memory stays at one
/// block of frames plus the packed trimaps.
public enum BackwardFeedbackPass {
    /// Trimaps for frames `first..<key`. `readFrames` returns the pictures of a range of
    /// frames in order; `matte` returns the alpha of a picture for its trimap.
    public static func trimaps(key: Int, first: Int, propagation: FeedbackPropagation, blockSize: Int,
                               readFrames: (ClosedRange<Int>) throws -> [ImageTensor],
                               matte: (_ picture: ImageTensor, _ trimap: ImageTensor, _ index: Int) throws -> ImageTensor)
        throws -> [Int: PackedTrimap] {
        precondition(propagation.direction == .backward, "the pass walks backward")
        precondition(blockSize > 0 && first <= key, "a block holds at least one frame, and the key comes after the first frame")
        var trimaps: [Int: PackedTrimap] = [:]
        var upper = key
        while upper >= first {
            let lower = max(first, upper - blockSize + 1)
            let pictures = try readFrames(lower...upper)
            guard pictures.count == upper - lower + 1 else {
                throw VMatteError.runtime("frames \(lower)-\(upper) could not all be read for the backward trimap pass (got \(pictures.count))")
            }
            for index in stride(from: upper, through: lower, by: -1) {
                let picture = pictures[index - lower]
                let trimap = propagation.trimap(for: index, frame: picture)
                if index < key { trimaps[index] = PackedTrimap(trimap) }
                // The first frame's matte would feed no one.
                if index > first { propagation.record(alpha: try matte(picture, trimap, index), for: index) }
            }
            upper = lower - 1
        }
        return trimaps
    }
}
