@testable import Engine
import Foundation
import MatteCore
import Testing

@Suite struct TilingTests {
    let network = try! MattingNetwork(path: GoldenFiles.weights)

    func picture(width: Int, height: Int) -> (ImageTensor, ImageTensor) {
        var rgb = ImageTensor(width: width, height: height, channels: 3)
        var trimap = ImageTensor(width: width, height: height, channels: 1, fill: TrimapValue.background)
        for c in 0..<3 { for y in 0..<height { for x in 0..<width { rgb[c, y, x] = Float((x * (c + 3) + y * 7) % 97) / 96 } } }
        // Foreground square with an unknown frame around it, in the top-left quarter only.
        for y in 10..<50 { for x in 12..<60 { trimap[0, y, x] = TrimapValue.unknown } }
        for y in 20..<40 { for x in 22..<50 { trimap[0, y, x] = TrimapValue.foreground } }
        return (rgb, trimap)
    }

    @Test func skipsTilesWithoutUnknownPixelsAndKeepsKnownValues() throws {
        let (rgb, trimap) = picture(width: 200, height: 150)
        let engine = MattingEngine(network: network, tiles: TileSettings(size: 64, halo: 16))
        let alpha = try engine.matte(rgb: rgb, trimap: trimap)
        #expect(engine.tilesRun == 1 && engine.tilesSkipped == 11)
        for i in alpha.pixels.indices {
            switch trimap.pixels[i] {
            case TrimapValue.foreground: #expect(alpha.pixels[i] == 1)
            case TrimapValue.background: #expect(alpha.pixels[i] == 0)
            default: #expect(alpha.pixels[i] >= 0 && alpha.pixels[i] <= 1)
            }
        }
    }

    @Test func runsTheWholeFrameWhenTilesWouldCostMore() throws {
        let (rgb, _) = picture(width: 160, height: 96)
        let everywhere = ImageTensor(width: 160, height: 96, channels: 1, fill: TrimapValue.unknown)
        let engine = MattingEngine(network: network, tiles: TileSettings(size: 64, halo: 32))
        let tiled = try engine.matte(rgb: rgb, trimap: everywhere)
        #expect(engine.tilesRun == 1 && engine.pixelsRun == 160 * 96)
        #expect(tiled == (try MattingEngine(network: network, tiles: nil).matte(rgb: rgb, trimap: everywhere)))
    }

    @Test func aTileWhoseContextIsTheWholeFrameEqualsTheWholeFrame() throws {
        let (rgb, trimap) = picture(width: 120, height: 90)
        let whole = try MattingEngine(network: network, tiles: nil).matte(rgb: rgb, trimap: trimap)
        let tiled = try MattingEngine(network: network, tiles: TileSettings(size: 64, halo: 200)).matte(rgb: rgb, trimap: trimap)
        #expect(tiled == whole)
    }

    /// With tiles laid out symmetrically and no padding, mirror averaging commutes with mirroring
    /// the picture: a mirrored tile read from or written to the wrong columns breaks it.
    @Test func mirrorAveragedTilesCommuteWithMirroring() throws {
        var (rgb, trimap) = picture(width: 192, height: 128)
        for y in 60..<80 { for x in 0..<192 { trimap[0, y, x] = TrimapValue.unknown } }
        let engine = MattingEngine(network: network, tiles: TileSettings(size: 64, halo: 32, wholeFrameWhenCheaper: false),
                                   averagesMirrored: true)
        let alpha = try engine.matte(rgb: rgb, trimap: trimap)
        #expect(engine.tilesRun == 6)
        let alphaOfMirror = try engine.matte(rgb: mirrored(rgb), trimap: mirrored(trimap))
        let commutes = mirrored(alphaOfMirror) == alpha
        #expect(commutes, "mirror-averaged matte of the mirrored picture, mirrored back, differs")
        let plain = try MattingEngine(network: network, tiles: engine.tiles).matte(rgb: rgb, trimap: trimap)
        let averagingChangesTheMatte = plain != alpha
        #expect(averagingChangesTheMatte)
    }

    func mirrored(_ image: ImageTensor) -> ImageTensor {
        var out = image
        for c in 0..<image.channels { for y in 0..<image.height { for x in 0..<image.width { out[c, y, x] = image[c, y, image.width - 1 - x] } } }
        return out
    }

    @Test func contextStaysInsideTheImageAndCoversTheCore() {
        for (core, limit) in [(0..<64, 500), (448..<500, 500), (100..<164, 120), (0..<20, 20)] {
            let region = MattingEngine.context(around: core, halo: 32, limit: limit, multiple: 32)
            #expect(region.lowerBound >= 0 && region.upperBound <= limit)
            #expect(region.lowerBound <= core.lowerBound && region.upperBound >= min(core.upperBound, limit))
            #expect(region.lowerBound % 32 == 0 && (region.upperBound % 32 == 0 || region.upperBound == limit))
        }
    }

    @Test func choosesTheKernelFromCPUFlags() {
        #expect(BLASRuntime.recommendedCore(cpuFlags: ["avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl"]) == "SkylakeX")
        #expect(BLASRuntime.recommendedCore(cpuFlags: ["avx2", "fma", "avx512f"]) == "Haswell")
        #expect(BLASRuntime.recommendedCore(cpuFlags: ["sse4_2"]) == nil)
        #expect(BLASRuntime.productIsCorrect())
    }
}
