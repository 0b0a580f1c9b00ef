/// The index sets a traced tensor carries during sparsity detection, and the detection they
/// belong to.
final class SparsityTrace: @unchecked Sendable {
  /// One set of function inputs per element.
  let sets: IndexSets
  /// The detection in progress.
  let tracer: SparsityTracer

  init(sets: IndexSets, tracer: SparsityTracer) {
    self.sets = sets
    self.tracer = tracer
  }
}

/// One run of sparsity detection: its options, the Hessian pairs found so far, and the ops
/// that fell back to ``SparsityRule/dense``. A detection runs on one task, the one that called
/// it, so the recorded state needs no lock.
final class SparsityTracer: @unchecked Sendable {
  let detection: SparsityDetection
  /// Whether second-order pairs are collected (a Hessian pattern).
  let collectsPairs: Bool
  /// The number of inputs of the traced function (the columns).
  let inputCount: Int
  /// The second-order pairs `(i, j)`, `i ≤ j`, recorded so far.
  @exclusivity(unchecked) private var pairs = PairBuffer()
  private var fallbacks: Set<String> = []

  init(detection: SparsityDetection, collectsPairs: Bool, inputCount: Int) {
    self.detection = detection
    self.collectsPairs = collectsPairs
    self.inputCount = inputCount
  }

  /// Records that every input in `a` meets every input in `b` at second order.
  func addPairs(_ a: ArraySlice<Int>, _ b: ArraySlice<Int>) {
    guard collectsPairs else { return }
    a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in pairs.add(a, b) } }
  }

  /// Records every pair within a sorted set.
  func addPairs(within set: ArraySlice<Int>) {
    guard collectsPairs else { return }
    set.withUnsafeBufferPointer { pairs.add(within: $0) }
  }

  /// Runs `body` with the pair buffer, for loops that record many pairs (nothing runs when
  /// no pairs are collected).
  func recordingPairs(_ body: (inout PairBuffer) -> Void) {
    guard collectsPairs else { return }
    body(&pairs)
  }

  /// Records an op that used the dense fallback.
  func noteFallback(_ name: String) { fallbacks.insert(name) }

  /// The ops that used the dense fallback, sorted.
  var fallbackOps: [String] { fallbacks.sorted() }

  /// The symmetric pattern of the pairs recorded: each pair and its mirror, by a counting sort
  /// on the row, then each row deduplicated (by a marker) and sorted.
  var pairPattern: SparsityPattern {
    var start = [Int](repeating: 0, count: inputCount + 1)
    let pairRows = pairs.rows, pairColumns = pairs.columns
    for (i, j) in zip(pairRows, pairColumns) {
      start[i + 1] += 1
      if i != j { start[j + 1] += 1 }
    }
    for i in 0..<inputCount { start[i + 1] += start[i] }
    var fill = start
    var columns = [Int](repeating: 0, count: start[inputCount])
    for (i, j) in zip(pairRows, pairColumns) {
      columns[fill[i]] = j
      fill[i] += 1
      if i != j {
        columns[fill[j]] = i
        fill[j] += 1
      }
    }
    var offsets = [0]
    offsets.reserveCapacity(inputCount + 1)
    var unique: [Int] = []
    unique.reserveCapacity(columns.count)
    var marker = [Int](repeating: -1, count: inputCount)
    for i in 0..<inputCount {
      let rowStart = unique.count
      for t in start[i]..<start[i + 1] where marker[columns[t]] != i {
        marker[columns[t]] = i
        unique.append(columns[t])
      }
      unique[rowStart...].sort()
      offsets.append(unique.count)
    }
    return SparsityPattern(rows: inputCount, columns: inputCount, rowOffsets: offsets, columnIndices: unique)
  }
}

extension Tensor {
  /// The index sets this tensor carries during sparsity detection, if any.
  var sparsityTrace: SparsityTrace? { autodiff?.trace }

  /// This tensor (detached) carrying the sets of a trace.
  func tracing(_ sets: IndexSets, _ tracer: SparsityTracer) -> Tensor {
    var t = detached
    t.autodiff = AutodiffState(tangents: [], edge: nil, trace: SparsityTrace(sets: sets, tracer: tracer))
    return t
  }
}

extension Autodiff {
  /// The forward path of an op when an input is traced by sparsity detection: the primal on
  /// the plain values, then the op's ``DifferentiableOp/sparsity`` rule gives the outputs' sets.
  static func traceSparsity<Op: DifferentiableOp>(_ op: Op, _ inputs: [Tensor]) -> [Tensor] {
    var tracer: SparsityTracer!
    for x in inputs {
      check(
        x.levelTangents.isEmpty && x.autodiff?.edge == nil,
        "\(op.name): sparsity detection cannot trace through a derivative transform (jvp, gradient, hvp, ...) inside the traced function")
      guard let t = x.sparsityTrace else { continue }
      check(
        tracer == nil || tracer === t.tracer,
        "\(op.name): an input carries the sets of another sparsity detection (a traced tensor leaked out of jacobianSparsity)")
      tracer = t.tracer
    }
    let plain = inputs.map(\.detached)
    var outputs = op.primal(plain)
    let sets = SparsityPropagation(
      op: op, inputs: plain, inputSets: inputs.map { $0.dtype.isFloatingPoint ? $0.sparsityTrace?.sets : nil },
      outputs: outputs, tracer: tracer
    ).run()
    for i in outputs.indices {
      guard let s = sets[i], !s.isEmpty, outputs[i].dtype.isFloatingPoint else { continue }
      outputs[i] = outputs[i].tracing(s, tracer)
    }
    return outputs
  }
}

/// Second-order pairs `(i, j)` with `i ≤ j`, in two raw growable buffers (a Hessian's
/// detection records a few pairs per element and op: millions for 10⁵ inputs).
struct PairBuffer {
  let rowBuffer = GrowableIndices(capacity: 1024)
  let columnBuffer = GrowableIndices(capacity: 1024)

  /// The first element of each pair.
  var rows: UnsafeBufferPointer<Int> { UnsafeBufferPointer(start: rowBuffer.base, count: rowBuffer.count) }
  /// The second element of each pair.
  var columns: UnsafeBufferPointer<Int> { UnsafeBufferPointer(start: columnBuffer.base, count: columnBuffer.count) }

  /// Every input of `a` meets every input of `b`.
  @inline(__always)
  mutating func add(_ a: UnsafeBufferPointer<Int>, _ b: UnsafeBufferPointer<Int>) {
    rowBuffer.reserve(a.count * b.count)
    columnBuffer.reserve(a.count * b.count)
    var r = rowBuffer.end, c = columnBuffer.end
    for i in a {
      for j in b {
        r.initialize(to: Swift.min(i, j))
        c.initialize(to: Swift.max(i, j))
        r += 1
        c += 1
      }
    }
    rowBuffer.count = r - rowBuffer.base
    columnBuffer.count = c - columnBuffer.base
  }

  /// Every pair within a sorted set.
  @inline(__always)
  mutating func add(within set: UnsafeBufferPointer<Int>) {
    let pairs = set.count * (set.count + 1) / 2
    rowBuffer.reserve(pairs)
    columnBuffer.reserve(pairs)
    var r = rowBuffer.end, c = columnBuffer.end
    for k in set.indices {
      for l in k..<set.count {
        r.initialize(to: set[k])
        c.initialize(to: set[l])
        r += 1
        c += 1
      }
    }
    rowBuffer.count = r - rowBuffer.base
    columnBuffer.count = c - columnBuffer.base
  }
}
