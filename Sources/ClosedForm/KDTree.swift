/// Exact k-nearest-neighbour search among points of five dimensions: a k-d tree whose nodes
/// split at the median of their widest dimension, with small buckets at the leaves. The
/// points are stored in tree order, so a bucket is one contiguous run of memory.
struct KDTree: Sendable {
    static let dimensions = 5
    static let bucketSize = 8

    /// The points in tree order, `dimensions` values each.
    private var coordinates: [Float]
    /// The caller's index of each point in tree order.
    private var indices: [Int32]
    /// Where the caller's point `i` sits in tree order.
    private var positions: [Int32]
    private var nodes: [Node] = []

    private struct Node {
        var start: Int32, end: Int32
        /// Children's node indices, or -1 at a leaf.
        var lower: Int32 = -1, upper: Int32 = -1
        var dimension: Int32 = 0
        var split: Float = 0
    }

    /// `points`: `dimensions` values per point, in the caller's order.
    init(points: [Float]) {
        let d = Self.dimensions
        precondition(points.count % d == 0)
        let count = points.count / d
        coordinates = points
        indices = (0..<Int32(count)).map { $0 }
        positions = []
        nodes.reserveCapacity(2 * count / Self.bucketSize + 1)
        nodes.append(Node(start: 0, end: Int32(count)))
        var pending = [0]
        while let index = pending.popLast() {
            let start = Int(nodes[index].start), end = Int(nodes[index].end)
            guard end - start > Self.bucketSize else { continue }
            let dimension = widestDimension(start..<end)
            let middle = start + (end - start) / 2
            selectMedian(start..<end, at: middle, dimension: dimension)
            nodes[index].dimension = Int32(dimension)
            nodes[index].split = coordinates[middle * d + dimension]
            nodes[index].lower = Int32(nodes.count)
            nodes.append(Node(start: Int32(start), end: Int32(middle)))
            nodes[index].upper = Int32(nodes.count)
            nodes.append(Node(start: Int32(middle), end: Int32(end)))
            pending.append(Int(nodes[index].lower))
            pending.append(Int(nodes[index].upper))
        }
        var positions = [Int32](repeating: 0, count: count)
        for (position, index) in indices.enumerated() { positions[Int(index)] = Int32(position) }
        self.positions = positions
    }

    private func widestDimension(_ range: Range<Int>) -> Int {
        let d = Self.dimensions
        return coordinates.withUnsafeBufferPointer { c in
            // Low and high bounds side by side on the stack: this runs once per node.
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * d) { bounds in
                for k in 0..<d { (bounds[k], bounds[d + k]) = (.infinity, -.infinity) }
                for i in range {
                    for k in 0..<d {
                        bounds[k] = min(bounds[k], c[i * d + k])
                        bounds[d + k] = max(bounds[d + k], c[i * d + k])
                    }
                }
                var best = 0
                for k in 1..<d where bounds[d + k] - bounds[k] > bounds[d + best] - bounds[best] { best = k }
                return best
            }
        }
    }

    /// Reorders `range` so position `k` holds the point a sort by `dimension` would put there.
    private mutating func selectMedian(_ range: Range<Int>, at k: Int, dimension: Int) {
        let d = Self.dimensions
        coordinates.withUnsafeMutableBufferPointer { c in
            indices.withUnsafeMutableBufferPointer { index in
                func swap(_ i: Int, _ j: Int) {
                    for m in 0..<d { c.swapAt(i * d + m, j * d + m) }
                    index.swapAt(i, j)
                }
                var low = range.lowerBound, high = range.upperBound - 1
                while low < high {
                    let pivot = c[((low + high) / 2) * d + dimension]
                    var i = low, j = high
                    while i <= j {
                        while c[i * d + dimension] < pivot { i += 1 }
                        while c[j * d + dimension] > pivot { j -= 1 }
                        if i <= j {
                            if i != j { swap(i, j) }
                            i += 1
                            j -= 1
                        }
                    }
                    if k <= j { high = j } else if k >= i { low = i } else { return }
                }
            }
        }
    }

    /// Scratch space of one searching thread, kept between queries.
    struct Search {
        fileprivate var heap: [(distance: Float, index: Int32)] = []
        fileprivate var stack: [(node: Int32, bound: Float)] = []
        init() {}
    }

    /// The `count` points nearest to the caller's point `query` (itself left out), nearest
    /// first (equal distances by index), into `neighbours`.
    func nearest(to query: Int, count: Int, into neighbours: inout [Int32], search: inout Search) {
        let d = Self.dimensions
        search.heap.removeAll(keepingCapacity: true)
        search.stack.removeAll(keepingCapacity: true)
        let own = Int(positions[query])
        coordinates.withUnsafeBufferPointer { c in
            let q = (c[own * d], c[own * d + 1], c[own * d + 2], c[own * d + 3], c[own * d + 4])
            search.stack.append((0, 0))
            while let (nodeIndex, bound) = search.stack.popLast() {
                if search.heap.count == count && bound >= search.heap[0].distance { continue }
                let node = nodes[Int(nodeIndex)]
                if node.lower < 0 {
                    for position in Int(node.start)..<Int(node.end) where position != own {
                        let base = position * d
                        var distance = (c[base] - q.0) * (c[base] - q.0)
                        distance += (c[base + 1] - q.1) * (c[base + 1] - q.1)
                        distance += (c[base + 2] - q.2) * (c[base + 2] - q.2)
                        distance += (c[base + 3] - q.3) * (c[base + 3] - q.3)
                        distance += (c[base + 4] - q.4) * (c[base + 4] - q.4)
                        if search.heap.count < count {
                            Self.push(&search.heap, (distance, indices[position]))
                        } else if distance < search.heap[0].distance {
                            Self.replaceTop(&search.heap, (distance, indices[position]))
                        }
                    }
                    continue
                }
                let value: Float
                switch node.dimension {
                case 0: value = q.0
                case 1: value = q.1
                case 2: value = q.2
                case 3: value = q.3
                default: value = q.4
                }
                let offset = value - node.split
                let (near, far) = offset < 0 ? (node.lower, node.upper) : (node.upper, node.lower)
                // The far side first on the stack, so the near side is searched first.
                search.stack.append((far, max(bound, offset * offset)))
                search.stack.append((near, bound))
            }
        }
        search.heap.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.index < $1.index) }
        neighbours.removeAll(keepingCapacity: true)
        for entry in search.heap { neighbours.append(entry.index) }
    }

    // A max-heap on distance: the root is the farthest of the neighbours kept so far.
    private static func push(_ heap: inout [(distance: Float, index: Int32)], _ entry: (distance: Float, index: Int32)) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[parent].distance < heap[child].distance else { break }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private static func replaceTop(_ heap: inout [(distance: Float, index: Int32)], _ entry: (distance: Float, index: Int32)) {
        heap[0] = entry
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var largest = parent
            if left < heap.count && heap[left].distance > heap[largest].distance { largest = left }
            if right < heap.count && heap[right].distance > heap[largest].distance { largest = right }
            guard largest != parent else { return }
            heap.swapAt(parent, largest)
            parent = largest
        }
    }
}
