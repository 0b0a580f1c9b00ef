import ComplexModule
import RealModule

extension Tensor {
  /// The block-diagonal matrix of the tensors, like `torch.block_diag`: each is placed
  /// below and to the right of the previous one, with zeros elsewhere. A 0-d tensor is a
  /// 1×1 block and a vector `[n]` a 1×n block. Dtypes are promoted. No tensors give a 1×0
  /// matrix, as in PyTorch.
  ///
  /// - Precondition: every tensor has at most 2 dims.
  /// Derivative: linear; the VJP hands each tensor its block of the cotangent.
  public static func blockDiag(_ tensors: [Tensor]) -> Tensor {
    for (i, t) in tensors.enumerated() {
      check(t.rank <= 2, "blockDiag: input tensors must have at most 2 dimensions, tensor \(i) has shape \(t.shape)")
    }
    if tensors.isEmpty { return zeros([1, 0]) }
    let dtype = tensors.dropFirst().reduce(tensors[0].dtype) { DType.promoted($0, $1.dtype) }
    let blocks = tensors.map { t in t.converted(to: dtype).reshaped(t.rank == 2 ? t.shape : [1, t.count]) }
    let columns = blocks.reduce(0) { $0 + $1.shape[1] }
    var start = 0
    let rows = blocks.map { b in
      defer { start += b.shape[1] }
      return b.padded([start, columns - start - b.shape[1]])
    }
    return rows.count == 1 ? rows[0] : cat(rows, dim: 0)
  }
}
