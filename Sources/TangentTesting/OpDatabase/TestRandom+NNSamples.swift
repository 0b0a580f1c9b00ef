import Tangent

extension TestRandom {
  /// An `int64` tensor of `shape` with entries uniform in `0..<bound`.
  mutating func classes(_ shape: [Int], below bound: Int) -> Tensor {
    Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in Int64(next() % UInt64(bound)) })
  }

  /// `int64` indices for max unpooling an input of spatial `size` (after `lead` dims) with
  /// windows `kernel` that tile the output: each element goes to a random place in its own
  /// window, so no two collide.
  mutating func unpoolIndices(lead: [Int], size: [Int], kernel: Int) -> Tensor {
    let out = size.map { $0 * kernel }, count = size.reduce(1, *)
    var values: [Int64] = []
    for _ in 0..<lead.reduce(1, *) {
      for flat in 0..<count {
        var rest = flat, position = 0, stride = 1
        for d in (0..<size.count).reversed() {
          position += (rest % size[d] * kernel + Int(next() % UInt64(kernel))) * stride
          rest /= size[d]
          stride *= out[d]
        }
        values.append(Int64(position))
      }
    }
    return Tensor(shape: lead + size, scalars: values)
  }

  /// A tensor of `shape` and `dtype` with entries ±1 (labels of the margin losses).
  mutating func signs(_ shape: [Int], dtype: DType) -> Tensor {
    Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in next() % 2 == 0 ? 1.0 : -1.0 }).converted(to: dtype)
  }
}
