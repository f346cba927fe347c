/// 2×2 max-pooling that remembers, per output cell, which of its four inputs won (0…3 in
/// row-major order; the first maximum wins ties, as PyTorch does), and the matching unpool.
enum Pooling {
    static func maxPool(_ input: FeatureMap, into output: FeatureMap, winners: UnsafeMutablePointer<UInt8>) {
        precondition(input.height % 2 == 0 && input.width % 2 == 0)
        precondition(output.height == input.height / 2 && output.width == input.width / 2 && output.channels == input.channels)
        let inWidth = input.width, outWidth = output.width
        for c in 0..<input.channels {
            let source = input.plane(c), target = output.plane(c), codes = winners + c * output.planeSize
            for y in 0..<output.height {
                let top = source + 2 * y * inWidth, bottom = top + inWidth
                for x in 0..<outWidth {
                    var best = top[2 * x], code: UInt8 = 0
                    if top[2 * x + 1] > best { best = top[2 * x + 1]; code = 1 }
                    if bottom[2 * x] > best { best = bottom[2 * x]; code = 2 }
                    if bottom[2 * x + 1] > best { best = bottom[2 * x + 1]; code = 3 }
                    target[y * outWidth + x] = best
                    codes[y * outWidth + x] = code
                }
            }
        }
    }

    /// Puts each value back where its pool's maximum came from; zeros elsewhere.
    static func unpool(_ input: FeatureMap, winners: UnsafePointer<UInt8>, into output: FeatureMap) {
        precondition(output.height == input.height * 2 && output.width == input.width * 2 && output.channels == input.channels)
        let outWidth = output.width, inWidth = input.width
        output.data.update(repeating: 0, count: output.count)
        for c in 0..<input.channels {
            let source = input.plane(c), target = output.plane(c), codes = winners + c * input.planeSize
            for y in 0..<input.height {
                for x in 0..<inWidth {
                    let code = Int(codes[y * inWidth + x])
                    target[(2 * y + code / 2) * outWidth + 2 * x + code % 2] = source[y * inWidth + x]
                }
            }
        }
    }
}
