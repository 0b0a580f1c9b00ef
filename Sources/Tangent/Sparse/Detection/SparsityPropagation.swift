import ComplexModule

/// One op application's pass of sparsity detection: the outputs' index sets from the inputs'
/// by the op's ``SparsityRule``, and the second-order pairs it adds to a Hessian pattern.
struct SparsityPropagation<Op: DifferentiableOp> {
  let op: Op
  /// The plain inputs and outputs (values at the traced point).
  let inputs: [Tensor]
  /// The sets of the floating, traced inputs (`nil` for the others).
  let inputSets: [IndexSets?]
  let outputs: [Tensor]
  let tracer: SparsityTracer

  /// The sets of each output (`nil` for outputs that depend on nothing or are not floating).
  func run() -> [IndexSets?] {
    switch op.sparsity {
    case .dense: return dense()
    case .allToAll(let curvature): return dense(curvature, fallback: false)
    case .elementwise(let curvature): return elementwise(curvature)
    case .indexMap: return indexMap()
    case .reduction(let dims, let curvature): return reduction(dims: dims, curvature)
    case .slices(let dims, let curvature): return slices(dims: dims, curvature)
    case .scan(let dim, let reverse, let curvature): return scan(dim: dim, reverse: reverse, curvature)
    case .matmul: return matmul()
    }
  }

  // MARK: The fallback

  /// Every floating output element depends on every traced input element.
  func dense(_ curvature: SparsityCurvature = .nonlinear, fallback: Bool = true) -> [IndexSets?] {
    if fallback { tracer.noteFallback(op.name) }
    var all: [Int] = []
    for s in inputSets { if let s { all += s.union } }
    let u = Array(Set(all)).sorted()
    if curvature != .linear { tracer.addPairs(within: u[...]) }
    return outputs.map { $0.dtype.isFloatingPoint ? IndexSets(count: $0.count, uniformSet: u) : nil }
  }

  // MARK: Elementwise

  func elementwise(_ curvature: SparsityCurvature) -> [IndexSets?] {
    guard let y = outputs.first(where: { $0.dtype.isFloatingPoint }) else { return outputs.map { _ in nil } }
    let n = y.count
    var parts: [(sets: IndexSets, map: [Int]?, mask: [Bool]?)] = []
    for (k, s) in inputSets.enumerated() {
      guard let s else { continue }
      guard Shape.broadcast(inputs[k].shape, y.shape) == y.shape else { return dense() }
      let map = inputs[k].shape == y.shape ? nil : Self.broadcastMap(from: inputs[k].shape, to: y.shape)
      let mask = tracer.detection == .local ? localMask(input: k, output: y) : nil
      parts.append((s, map, mask))
    }
    var result: IndexSets
    if parts.count == 1, parts[0].map == nil, parts[0].mask == nil {
      result = parts[0].sets
    } else {
      var builder = IndexSetsBuilder(capacity: n)
      var slices: [ArraySlice<Int>] = []
      for e in 0..<n {
        slices.removeAll(keepingCapacity: true)
        for p in parts where p.mask?[e] ?? true { slices.append(p.sets[p.map?[e] ?? e]) }
        builder.append(unionOf: slices)
      }
      result = builder.build()
    }
    if tracer.collectsPairs && curvature != .linear {
      for e in 0..<n {
        let sets = parts.map { $0.sets[$0.map?[e] ?? e] }
        if curvature == .bilinear {
          for a in sets.indices { for b in sets.indices where b > a { tracer.addPairs(sets[a], sets[b]) } }
        } else {
          // Unmasked: a flat first derivative at the point (x² at 0) still has curvature.
          tracer.addPairs(within: sets.count == 1 ? sets[0] : Array(Set(sets.joined())).sorted()[...])
        }
      }
    }
    return outputs.map { $0.dtype.isFloatingPoint && $0.shape == y.shape ? result : ($0.dtype.isFloatingPoint ? dense()[0] : nil) }
  }

  /// Where the output depends on input `k` at the point: its partial derivative, from the
  /// op's JVP rule with a tangent of ones, is not exactly zero.
  func localMask(input k: Int, output y: Tensor) -> [Bool] {
    var tangents = [Tensor?](repeating: nil, count: inputs.count)
    tangents[k] = Tensor.ones(like: inputs[k])
    let index = outputs.firstIndex { $0.dtype.isFloatingPoint }!
    guard let t = op.jvp(inputs: inputs, outputs: outputs, tangents: tangents)[index] else {
      return [Bool](repeating: false, count: y.count)
    }
    let fitted = Autodiff.fitTangent(t, to: y.shape, dtype: y.dtype, op: op.name)
    return fitted.complexDoubles.map { $0 != .zero }
  }

  /// For each element of `to` (row-major), the element of `from` that broadcasts to it.
  static func broadcastMap(from s: [Int], to y: [Int]) -> [Int] {
    let n = y.reduce(1, *)
    guard n > 0 else { return [] }
    let r = y.count, pad = r - s.count
    var strides = [Int](repeating: 0, count: r)
    var acc = 1
    for d in stride(from: s.count - 1, through: 0, by: -1) {
      if s[d] != 1 { strides[d + pad] = acc }
      acc *= s[d]
    }
    var out = [Int]()
    out.reserveCapacity(n)
    var index = [Int](repeating: 0, count: r)
    var position = 0
    for _ in 0..<n {
      out.append(position)
      var d = r - 1
      while d >= 0 {
        index[d] += 1
        position += strides[d]
        if index[d] < y[d] { break }
        position -= strides[d] * index[d]
        index[d] = 0
        d -= 1
      }
    }
    return out
  }

  // MARK: Data movement

  /// The offset of the codes: values below it (fills, padding) are no input's element.
  static var codeBase: Double { 1_048_576 }

  /// Runs the primal on inputs whose values are their own codes and reads where each output
  /// element came from.
  func indexMap() -> [IndexSets?] {
    var coded = inputs
    var starts: [(start: Int, input: Int)] = []
    var total = 0
    for k in inputs.indices where inputs[k].dtype.isFloatingPoint {
      let c = inputs[k].count
      var codes = [Double](repeating: 0, count: c)
      if inputSets[k] != nil {
        for e in 0..<c { codes[e] = Self.codeBase + Double(total + e) }
        starts.append((total, k))
        total += c
      }
      let t = Tensor(shape: inputs[k].shape, scalars: codes)
      coded[k] = inputs[k].dtype.isComplex ? t.converted(to: .complex128) : t
    }
    check(Double(total) < 0x1p52 - Self.codeBase, "\(op.name): too many elements for sparsity detection (\(total))")
    let moved = op.primal(coded)
    guard moved.count == outputs.count else { return dense() }
    var result: [IndexSets?] = []
    for (i, y) in outputs.enumerated() {
      guard y.dtype.isFloatingPoint else { result.append(nil); continue }
      guard moved[i].shape == y.shape else { return dense() }
      let values = moved[i].doubles
      var builder = IndexSetsBuilder(capacity: values.count)
      for v in values {
        let code = v - Self.codeBase
        guard code >= 0, code < Double(total), code == code.rounded(.down) else {
          builder.append(sorted: [][...])
          continue
        }
        let c = Int(code)
        var source = starts.count - 1
        while starts[source].start > c { source -= 1 }
        builder.append(sorted: inputSets[starts[source].input]![c - starts[source].start])
      }
      result.append(builder.build())
    }
    return result
  }

  // MARK: Reductions, slices and scans

  /// The groups of a reduction of input 0 over `dims`: each element's group, the group count,
  /// and the union of each group's sets; `nil` when the dims do not fit the input.
  func groups(_ dims: [Int]) -> (groupOf: [Int], sets: IndexSets)? {
    guard let s = inputSets[0] else { return nil }
    let shape = inputs[0].shape, r = shape.count
    let reduced = Set(dims.map { $0 < 0 ? $0 + r : $0 })
    guard reduced.allSatisfy({ $0 >= 0 && $0 < r }) else { return nil }
    var strides = [Int](repeating: 0, count: r)
    var acc = 1
    for d in stride(from: r - 1, through: 0, by: -1) where !reduced.contains(d) {
      strides[d] = acc
      acc *= shape[d]
    }
    let groupCount = acc, n = inputs[0].count
    var groupOf = [Int](repeating: 0, count: n)
    var index = [Int](repeating: 0, count: r)
    var position = 0
    for e in 0..<n {
      groupOf[e] = position
      var d = r - 1
      while d >= 0 {
        index[d] += 1
        position += strides[d]
        if index[d] < shape[d] { break }
        position -= strides[d] * index[d]
        index[d] = 0
        d -= 1
      }
    }
    // Members by group (a counting sort), then each group's union.
    var start = [Int](repeating: 0, count: groupCount + 1)
    for g in groupOf { start[g + 1] += 1 }
    for g in 0..<groupCount { start[g + 1] += start[g] }
    var fill = start
    var members = [Int](repeating: 0, count: n)
    for e in 0..<n {
      members[fill[groupOf[e]]] = e
      fill[groupOf[e]] += 1
    }
    var builder = IndexSetsBuilder(capacity: groupCount)
    for g in 0..<groupCount {
      builder.append(unsorted: members[start[g]..<start[g + 1]].lazy.flatMap { s[$0] })
    }
    return (groupOf, builder.build())
  }

  func reduction(dims: [Int], _ curvature: SparsityCurvature) -> [IndexSets?] {
    guard inputSets.dropFirst().allSatisfy({ $0 == nil }), let (_, sets) = groups(dims) else { return dense() }
    if curvature != .linear { for g in 0..<sets.count { tracer.addPairs(within: sets[g]) } }
    var result: [IndexSets?] = []
    for y in outputs {
      guard y.dtype.isFloatingPoint else { result.append(nil); continue }
      guard y.count == sets.count else { return dense() }
      result.append(sets)
    }
    return result
  }

  func slices(dims: [Int], _ curvature: SparsityCurvature) -> [IndexSets?] {
    guard inputSets.dropFirst().allSatisfy({ $0 == nil }), let (groupOf, sets) = groups(dims) else { return dense() }
    if curvature != .linear { for g in 0..<sets.count { tracer.addPairs(within: sets[g]) } }
    var builder = IndexSetsBuilder(capacity: groupOf.count)
    for g in groupOf { builder.append(sorted: sets[g]) }
    let spread = builder.build()
    var result: [IndexSets?] = []
    for y in outputs {
      guard y.dtype.isFloatingPoint else { result.append(nil); continue }
      guard y.count == groupOf.count else { return dense() }
      result.append(spread)
    }
    return result
  }

  func scan(dim: Int, reverse: Bool, _ curvature: SparsityCurvature) -> [IndexSets?] {
    guard inputSets.dropFirst().allSatisfy({ $0 == nil }), let s = inputSets[0] else { return dense() }
    let shape = inputs[0].shape, r = shape.count
    let d = dim < 0 ? dim + r : dim
    guard r == 0 || (d >= 0 && d < r) else { return dense() }
    let length = r == 0 ? 1 : shape[d]
    let inner = r == 0 ? 1 : shape[(d + 1)...].reduce(1, *)
    let n = inputs[0].count
    var perElement = [[Int]](repeating: [], count: n)
    if length > 0 && inner > 0 {
      for outer in 0..<(n / (length * inner)) {
        for i in 0..<inner {
          var running: [Int] = []
          for step in 0..<length {
            let l = reverse ? length - 1 - step : step
            let e = outer * length * inner + l * inner + i
            running = Array(Set(running).union(s[e])).sorted()
            if curvature != .linear { tracer.addPairs(within: running[...]) }
            perElement[e] = running
          }
        }
      }
    }
    var builder = IndexSetsBuilder(capacity: n)
    for set in perElement { builder.append(sorted: set[...]) }
    let sets = builder.build()
    var result: [IndexSets?] = []
    for y in outputs {
      guard y.dtype.isFloatingPoint else { result.append(nil); continue }
      guard y.count == n else { return dense() }
      result.append(sets)
    }
    return result
  }

  // MARK: Products

  func matmul() -> [IndexSets?] {
    let a = inputs[0], b = inputs[1]
    guard outputs.count == 1, a.rank >= 2, b.rank >= 2 else { return dense() }
    let y = outputs[0]
    let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1], n = b.shape[b.rank - 1]
    guard b.shape[b.rank - 2] == k, y.rank >= 2, y.shape.suffix(2) == [m, n] else { return dense() }
    let batch = Array(y.shape.dropLast(2))
    let batchCount = batch.reduce(1, *)
    let mapA = Self.broadcastMap(from: Array(a.shape.dropLast(2)), to: batch)
    let mapB = Self.broadcastMap(from: Array(b.shape.dropLast(2)), to: batch)
    let setsA = inputSets[0], setsB = inputSets[1]
    var builder = IndexSetsBuilder(capacity: y.count)
    var rows: [[Int]] = []
    var columns: [[Int]] = []
    for q in 0..<batchCount {
      let qa = mapA.isEmpty ? 0 : mapA[q], qb = mapB.isEmpty ? 0 : mapB[q]
      // The union of each row of `a` and each column of `b` in this batch member.
      rows = (0..<m).map { i in
        guard let s = setsA else { return [] }
        return Array(Set((0..<k).flatMap { s[(qa * m + i) * k + $0] })).sorted()
      }
      columns = (0..<n).map { j in
        guard let s = setsB else { return [] }
        return Array(Set((0..<k).flatMap { s[(qb * k + $0) * n + j] })).sorted()
      }
      for i in 0..<m {
        for j in 0..<n {
          builder.append(unionOf: [rows[i][...], columns[j][...]])
          if let sa = setsA, let sb = setsB, tracer.collectsPairs {
            for l in 0..<k { tracer.addPairs(sa[(qa * m + i) * k + l], sb[(qb * k + l) * n + j]) }
          }
        }
      }
    }
    return [builder.build()]
  }
}
