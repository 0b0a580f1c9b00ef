import ComplexModule
import RealModule

extension Tensor {
  /// This tensor without its dims of size 1, like `torch.squeeze`; a view.
  ///
  /// Derivative: linear; the VJP reshapes back.
  public func squeezed() -> Tensor {
    reshaped(shape.filter { $0 != 1 })
  }

  /// This tensor without the listed dims, those of them that have size 1, like
  /// `torch.squeeze(x, dims)`; other listed dims are kept, as in PyTorch. A view.
  ///
  /// - Precondition: the dims are in range (negative counts from the end) and distinct.
  /// Derivative: linear; the VJP reshapes back.
  public func squeezed(dims: [Int]) -> Tensor {
    let d = Set(Shape.normalize(dims, rank: rank, op: "squeeze"))
    if rank == 0 { return self }
    return reshaped(shape.enumerated().filter { !(d.contains($0.offset) && $0.element == 1) }.map(\.element))
  }

  /// This tensor without `dim` if it has size 1. See ``squeezed(dims:)``.
  public func squeezed(dim: Int) -> Tensor { squeezed(dims: [dim]) }

  /// This tensor with a new dim of size 1 at position `dim`, like `torch.unsqueeze`; a view.
  ///
  /// - Precondition: `-(rank + 1) <= dim <= rank`; negative counts from the end of the result.
  /// Derivative: linear; the VJP reshapes back.
  public func unsqueezed(dim: Int) -> Tensor {
    let d = Shape.normalize(dim, rank: rank + 1, op: "unsqueeze")
    var s = shape
    s.insert(1, at: d)
    return reshaped(s)
  }
}
