import ComplexModule
import RealModule

extension Tensor {
  /// The dims at `source` moved to the positions `destination`, the others keeping their
  /// order, like `torch.movedim` (`torch.moveaxis`); a view.
  ///
  /// ```swift
  /// x.movedim([0, 1], to: [2, 0])  // shape [2, 3, 4] → [3, 4, 2]
  /// ```
  /// - Parameters:
  ///   - source: distinct dims to move (negative counts from the end).
  ///   - destination: their new positions, as many, distinct.
  /// - Precondition: the lists have one length and each holds distinct dims in range.
  /// Derivative: linear; the VJP applies the inverse permutation.
  public func movedim(_ source: [Int], to destination: [Int]) -> Tensor {
    check(
      source.count == destination.count,
      "movedim: source \(source) and destination \(destination) have different lengths")
    let src = source.map { Shape.normalize($0, rank: rank, op: "movedim") }
    let dst = destination.map { Shape.normalize($0, rank: rank, op: "movedim") }
    check(Set(src).count == src.count, "movedim: source \(source) repeats a dimension")
    check(Set(dst).count == dst.count, "movedim: destination \(destination) repeats a dimension")
    if rank == 0 { return self }
    var order = [Int](repeating: -1, count: rank)
    for (s, d) in zip(src, dst) { order[d] = s }
    var rest = (0..<rank).filter { !src.contains($0) }.makeIterator()
    for i in order.indices where order[i] < 0 { order[i] = rest.next()! }
    return permuted(order)
  }

  /// The dim `source` moved to position `destination`, the others keeping their order, like
  /// `torch.movedim(x, source, destination)`; a view. See the list form.
  ///
  /// - Precondition: both dims are in range (negative counts from the end).
  /// Derivative: linear; the VJP moves the dim back.
  public func movedim(_ source: Int, to destination: Int) -> Tensor { movedim([source], to: [destination]) }
}
