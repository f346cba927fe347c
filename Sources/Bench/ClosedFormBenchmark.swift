import ClosedForm
import Decode
import Engine
import Foundation
import MatteCore
import Trimaps

/// Closed-form matting speed on one picture and trimap: the median solve over repeats, split
/// into building the system, factoring it and iterating, with the seconds per iteration; and
/// KNN matting's on the same picture beside it (neighbour search and solve).
public enum ClosedFormBenchmark {
    /// Solves `repeats` times from zero, stopping at `tolerance`, on `threads` threads.
    public static func run(image: String, trimap: String, tolerance: Double, repeats: Int, threads: Int) throws -> [String: Any] {
        let rgb = try readImage(image, planes: .rgb)
        let key = try TrimapKeys.load(trimap, frameIndex: 0).key.values
        guard rgb.width == key.width, rgb.height == key.height else {
            throw VMatteError.badInput("the trimap is \(key.width)x\(key.height) but the picture is \(rgb.width)x\(rgb.height)")
        }
        return try ["image": image].merging(run(rgb: rgb, trimap: key, tolerance: tolerance, repeats: repeats, threads: threads)) { $1 }
    }

    /// The same on planes in memory (`trimap` 0 / 0.5 / 1).
    public static func run(rgb: ImageTensor, trimap: ImageTensor, tolerance: Double, repeats: Int, threads: Int) throws -> [String: Any] {
        var phases: [ClosedFormPhases] = []
        var iterations = 0
        for _ in 0..<max(1, repeats) {
            let solver = ClosedFormMatting(relativeTolerance: tolerance, threads: threads, warmStarts: false)
            _ = try solver.matte(rgb: rgb, trimap: trimap)
            phases.append(solver.lastPhases)
            iterations = solver.lastSolve.iterations
        }
        var knnPhases: [(search: Double, solve: Double)] = []
        var knnIterations = 0
        for _ in 0..<max(1, repeats) {
            let solver = KNNMatting(threads: threads)
            _ = try solver.matte(rgb: rgb, trimap: trimap)
            knnPhases.append(solver.lastPhases)
            knnIterations = solver.lastSolve.iterations
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let iterating = median(phases.map(\.iterations))
        let unknown = trimap.pixels.filter { $0 == TrimapValue.unknown }.count
        return [
            "width": rgb.width, "height": rgb.height, "unknownPixels": unknown,
            "tolerance": tolerance, "threads": threads, "repeats": phases.count, "iterations": iterations,
            "secondsSystem": median(phases.map(\.system)), "secondsFactor": median(phases.map(\.factor)),
            "secondsIterating": iterating,
            "secondsPerSolve": median(phases.map { $0.system + $0.factor + $0.iterations }),
            "millisecondsPerIteration": iterations > 0 ? 1000 * iterating / Double(iterations) : 0,
            "knnSecondsSearch": median(knnPhases.map(\.search)), "knnSecondsSolve": median(knnPhases.map(\.solve)),
            "knnSecondsPerSolve": median(knnPhases.map { $0.search + $0.solve }), "knnIterations": knnIterations,
            "openblasCore": BLASRuntime.coreName, "peakResidentMiB": ResourceUsage.peakResidentMiB,
        ]
    }
}
