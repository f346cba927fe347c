/// The 5×5 neighbourhood a row of the closed-form system couples: positions in raster order,
/// 12 being the pixel itself, 0..<12 the earlier neighbours and 13..<25 the later ones.
enum Stencil {
    static let count = 25
    static let centre = 12
    /// Earlier (or later) neighbours in a row: the strictly lower (or upper) half.
    static let halfCount = 12
    static let steps: [(dy: Int, dx: Int)] = (-2...2).flatMap { dy in (-2...2).map { dx in (dy, dx) } }
}

/// Where the solve keeps the vectors that matrix products and substitutions read by
/// neighbour: one slot per pixel of the picture rows that hold unknown pixels, with a border of
/// two slots all round, so every neighbour of an unknown pixel has a slot and the matrix needs
/// no column indices. Slots of known pixels and of the border stay zero.
struct NeighbourGrid: Sendable {
    let slotCount: Int
    /// The slot of each unknown pixel, in raster order (so ascending).
    let slots: [Int32]
    /// The slot distance to the neighbour at each stencil position.
    let steps: [Int]

    init(unknownPixels: [Int32], width: Int) {
        let rowLength = width + 4
        let firstRow = unknownPixels.first.map { Int($0) / width } ?? 0
        let lastRow = unknownPixels.last.map { Int($0) / width } ?? -1
        slotCount = max(0, lastRow - firstRow + 5) * rowLength
        slots = unknownPixels.map { Int32((Int($0) / width - firstRow + 2) * rowLength + Int($0) % width + 2) }
        steps = Stencil.steps.map { $0.dy * rowLength + $0.dx }
    }

    /// How far the stencil reaches in slots, either way.
    var reach: Int { steps[Stencil.count - 1] }

    /// A zeroed vector over the grid.
    func vector() -> SharedBuffer<Double> { SharedBuffer(repeating: 0, count: slotCount) }
}
