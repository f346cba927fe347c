@testable import ClosedForm
import MatteCore
import Testing

/// The Swift KNN solver against training/knn_matting.py on the crop of the sample
/// (scripts/make_closed_form_golden.py), the k-d tree against a brute-force search, and
/// the solver's behaviour on small made-up cases.
@Suite struct KNNMattingTests {
    @Test func equalsThePythonMirror() throws {
        let (rgb, trimap, _) = try ClosedFormMattingTests.golden()
        let expected = try ClosedFormMattingTests.goldenKNN()
        let solver = KNNMatting(threads: 2)
        let alpha = try solver.matte(rgb: rgb, trimap: trimap)
        let differences = zip(alpha.pixels, expected).map { Double(abs($0 - $1)) }
        let mean = differences.reduce(0, +) / Double(differences.count)
        #expect(solver.lastSolve.converged && solver.lastSolve.iterations > 0)
        #expect(mean <= 1e-4, "mean |Swift − Python| = \(mean)")
        #expect((differences.max() ?? 0) <= 1e-2, "largest |Swift − Python| = \(differences.max() ?? 0)")
        #expect(expected.contains { $0 > 0.05 && $0 < 0.95 }, "the golden matte has fractional values")
    }

    @Test func treeFindsTheSameNeighboursAsABruteForceSearch() {
        let count = 2000, dimensions = 5
        // Scattered values on a grid of 1/1009, so equal distances (ties) occur too.
        let points = (0..<count * dimensions).map { Float($0 * 7919 % 1009) / 1009 }
        let tree = KDTree(points: points)
        var found: [Int32] = [], search = KDTree.Search()
        for query in stride(from: 0, to: count, by: 37) {
            tree.nearest(to: query, count: 10, into: &found, search: &search)
            func distance(_ j: Int) -> Float {
                (0..<dimensions).reduce(0) { $0 + (points[j * dimensions + $1] - points[query * dimensions + $1]) * (points[j * dimensions + $1] - points[query * dimensions + $1]) }
            }
            let brute = (0..<count).filter { $0 != query }.sorted { (distance($0), $0) < (distance($1), $1) }.prefix(10)
            #expect(found.map { distance(Int($0)) } == brute.map { distance($0) }, "query \(query)")
            #expect(!found.contains(Int32(query)))
        }
    }

    @Test func candidatesAreThePixelsNearAnUnknownOne() {
        let width = 23, height = 17, reach = 3
        let unknownIndex = (0..<width * height).map { p -> Int32 in [40, 41, 200, 390].contains(p) ? 1 : -1 }
        let expected = (0..<width * height).filter { p in
            [40, 41, 200, 390].contains { abs($0 / width - p / width) <= reach && abs($0 % width - p % width) <= reach }
        }
        #expect(KNNMatting.candidates(unknownIndex: unknownIndex, width: width, height: height, reach: reach).map(Int.init) == expected)
    }

    /// Two flat colours meeting at a hard edge: every unknown pixel's neighbours share its colour.
    @Test func separatesTwoFlatColours() throws {
        let (rgb, trimap) = ClosedFormMattingTests.twoFlatColours()
        ClosedFormMattingTests.expectSplitAtTheEdge(try KNNMatting().matte(rgb: rgb, trimap: trimap), tolerance: 1e-2)
    }

    @Test func oneKnownClassFillsTheUnknownBand() throws {
        let rgb = ImageTensor(width: 8, height: 8, channels: 3, fill: 0.4)
        var trimap = ImageTensor(width: 8, height: 8, channels: 1, fill: TrimapValue.unknown)
        trimap[0, 0, 0] = TrimapValue.foreground
        let alpha = try KNNMatting().matte(rgb: rgb, trimap: trimap)
        #expect(alpha.pixels.allSatisfy { $0 == 1 })
        let none = try KNNMatting().matte(rgb: rgb, trimap: ImageTensor(width: 8, height: 8, channels: 1, fill: TrimapValue.unknown))
        #expect(none.pixels.allSatisfy { $0 == 0 })
    }

    @Test func refusesATrimapOfAnotherSize() {
        #expect(throws: VMatteError.self) {
            try KNNMatting().matte(rgb: ImageTensor(width: 8, height: 8, channels: 3), trimap: ImageTensor(width: 9, height: 8, channels: 1))
        }
    }
}
