import ComplexModule
import RealModule

// Shared plumbing of the reduction ops. Their rules address dims from the right (negative
// dims), so the same rule fits tangents with a leading chunk dimension; the chunk helpers
// (`restoringReducedDims` among them) are in Autodiff/ChunkDims.swift.

extension Tensor {
  /// Normalises `dims` (nil means every dim) against the rank, as negative dims.
  func negativeDims(_ dims: [Int]?, op: String) -> [Int] {
    Shape.normalize(dims ?? Array(0..<rank), rank: rank, op: op).map { $0 - rank }
  }

  /// Normalises one dim as a negative dim.
  func negativeDim(_ dim: Int, op: String) -> Int {
    Shape.normalize(dim, rank: rank, op: op) - Swift.max(rank, 1)
  }

  /// Runs a single-dim op on a 0-d tensor as on a 1-element vector (PyTorch accepts dim 0 or
  /// −1 for 0-d tensors), reshaping the results back.
  func viewingScalarAsVector(_ body: (Tensor) -> Tensor) -> Tensor {
    if rank > 0 { return body(self) }
    return body(reshaped([1])).reshaped([])
  }

  /// This tensor converted to the default floating dtype when it is an integer or boolean one.
  var floatingForReduction: Tensor { dtype.isFloatingPoint ? self : converted(to: .defaultFloating) }

  /// Whether any element is exactly zero.
  var containsZero: Bool { mask(.equal, 0).valuesOfEveryMember.scalars(as: Bool.self).contains(true) }
}

/// A constant tensor, broadcastable along `dim` (negative) of a tensor of the given rank, that
/// is one at the first index of the dim (the last when `last`) and zero elsewhere.
func edgeIndicator(size: Int, dim: Int, rank: Int, last: Bool, dtype: DType) -> Tensor {
  var shape = [Int](repeating: 1, count: rank)
  shape[dim + rank] = size
  var values = [Double](repeating: 0, count: size)
  if size > 0 { values[last ? size - 1 : 0] = 1 }
  return Tensor(shape: shape, scalars: values).converted(to: dtype)
}
