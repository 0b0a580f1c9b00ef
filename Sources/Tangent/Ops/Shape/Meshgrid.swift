/// How `Tensor.meshgrid` orders its output dims.
public enum MeshgridIndexing: String, Sendable {
  /// Matrix indexing: output `i` varies along dim `i`.
  case ij
  /// Cartesian indexing: the first two dims are swapped (as in NumPy's default).
  case xy
}

extension Tensor {
  /// Coordinate grids from 0-d or 1-d tensors, like `torch.meshgrid`: with `n` inputs of sizes
  /// `s₀ … sₙ₋₁`, each output has shape `[s₀, …, sₙ₋₁]` (`.ij`) or with the first two sizes
  /// swapped (`.xy`), and output `i` repeats input `i` along the other dims. Broadcast views.
  ///
  /// - Precondition: every input has at most one dim.
  /// Derivative: linear; the VJP of output `i` sums over the other dims.
  public static func meshgrid(_ tensors: [Tensor], indexing: MeshgridIndexing = .ij) -> [Tensor] {
    check(tensors.allSatisfy { $0.rank <= 1 }, "meshgrid: expected 0-d or 1-d tensors, got shapes \(tensors.map(\.shape))")
    let swap = indexing == .xy && tensors.count >= 2
    let sizes = tensors.map { $0.count }
    var order = Array(tensors.indices)
    if swap { order.swapAt(0, 1) }
    let shape = order.map { sizes[$0] }
    return tensors.indices.map { i in
      var view = [Int](repeating: 1, count: tensors.count)
      view[order.firstIndex(of: i)!] = sizes[i]
      return tensors[i].reshaped(view).expanded(to: shape)
    }
  }
}
