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
    case .adjointIndexMap: return adjointIndexMap()
    case .batchedMatrices(let curvature): return batchedMatrices(curvature)
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
    let unmaskedParts = parts.allSatisfy { $0.mask == nil }
    if parts.count == 1, parts[0].map == nil, unmaskedParts {
      result = parts[0].sets
    } else if parts.count == 1, unmaskedParts, let map = parts[0].map {
      var builder = IndexSetsBuilder(capacity: n, indexCapacity: parts[0].sets.totalSize)
      parts[0].sets.withUnsafeSets { s in for e in 0..<n { builder.append(sorted: s[map[e]]) } }
      result = builder.build()
    } else if parts.count == 2, unmaskedParts {
      let (a, b) = (parts[0], parts[1])
      var builder = IndexSetsBuilder(capacity: n, indexCapacity: Swift.max(a.sets.totalSize, b.sets.totalSize))
      a.sets.withUnsafeSets { sa in
        b.sets.withUnsafeSets { sb in
          for e in 0..<n { builder.appendMerge(sa[a.map?[e] ?? e], sb[b.map?[e] ?? e]) }
        }
      }
      result = builder.build()
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
      // Unmasked sets: a flat first derivative at the point (x² at 0) still has curvature.
      let unmasked = unmaskedParts ? result : nil
      var sets: [ArraySlice<Int>] = []
      if parts.count == 1 {
        // A product with a constant is linear; a nonlinear function of one input pairs its set.
        if curvature == .nonlinear {
          let p = parts[0]
          p.sets.withUnsafeSets { s in tracer.recordingPairs { b in for e in 0..<n { b.add(within: s[p.map?[e] ?? e]) } } }
        }
      } else if parts.count == 2, curvature == .bilinear {
        let (a, b) = (parts[0], parts[1])
        a.sets.withUnsafeSets { sa in
          b.sets.withUnsafeSets { sb in
            tracer.recordingPairs { buffer in for e in 0..<n { buffer.add(sa[a.map?[e] ?? e], sb[b.map?[e] ?? e]) } }
          }
        }
      } else if let unmasked, curvature == .nonlinear {
        unmasked.withUnsafeSets { s in tracer.recordingPairs { b in for e in 0..<n { b.add(within: s[e]) } } }
      } else {
      for e in 0..<n {
        sets.removeAll(keepingCapacity: true)
        for p in parts { sets.append(p.sets[p.map?[e] ?? e]) }
        if curvature == .bilinear {
          for a in sets.indices { for b in sets.indices where b > a { tracer.addPairs(sets[a], sets[b]) } }
        } else if sets.count == 1 {
          tracer.addPairs(within: sets[0])
        } else if let unmasked {
          tracer.addPairs(within: unmasked[e])
        } else {
          tracer.addPairs(within: Array(Set(sets.joined())).sorted()[...])
        }
      }
      }
    }
    return outputs.map { $0.dtype.isFloatingPoint && $0.shape == y.shape ? result : ($0.dtype.isFloatingPoint ? dense()[0] : nil) }
  }

  /// Where the output depends on input `k` at the point: its partial derivative, from the
  /// op's JVP rule with a tangent of ones, is not exactly zero. A complex input also gets the
  /// tangent `i`, since a function that is not holomorphic (`imag`, `abs`) may depend on one
  /// part only.
  func localMask(input k: Int, output y: Tensor) -> [Bool] {
    let index = outputs.firstIndex { $0.dtype.isFloatingPoint }!
    var mask = [Bool](repeating: false, count: y.count)
    let ones = Tensor.ones(like: inputs[k])
    let directions = inputs[k].dtype.isComplex
      ? [ones, Tensor.full(inputs[k].shape, complex: Complex(0, 1), dtype: inputs[k].dtype)] : [ones]
    for direction in directions {
      var tangents = [Tensor?](repeating: nil, count: inputs.count)
      tangents[k] = direction
      guard let t = op.jvp(inputs: inputs, outputs: outputs, tangents: tangents)[index] else { continue }
      let fitted = Autodiff.fitTangent(t, to: y.shape, dtype: y.dtype, op: op.name)
      for (e, v) in fitted.complexDoubles.enumerated() where v != .zero { mask[e] = true }
    }
    return mask
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
      // A complex element carries its code in both parts, so a view as real pairs keeps it.
      coded[k] = inputs[k].dtype.isComplex
        ? Tensor(shape: inputs[k].shape, scalars: codes.map { Complex($0, $0) })
        : Tensor(shape: inputs[k].shape, scalars: codes)
    }
    check(Double(total) < 0x1p52 - Self.codeBase, "\(op.name): too many elements for sparsity detection (\(total))")
    let moved = op.primal(coded)
    guard moved.count == outputs.count else { return dense() }
    var result: [IndexSets?] = []
    for (i, y) in outputs.enumerated() {
      guard y.dtype.isFloatingPoint else { result.append(nil); continue }
      guard moved[i].shape == y.shape else { return dense() }
      // The set of a code's element, or nil for a value that is no code (a fill).
      func decode(_ v: Double) -> ArraySlice<Int>? {
        let code = v - Self.codeBase
        guard code >= 0, code < Double(total), code == code.rounded(.down) else { return nil }
        let c = Int(code)
        var source = starts.count - 1
        while starts[source].start > c { source -= 1 }
        return inputSets[starts[source].input]![c - starts[source].start]
      }
      var builder = IndexSetsBuilder(capacity: y.count)
      if y.dtype.isComplex {
        // Both parts: a complex view of real pairs takes its parts from two elements.
        for v in moved[i].complexDoubles {
          builder.append(unionOf: [decode(v.real), decode(v.imaginary)].compactMap { $0 })
        }
      } else if starts.count == 1, let sets = inputSets[starts[0].input] {
        // One traced input (a view, a reshape, a roll, a pad): decode without the search.
        let values = moved[i].doubles
        let base = Self.codeBase, limit = Double(total)
        // The identity (a reshape, a contiguous view of everything) keeps the sets as they are.
        if values.count == total && values.indices.allSatisfy({ values[$0] == base + Double($0) }) {
          result.append(sets)
          continue
        }
        sets.withUnsafeSets { s in
          for v in values {
            let code = v - base
            if code >= 0, code < limit, code == code.rounded(.down) {
              builder.append(sorted: s[Int(code)])
            } else {
              builder.append(sorted: UnsafeBufferPointer(start: nil, count: 0))
            }
          }
        }
      } else {
        for v in moved[i].doubles { builder.append(sorted: decode(v) ?? [][...]) }
      }
      result.append(builder.build())
    }
    return result
  }

  /// Runs the VJP rule on cotangents that encode their output elements and reads, for each
  /// input element, the output element it feeds.
  func adjointIndexMap() -> [IndexSets?] {
    var cotangents: [Tensor?] = []
    var starts: [Int] = []
    var total = 0
    for y in outputs {
      starts.append(total)
      guard y.dtype.isFloatingPoint else { cotangents.append(nil); continue }
      let codes = Tensor(shape: y.shape, scalars: (0..<y.count).map { Self.codeBase + Double(total + $0) })
      cotangents.append(codes.converted(to: y.dtype))
      total += y.count
    }
    let exact = outputs.allSatisfy { $0.dtype != .float32 && $0.dtype != .complex64 } ? 0x1p52 : 0x1p24
    guard Double(total) < exact - Self.codeBase else { return dense() }
    let grads = op.vjp(inputs: inputs, outputs: outputs, cotangents: cotangents, needed: inputSets.map { $0 != nil })
    // (output code, input, element) for every input element that feeds an output.
    var feeds: [(code: Int, input: Int, element: Int)] = []
    for (k, s) in inputSets.enumerated() {
      guard let s, let g = grads[k] else { continue }
      let fitted = Autodiff.fitCotangent(g, shape: inputs[k].shape, dtype: inputs[k].dtype, op: op.name)
      for (e, v) in fitted.doubles.enumerated() where !s[e].isEmpty {
        let code = v - Self.codeBase
        guard code >= 0, code < Double(total), code == code.rounded(.down) else { continue }
        feeds.append((Int(code), k, e))
      }
    }
    feeds.sort { $0.code < $1.code }
    var result: [IndexSets?] = []
    var f = 0
    for (i, y) in outputs.enumerated() {
      guard y.dtype.isFloatingPoint else { result.append(nil); continue }
      var builder = IndexSetsBuilder(capacity: y.count)
      for e in 0..<y.count {
        let code = starts[i] + e
        var members: [Int] = []
        while f < feeds.count && feeds[f].code == code {
          members.append(contentsOf: inputSets[feeds[f].input]![feeds[f].element])
          f += 1
        }
        builder.append(unsorted: members)
      }
      result.append(builder.build())
    }
    return result
  }

  /// Linear algebra: whole matrices of one batch member.
  func batchedMatrices(_ curvature: SparsityCurvature) -> [IndexSets?] {
    var batch: [Int] = []
    for (k, x) in inputs.enumerated() where inputSets[k] != nil {
      guard x.rank >= 2, let b = Shape.broadcast(batch, Array(x.shape.dropLast(2))) else { return dense() }
      batch = b
    }
    let batchCount = batch.reduce(1, *)
    // The union of each traced input's matrices, per batch member.
    var members = [[Int]](repeating: [], count: batchCount)
    for (k, x) in inputs.enumerated() {
      guard let s = inputSets[k] else { continue }
      let size = x.shape.suffix(2).reduce(1, *)
      let map = Self.broadcastMap(from: Array(x.shape.dropLast(2)), to: batch)
      for q in 0..<batchCount {
        let source = map.isEmpty ? 0 : map[q]
        for e in (source * size)..<((source + 1) * size) { members[q].append(contentsOf: s[e]) }
      }
    }
    var builder = IndexSetsBuilder(capacity: batchCount)
    for m in members { builder.append(unsorted: m) }
    let sets = builder.build()
    if curvature != .linear { for q in 0..<batchCount { tracer.addPairs(within: sets[q]) } }
    var result: [IndexSets?] = []
    for y in outputs {
      guard y.dtype.isFloatingPoint else { result.append(nil); continue }
      guard y.rank >= batch.count, Array(y.shape.prefix(batch.count)) == batch else { return dense() }
      let per = batch.isEmpty ? y.count : y.shape.dropFirst(batch.count).reduce(1, *)
      var b = IndexSetsBuilder(capacity: y.count)
      for q in 0..<batchCount { for _ in 0..<per { b.append(sorted: sets[q]) } }
      result.append(batchCount == 0 ? .empty(y.count) : b.build())
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
    s.withUnsafeSets { sets in
      for g in 0..<groupCount {
        builder.append(unionOf: members[start[g]..<start[g + 1]], in: sets, universe: tracer.inputCount)
      }
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
    guard inputSets.dropFirst().allSatisfy({ $0 == nil }), let (_, sets) = groups(dims) else { return dense() }
    if curvature != .linear { for g in 0..<sets.count { tracer.addPairs(within: sets[g]) } }
    let x = inputs[0].shape, r = x.count
    let sliced = Set(dims.map { $0 < 0 ? $0 + r : $0 })
    var result: [IndexSets?] = []
    for y in outputs {
      guard y.dtype.isFloatingPoint else { result.append(nil); continue }
      // The output's group of each element, by its coordinates in the other dims.
      guard y.rank == r, (0..<r).allSatisfy({ sliced.contains($0) || y.shape[$0] == x[$0] }) else { return dense() }
      let groupShape = (0..<r).map { sliced.contains($0) ? 1 : x[$0] }
      let groupOf = Self.broadcastMap(from: groupShape, to: y.shape)
      var builder = IndexSetsBuilder(capacity: y.count)
      for g in groupOf { builder.append(sorted: sets[g]) }
      result.append(builder.build())
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
