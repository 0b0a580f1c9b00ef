/// One sorted set of input indices per element of a tensor, in compressed form: the sets of
/// sparsity detection.
///
/// Element `e` (row-major over the tensor's shape) depends on the inputs
/// `indices[offsets[e]..<offsets[e + 1]]`, sorted and without repeats. A tensor whose elements
/// all have one set (a dense fallback, a full reduction broadcast back) keeps that set once.
struct IndexSets: Sendable {
  /// The number of elements.
  let count: Int
  /// `count + 1` offsets into ``indices``, or empty when ``uniform`` holds every element's set.
  private(set) var offsets: [Int]
  /// The concatenated sets.
  private(set) var indices: [Int]
  /// Whether every element has the set ``indices``.
  let uniform: Bool

  /// Sets from offsets and concatenated sorted sets.
  init(offsets: [Int], indices: [Int]) {
    count = offsets.count - 1
    self.offsets = offsets
    self.indices = indices
    uniform = false
  }

  /// `count` elements that all depend on `set` (sorted, unique).
  init(count: Int, uniformSet set: [Int]) {
    self.count = count
    offsets = []
    indices = set
    uniform = true
  }

  /// `count` elements that depend on nothing.
  static func empty(_ count: Int) -> IndexSets { IndexSets(count: count, uniformSet: []) }

  /// The identity sets of a function input: element `e` depends on input `start + e`.
  static func identity(count: Int, start: Int) -> IndexSets {
    IndexSets(offsets: Array(0...count), indices: Array(start..<(start + count)))
  }

  /// The set of element `e`.
  @inline(__always)
  subscript(e: Int) -> ArraySlice<Int> {
    uniform ? indices[...] : indices[offsets[e]..<offsets[e + 1]]
  }

  /// Whether no element depends on anything.
  var isEmpty: Bool { indices.isEmpty }

  /// The union of every element's set.
  var union: [Int] {
    if uniform || count <= 1 { return count == 0 ? [] : Array(indices) }
    return Array(Set(indices)).sorted()
  }

  /// The total size of the sets (the nonzeros of the Jacobian block they describe).
  var totalSize: Int { uniform ? indices.count * count : indices.count }
}

/// Builds ``IndexSets`` element by element.
struct IndexSetsBuilder {
  private var offsets: [Int]
  private var indices: [Int] = []
  /// Scratch for unions.
  private var scratch: [Int] = []

  /// A builder for `capacity` elements whose sets hold about `indexCapacity` indices in all.
  init(capacity: Int, indexCapacity: Int = 0) {
    offsets = [0]
    offsets.reserveCapacity(capacity + 1)
    indices.reserveCapacity(indexCapacity)
  }

  /// Appends the next element's set, already sorted and unique.
  @inline(__always)
  mutating func append(sorted set: ArraySlice<Int>) {
    indices.append(contentsOf: set)
    offsets.append(indices.count)
  }

  /// Appends the next element's set as the union of sorted sets.
  mutating func append(unionOf sets: [ArraySlice<Int>]) {
    switch sets.count {
    case 0: offsets.append(indices.count)
    case 1: append(sorted: sets[0])
    case 2: appendMerge(sets[0], sets[1])
    default:
      scratch.removeAll(keepingCapacity: true)
      for s in sets { scratch.append(contentsOf: s) }
      appendSortingScratch()
    }
  }

  /// Appends the next element's set from indices in any order, with repeats.
  mutating func append<S: Sequence<Int>>(unsorted set: S) {
    scratch.removeAll(keepingCapacity: true)
    scratch.append(contentsOf: set)
    appendSortingScratch()
  }

  private mutating func appendSortingScratch() {
    scratch.sort()
    var last = Int.min
    for i in scratch where i != last {
      indices.append(i)
      last = i
    }
    offsets.append(indices.count)
  }

  /// Appends the next element's set as the union of two sorted sets.
  mutating func appendMerge(_ a: ArraySlice<Int>, _ b: ArraySlice<Int>) {
    if a.isEmpty { return append(sorted: b) }
    if b.isEmpty { return append(sorted: a) }
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        var i = 0, j = 0
        while i < a.count && j < b.count {
          let x = a[i], y = b[j]
          if x < y {
            indices.append(x)
            i += 1
          } else if y < x {
            indices.append(y)
            j += 1
          } else {
            indices.append(x)
            i += 1
            j += 1
          }
        }
        if i < a.count { indices.append(contentsOf: a[i...]) }
        if j < b.count { indices.append(contentsOf: b[j...]) }
      }
    }
    offsets.append(indices.count)
  }

  /// The sets built.
  func build() -> IndexSets { IndexSets(offsets: offsets, indices: indices) }
}
