import ComplexModule
import RealModule

/// `a` with `b`'s values written (`torch.scatter` with a source tensor) or added
/// (`torch.scatter_add`) at an index along a dim: `y[i with i[dim] = index[i]] = b[i]` (or
/// `+= b[i]`, repeated positions accumulating), other positions of `a` kept. `b` has the
/// index's shape (after the leading dims).
///
/// Derivative: linear in both. The JVP scatters the tangents the same way. The VJP gathers the
/// cotangent at the index for `b`; `a` gets the cotangent itself when adding, and with the
/// written positions zeroed when writing, as PyTorch does (with repeated indices every repeat
/// gets the gradient, although only the last write survives).
struct ScatterOp: BinaryOp {
  /// A non-negative dim, counted after the `extra` leading dims.
  let dim: Int
  /// Non-negative, checked index values, row-major over `indexShape`.
  let index: [Int]
  let indexShape: [Int]
  let extra: Int
  /// Whether values are added (`scatter_add`) rather than written.
  var add = false
  var name: String { add ? "scatterAdd" : "scatter" }
  var sparsity: SparsityRule { add ? .adjointIndexMap : .indexMap }

  func with(extra more: Int) -> ScatterOp {
    ScatterOp(dim: dim, index: index, indexShape: indexShape, extra: extra + more, add: add)
  }

  func primal(_ a: Tensor, _ b: Tensor) -> Tensor {
    let out = a.contiguousValues()
    let source = b.dtype == a.dtype ? b : b.contiguousValues(dtype: a.dtype)
    GatherKernels.scatter(into: out, dim: dim, index: index, indexShape: indexShape, source: source, extra: extra, add: add)
    return out
  }

  func jvp(a: Tensor, b: Tensor, y: Tensor, da: Tensor?, db: Tensor?) -> Tensor? {
    if add && db == nil { return da }
    guard let (ta, tb, more) = bothTangents(a: a, b: b, da: da, db: db) else { return nil }
    return Tensor.apply(with(extra: more), ta, tb)
  }

  func vjp(a: Tensor, b: Tensor, y: Tensor, gy: Tensor, needA: Bool, needB: Bool) -> (Tensor?, Tensor?) {
    let ga = needA ? (add ? gy : Tensor.apply(self, gy, Tensor.zeros(b.shape, dtype: gy.dtype))) : nil
    let gb = needB ? Tensor.apply(GatherOp(dim: dim, index: index, indexShape: indexShape, extra: extra), gy) : nil
    return (ga, gb)
  }

  /// The batch is one more leading dim of both operands (the unbatched one expanded).
  func batched(_ inputs: [Tensor], isBatched: [Bool], batchSize: Int) -> [Tensor]? {
    Batching.leadingDim(with(extra: 1), inputs, isBatched: isBatched, batchSize: batchSize)
  }
}

extension Tensor {
  /// Checks the arguments of `scatter`/`scatterAdd` and applies `make`'s op to this tensor and
  /// the part of `source` the index covers (converted to this tensor's dtype).
  func scattering<Op: BinaryOp>(
    dim: Int, index: Tensor, source: Tensor, op: String, _ make: (Int, [Int], [Int]) -> Op
  ) -> Tensor {
    check(
      source.rank == rank,
      "\(op): the source must have the input's rank, got source shape \(source.shape) for input shape \(shape)")
    check(
      !source.dtype.isComplex || dtype.isComplex,
      "\(op): a \(source.dtype) source cannot be written into a \(dtype) tensor")
    if rank == 0 {
      check(index.rank == 0, "\(op): a 0-d input needs a 0-d index, got shape \(index.shape)")
      _ = Shape.normalize(dim, rank: 0, op: op)
      return reshaped([1]).scattering(dim: 0, index: index.reshaped([1]), source: source.reshaped([1]), op: op, make)
        .reshaped([])
    }
    let d = Shape.normalize(dim, rank: rank, op: op)
    let list = gatherIndex(index, dim: d, op: op, limit: source.shape)
    var part = source
    for k in 0..<rank where part.shape[k] != index.shape[k] {
      part = part.narrowed(dim: k, start: 0, length: index.shape[k])
    }
    return Tensor.apply(make(d, list, index.shape), self, part.converted(to: dtype))
  }

  /// This tensor with `source`'s values written at `index` along `dim`, like
  /// `torch.scatter(input, dim, index, src)` (out of place):
  /// `y[index[i][j][k]][j][k] = source[i][j][k]` for `dim == 0`, and likewise for other dims.
  ///
  /// Only the part of `source` of the index's shape is used. Indices are in `0..<n` along
  /// `dim` (negative ones stop, as in PyTorch). When an index repeats a position, the last
  /// write (in row-major order of the index) wins; PyTorch leaves this case unspecified.
  /// - Parameters:
  ///   - dim: the dimension indexed (negative counts from the end).
  ///   - index: an `int64` tensor of this tensor's rank, no larger than this tensor outside
  ///     `dim` and no larger than `source` anywhere.
  ///   - source: the values; converted to this tensor's dtype.
  /// - Precondition: the ranks and shapes fit, the indices are inside the dimension, and a
  ///   complex source goes into a complex tensor.
  /// Derivative: linear in both. The VJP gives this tensor the cotangent with the written
  /// positions zeroed and `source` the cotangent gathered at `index` (as in PyTorch).
  public func scatter(dim: Int, index: Tensor, source: Tensor) -> Tensor {
    scattering(dim: dim, index: index, source: source, op: "scatter") { d, list, shape in
      ScatterOp(dim: d, index: list, indexShape: shape, extra: 0)
    }
  }

  /// This tensor with `source`'s values added at `index` along `dim`, like
  /// `torch.scatter_add` (out of place): `y[index[i][j][k]][j][k] += source[i][j][k]` for
  /// `dim == 0`, and likewise for other dims. Repeated positions accumulate.
  ///
  /// Only the part of `source` of the index's shape is used. Indices are in `0..<n` along
  /// `dim` (negative ones stop, as in PyTorch).
  /// - Parameters:
  ///   - dim: the dimension indexed (negative counts from the end).
  ///   - index: an `int64` tensor of this tensor's rank, no larger than this tensor outside
  ///     `dim` and no larger than `source` anywhere.
  ///   - source: the values; converted to this tensor's dtype.
  /// - Precondition: the ranks and shapes fit, the indices are inside the dimension, and a
  ///   complex source goes into a complex tensor.
  /// Derivative: linear in both; the VJP gives this tensor the cotangent and `source` the
  /// cotangent gathered at `index`.
  public func scatterAdd(dim: Int, index: Tensor, source: Tensor) -> Tensor {
    scattering(dim: dim, index: index, source: source, op: "scatterAdd") { d, list, shape in
      ScatterOp(dim: d, index: list, indexShape: shape, extra: 0, add: true)
    }
  }
}

// MARK: Taylor rule

extension ScatterOp {
  /// Linear in the input and the source (the indices are constant): the JVP on each
  /// coefficient.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    taylorByLinearity(inputs: inputs, outputs: outputs, series: series)
  }
}
