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
  @exclusivity(unchecked) private var pairRows: [Int] = []
  @exclusivity(unchecked) private var pairColumns: [Int] = []
  private var fallbacks: Set<String> = []

  init(detection: SparsityDetection, collectsPairs: Bool, inputCount: Int) {
    self.detection = detection
    self.collectsPairs = collectsPairs
    self.inputCount = inputCount
  }

  /// Records that every input in `a` meets every input in `b` at second order. Only pairs
  /// `(i, j)` with `i ≤ j` are stored; ``pairPattern`` mirrors them.
  func addPairs(_ a: ArraySlice<Int>, _ b: ArraySlice<Int>) {
    guard collectsPairs, !a.isEmpty, !b.isEmpty else { return }
    for i in a {
      for j in b {
        pairRows.append(Swift.min(i, j))
        pairColumns.append(Swift.max(i, j))
      }
    }
  }

  /// Records every pair within a sorted set.
  func addPairs(within set: ArraySlice<Int>) {
    guard collectsPairs, !set.isEmpty else { return }
    var start = set.startIndex
    for i in set {
      for j in set[start...] {
        pairRows.append(i)
        pairColumns.append(j)
      }
      start += 1
    }
  }

  /// Records an op that used the dense fallback.
  func noteFallback(_ name: String) { fallbacks.insert(name) }

  /// The ops that used the dense fallback, sorted.
  var fallbackOps: [String] { fallbacks.sorted() }

  /// The symmetric pattern of the pairs recorded: each pair and its mirror, by a counting sort
  /// on the row, then each row sorted and deduplicated.
  var pairPattern: SparsityPattern {
    var start = [Int](repeating: 0, count: inputCount + 1)
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
    for i in 0..<inputCount {
      columns[start[i]..<start[i + 1]].sort()
      var last = -1
      for j in columns[start[i]..<start[i + 1]] where j != last {
        unique.append(j)
        last = j
      }
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
