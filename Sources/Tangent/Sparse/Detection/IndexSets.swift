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

  /// Runs `body` with a raw view of the sets (for the hot loops of detection).
  func withUnsafeSets<R>(_ body: (UnsafeIndexSets) -> R) -> R {
    offsets.withUnsafeBufferPointer { o in
      indices.withUnsafeBufferPointer { i in body(UnsafeIndexSets(offsets: o, indices: i, uniform: uniform)) }
    }
  }
}

/// A raw view of ``IndexSets``, valid inside ``IndexSets/withUnsafeSets(_:)``.
struct UnsafeIndexSets {
  let offsets: UnsafeBufferPointer<Int>
  let indices: UnsafeBufferPointer<Int>
  let uniform: Bool

  /// The set of element `e`.
  @inline(__always)
  subscript(e: Int) -> UnsafeBufferPointer<Int> {
    uniform ? indices : UnsafeBufferPointer(rebasing: indices[offsets[e]..<offsets[e + 1]])
  }
}

/// Builds ``IndexSets`` element by element.
///
/// The concatenated sets grow in a raw buffer (``GrowableIndices``): detection appends
/// millions of indices one at a time, and an `Array` append checks uniqueness and capacity
/// (and retains the buffer) for each.
struct IndexSetsBuilder {
  private var offsets: [Int]
  private let indices: GrowableIndices
  /// Scratch for unions.
  private var scratch: [Int] = []

  /// A builder for `capacity` elements whose sets hold about `indexCapacity` indices in all.
  init(capacity: Int, indexCapacity: Int = 0) {
    offsets = [0]
    offsets.reserveCapacity(capacity + 1)
    indices = GrowableIndices(capacity: Swift.max(indexCapacity, capacity))
  }

  /// Appends the next element's set, already sorted and unique.
  @inline(__always)
  mutating func append(sorted set: UnsafeBufferPointer<Int>) {
    indices.append(contentsOf: set)
    offsets.append(indices.count)
  }

  /// Appends the next element's set, already sorted and unique.
  @inline(__always)
  mutating func append(sorted set: ArraySlice<Int>) {
    set.withUnsafeBufferPointer { indices.append(contentsOf: $0) }
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

  /// Appends the next element's set as the union of the sets of `members`, indices below
  /// `universe`. A large union (a full reduction's: every input) is marked in a table of
  /// `universe` flags and read off in order, in O(total + universe) instead of a sort.
  mutating func append(unionOf members: ArraySlice<Int>, in sets: UnsafeIndexSets, universe: Int) {
    if sets.uniform {
      append(sorted: members.isEmpty ? UnsafeBufferPointer(start: nil, count: 0) : sets.indices)
      return
    }
    var total = 0
    for m in members { total += sets[m].count }
    guard total >= 1024 && total * 4 >= universe else {
      scratch.removeAll(keepingCapacity: true)
      for m in members { scratch.append(contentsOf: sets[m]) }
      appendSortingScratch()
      return
    }
    var marks = [Bool](repeating: false, count: universe)
    marks.withUnsafeMutableBufferPointer { marks in
      for m in members { for i in sets[m] { marks[i] = true } }
      indices.reserve(universe)
      var p = indices.end
      for i in 0..<universe where marks[i] {
        p.initialize(to: i)
        p += 1
      }
      indices.count = p - indices.base
    }
    offsets.append(indices.count)
  }

  /// Appends the next element's set from indices in any order, with repeats.
  mutating func append<S: Sequence<Int>>(unsorted set: S) {
    scratch.removeAll(keepingCapacity: true)
    scratch.append(contentsOf: set)
    appendSortingScratch()
  }

  private mutating func appendSortingScratch() {
    scratch.sort()
    indices.reserve(scratch.count)
    var last = Int.min
    var p = indices.end
    for i in scratch where i != last {
      p.initialize(to: i)
      p += 1
      last = i
    }
    indices.count = p - indices.base
    offsets.append(indices.count)
  }

  /// Appends the next element's set as the union of two sorted sets.
  mutating func appendMerge(_ a: ArraySlice<Int>, _ b: ArraySlice<Int>) {
    a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in appendMerge(a, b) } }
  }

  /// Appends the next element's set as the union of two sorted sets.
  @inline(__always)
  mutating func appendMerge(_ a: UnsafeBufferPointer<Int>, _ b: UnsafeBufferPointer<Int>) {
    if a.isEmpty || b.isEmpty || a.baseAddress == b.baseAddress {
      indices.append(contentsOf: a.isEmpty ? b : a)
    } else {
      indices.reserve(a.count + b.count)
      var p = indices.end
      var i = 0, j = 0
      while i < a.count && j < b.count {
        let x = a[i], y = b[j]
        p.initialize(to: x < y ? x : y)
        p += 1
        if x <= y { i += 1 }
        if y <= x { j += 1 }
      }
      while i < a.count {
        p.initialize(to: a[i])
        p += 1
        i += 1
      }
      while j < b.count {
        p.initialize(to: b[j])
        p += 1
        j += 1
      }
      indices.count = p - indices.base
    }
    offsets.append(indices.count)
  }

  /// The sets built.
  func build() -> IndexSets { IndexSets(offsets: offsets, indices: indices.array) }
}

/// A growable buffer of `Int`s without `Array`'s per-append checks, for ``IndexSetsBuilder``.
final class GrowableIndices {
  /// The first element.
  private(set) var base: UnsafeMutablePointer<Int>
  /// The number of elements written; the builder sets it after writing through ``end``.
  var count = 0
  private var capacity: Int

  init(capacity: Int) {
    self.capacity = Swift.max(capacity, 16)
    base = UnsafeMutablePointer<Int>.allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  /// Where the next element goes.
  @inline(__always) var end: UnsafeMutablePointer<Int> { base + count }

  /// Makes room for `extra` more elements (``base`` may move).
  @inline(__always) func reserve(_ extra: Int) {
    if count + extra > capacity { grow(to: count + extra) }
  }

  @inline(never) private func grow(to needed: Int) {
    let c = Swift.max(needed, capacity * 2)
    let b = UnsafeMutablePointer<Int>.allocate(capacity: c)
    b.initialize(from: base, count: count)
    base.deallocate()
    base = b
    capacity = c
  }

  /// Appends `elements`.
  @inline(__always) func append(contentsOf elements: UnsafeBufferPointer<Int>) {
    guard let source = elements.baseAddress, !elements.isEmpty else { return }
    reserve(elements.count)
    end.initialize(from: source, count: elements.count)
    count += elements.count
  }

  /// The elements, as an array.
  var array: [Int] { Array(UnsafeBufferPointer(start: base, count: count)) }
}
