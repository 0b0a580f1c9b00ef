import ComplexModule
import RealModule

extension Tensor {
  /// The product of a chain of matrices, like `torch.linalg.multi_dot`, multiplied in the
  /// order that needs the fewest scalar multiplications (the classic dynamic programme over
  /// the chain's sizes). The first operand may be a vector (a row) and the last one a vector
  /// (a column); their dim is removed from the result, as in `matmul`.
  ///
  /// Derivative: multilinear; each factor's rule is the one of ``matmul(_:)``.
  /// - Precondition: at least two operands of one dtype; the inner ones are 2-d, the outer
  ///   ones 1-d or 2-d, and neighbouring sizes agree.
  /// - Complexity: O(n³) in the number of operands for the order, plus the products.
  public static func multiDot(_ tensors: [Tensor]) -> Tensor {
    check(tensors.count >= 2, "linalg.multi_dot: expected at least 2 tensors, got \(tensors.count)")
    let shapes = tensors.map(\.shape)
    let dtype = tensors[0].dtype
    check(
      tensors.allSatisfy { $0.dtype == dtype }, "linalg.multi_dot: dtypes differ: \(tensors.map(\.dtype.description))")
    let last = tensors.count - 1
    for (i, t) in tensors.enumerated() {
      let allowed = (i == 0 || i == last) ? [1, 2] : [2]
      check(
        allowed.contains(t.rank),
        "linalg.multi_dot: tensor \(i) must be \(allowed == [2] ? "2-d" : "1-d or 2-d"), got shape \(t.shape) (shapes \(shapes))")
    }
    // As matrices: a leading vector is a row, a trailing vector a column.
    var mats = tensors
    if mats[0].rank == 1 { mats[0] = mats[0].reshaped([1, mats[0].shape[0]]) }
    if mats[last].rank == 1 { mats[last] = mats[last].reshaped([mats[last].shape[0], 1]) }
    for i in 0..<last {
      check(
        mats[i].shape[1] == mats[i + 1].shape[0],
        "linalg.multi_dot: tensors \(i) and \(i + 1) cannot be multiplied (shapes \(shapes))")
    }
    let sizes = [mats[0].shape[0]] + mats.map { $0.shape[1] }
    let order = chainOrder(sizes)
    func product(_ i: Int, _ j: Int) -> Tensor {
      if i == j { return mats[i] }
      let k = order[i][j]
      return product(i, k).matmul(product(k + 1, j))
    }
    var y = product(0, last)
    var outShape: [Int] = []
    if tensors[0].rank == 2 { outShape.append(y.shape[0]) }
    if tensors[last].rank == 2 { outShape.append(y.shape[1]) }
    if outShape != y.shape { y = y.reshaped(outShape) }
    return y
  }

  /// The split points of the cheapest parenthesisation of a chain of matrices with sizes
  /// `p[0]×p[1], p[1]×p[2], …`: `split[i][j]` is the `k` with `(i…k)(k+1…j)`.
  static func chainOrder(_ p: [Int]) -> [[Int]] {
    let n = p.count - 1
    var cost = [[Int]](repeating: [Int](repeating: 0, count: n), count: n)
    var split = cost
    if n < 2 { return split }
    for length in 2...n {
      for i in 0...(n - length) {
        let j = i + length - 1
        cost[i][j] = Int.max
        for k in i..<j {
          let c = cost[i][k] + cost[k + 1][j] + p[i] * p[k + 1] * p[j + 1]
          if c < cost[i][j] {
            cost[i][j] = c
            split[i][j] = k
          }
        }
      }
    }
    return split
  }
}
