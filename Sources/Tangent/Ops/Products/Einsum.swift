import ComplexModule
import RealModule

/// A parsed einsum equation: one label per dim of each operand and of the output.
///
/// Letters get the labels 0–51 (`A`–`Z`, then `a`–`z`: PyTorch's order for an implicit
/// output); the dims an ellipsis covers get `52 + j`, with `j` counted in a frame of the widest
/// ellipsis, right-aligned, so that ellipsis dims of different operands broadcast.
struct EinsumEquation {
  /// The labels of each operand's dims.
  var inputs: [[Int]]
  /// The labels of the output's dims, in order.
  var output: [Int]

  /// The first label of the ellipsis dims.
  static let ellipsisBase = 52

  /// A label's letter (or `…j` for an ellipsis dim), for messages.
  static func letter(_ label: Int) -> String {
    if label >= ellipsisBase { return "…\(label - ellipsisBase)" }
    let base = label < 26 ? UInt8(ascii: "A") : UInt8(ascii: "a") - 26
    return String(UnicodeScalar(base + UInt8(label)))
  }

  /// One term of the equation: labels, with `nil` for the ellipsis.
  private static func parseTerm(_ term: ArraySlice<UInt8>, equation: String, what: String) -> [Int?] {
    var labels: [Int?] = []
    var i = term.startIndex
    while i < term.endIndex {
      let c = term[i]
      switch c {
      case UInt8(ascii: " "):
        break
      case UInt8(ascii: "."):
        check(
          !labels.contains { $0 == nil }, "einsum(): more than one ellipsis (...) for \(what) in \"\(equation)\"")
        check(
          i + 2 < term.endIndex && term[i + 1] == UInt8(ascii: ".") && term[i + 2] == UInt8(ascii: "."),
          "einsum(): found '.' for \(what) that is not part of any ellipsis (...) in \"\(equation)\"")
        labels.append(nil)
        i += 2
      case UInt8(ascii: "A")...UInt8(ascii: "Z"):
        labels.append(Int(c - UInt8(ascii: "A")))
      case UInt8(ascii: "a")...UInt8(ascii: "z"):
        labels.append(Int(c - UInt8(ascii: "a")) + 26)
      default:
        misuse(
          "einsum(): invalid subscript given at index \(i) in the equation string \"\(equation)\", subscripts must be in [a-zA-Z]")
      }
      i += 1
    }
    return labels
  }

  /// Parses `equation` for operands of the given shapes, checking it like PyTorch does.
  init(_ equation: String, shapes: [[Int]]) {
    let chars = Array(equation.utf8)
    var arrow: Int?
    if chars.count >= 2 {
      arrow = (0..<(chars.count - 1)).first { chars[$0] == UInt8(ascii: "-") && chars[$0 + 1] == UInt8(ascii: ">") }
    }
    let lhs = chars[..<(arrow ?? chars.count)]
    var terms: [ArraySlice<UInt8>] = []
    var start = lhs.startIndex
    for i in lhs.indices where lhs[i] == UInt8(ascii: ",") {
      terms.append(lhs[start..<i])
      start = i + 1
    }
    terms.append(lhs[start...])
    check(
      terms.count == shapes.count,
      "einsum(): the equation \"\(equation)\" has \(terms.count) operand term(s) but \(shapes.count) operand(s) were given")
    let parsed = terms.enumerated().map { Self.parseTerm($0.element, equation: equation, what: "operand \($0.offset)") }

    // The ellipsis of each operand covers the dims its letters leave.
    var covered = [Int](repeating: 0, count: shapes.count)
    for (i, labels) in parsed.enumerated() {
      let letters = labels.count(where: { $0 != nil })
      let hasEllipsis = letters != labels.count
      let rank = shapes[i].count
      check(
        hasEllipsis ? letters <= rank : letters == rank,
        "einsum(): the term for operand \(i) has \(letters) subscript(s) but the operand has shape \(shapes[i])"
          + (hasEllipsis ? "" : " and no ellipsis was given") + " (\"\(equation)\")")
      covered[i] = rank - letters
    }
    let width = covered.max() ?? 0
    inputs = parsed.enumerated().map { i, labels in
      labels.flatMap { l -> [Int] in
        if let l { return [l] }
        return Array((Self.ellipsisBase + width - covered[i])..<(Self.ellipsisBase + width))
      }
    }

    var counts = [Int](repeating: 0, count: Self.ellipsisBase)
    for labels in parsed { for case let l? in labels { counts[l] += 1 } }
    let ellipsis = Array(Self.ellipsisBase..<(Self.ellipsisBase + width))
    if let arrow {
      let rhs = Self.parseTerm(chars[(arrow + 2)...], equation: equation, what: "the output")
      var out: [Int] = []
      for l in rhs {
        guard let l else {
          out += ellipsis
          continue
        }
        check(counts[l] > 0, "einsum(): output subscript \(Self.letter(l)) does not appear in the equation for any input operand (\"\(equation)\")")
        check(!out.contains(l), "einsum(): output subscript \(Self.letter(l)) appears more than once in the output (\"\(equation)\")")
        out.append(l)
      }
      output = out
    } else {
      // Implicit output: the ellipsis dims, then the letters used once, in alphabetical order.
      output = ellipsis + (0..<Self.ellipsisBase).filter { counts[$0] == 1 }
    }
  }
}

/// An operand on its way through the contraction: a tensor and one label per dim.
private struct Labelled {
  var tensor: Tensor
  var labels: [Int]

  /// The size of the dim with `label`.
  func size(_ label: Int) -> Int { tensor.shape[labels.firstIndex(of: label)!] }

  /// Takes the diagonal of each pair of dims with one label (a repeated subscript).
  mutating func takeDiagonals(operand: Int, equation: String) {
    while let q = labels.indices.first(where: { labels[..<$0].contains(labels[$0]) }) {
      let p = labels.firstIndex(of: labels[q])!
      check(
        tensor.shape[p] == tensor.shape[q],
        "einsum(): subscript \(EinsumEquation.letter(labels[q])) is repeated for operand \(operand) but the sizes don't match, "
          + "\(tensor.shape[q]) != \(tensor.shape[p]) (shape \(tensor.shape), \"\(equation)\")")
      let l = labels[p]
      tensor = tensor.diagonal(dim1: p, dim2: q)
      labels.remove(at: q)
      labels.remove(at: p)
      labels.append(l)
    }
  }

  /// Sums the dims whose label is not in `keep`.
  mutating func sum(keeping keep: Set<Int>) {
    let dims = labels.indices.filter { !keep.contains(labels[$0]) }
    if dims.isEmpty { return }
    tensor = tensor.sum(dims: dims)
    labels = labels.filter { keep.contains($0) }
  }

  /// Sums the dims with `summed` labels, keeping them as size 1.
  mutating func sumKeepingDims(_ summed: [Int]) {
    if summed.isEmpty { return }
    tensor = tensor.sum(dims: summed.map { labels.firstIndex(of: $0)! }, keepdim: true)
  }

  /// This operand permuted so its labels come in `order`, then reshaped to `shape`.
  func arranged(_ order: [Int], _ shape: [Int]) -> Tensor {
    tensor.permuted(order.map { labels.firstIndex(of: $0)! }).reshaped(shape)
  }
}

/// The product of two labelled operands, summed over the shared labels that are not in
/// `keep`. Shared labels that are kept are batch dims (they broadcast, size 1 against n);
/// the others are free dims of one side. The contraction is one batched matrix product
/// `[batch…, M, K] @ [batch…, K, N]`; with nothing to contract it is a broadcast product, and
/// for one dot product per batch entry, a product and a sum.
private func contract(_ a: Labelled, _ b: Labelled, keep: Set<Int>) -> Labelled {
  var a = a, b = b
  let shared = a.labels.filter { b.labels.contains($0) }
  let batch = shared.filter { keep.contains($0) }
  let contracted = shared.filter { !keep.contains($0) }
  let freeA = a.labels.filter { !shared.contains($0) }, freeB = b.labels.filter { !shared.contains($0) }
  // A contracted dim of size 1 against size n: sum the other side first.
  a.sumKeepingDims(contracted.filter { a.size($0) != 1 && b.size($0) == 1 })
  b.sumKeepingDims(contracted.filter { b.size($0) != 1 && a.size($0) == 1 })
  let k = contracted.reduce(1) { $0 * a.size($1) }
  let batchA = batch.map(a.size), batchB = batch.map(b.size)
  let sizesA = freeA.map(a.size), sizesB = freeB.map(b.size)
  let batchOut = zip(batchA, batchB).map { Swift.max($0, $1) }
  let labels = batch + freeA + freeB

  if k == 1 {
    // Nothing to sum: a broadcast product.
    let x = a.arranged(batch + freeA + contracted, batchA + sizesA + Array(repeating: 1, count: freeB.count))
    let y = b.arranged(batch + freeB + contracted, batchB + Array(repeating: 1, count: freeA.count) + sizesB)
    return Labelled(tensor: x * y, labels: labels)
  }
  if freeA.isEmpty && freeB.isEmpty && !batch.isEmpty {
    // One dot product per batch entry: cheaper as a product and a sum than as 1×1 matrices.
    let x = a.arranged(batch + contracted, batchA + [k]), y = b.arranged(batch + contracted, batchB + [k])
    return Labelled(tensor: (x * y).sum(dim: -1), labels: labels)
  }
  let m = sizesA.reduce(1, *), n = sizesB.reduce(1, *)
  let x = a.arranged(batch + freeA + contracted, batchA + [m, k])
  let y = b.arranged(batch + contracted + freeB, batchB + [k, n])
  return Labelled(tensor: x.matmul(y).reshaped(batchOut + sizesA + sizesB), labels: labels)
}

extension Tensor {
  /// The Einstein summation of `operands` described by `equation`, like `torch.einsum`.
  ///
  /// The equation names each operand's dims with letters (`a`–`z`, `A`–`Z`), operands
  /// separated by commas, and optionally the output after `->` (`"bij,bjk->bik"`). Without an
  /// arrow the output has the letters used exactly once, in alphabetical order (upper case
  /// first). Letters missing from the output are summed over; a letter repeated within one
  /// operand takes that operand's diagonal (`"ii->i"`, and `"ii"` is the trace). An ellipsis
  /// `...` stands for the dims no letter names; ellipsis dims broadcast across operands, right
  /// aligned, come first in an implicit output, and are summed when an explicit output omits
  /// them. Dims of size 1 broadcast against the same letter's larger size. Spaces are ignored.
  ///
  /// The operands are contracted two at a time, each time the pair with the smallest result,
  /// through batched ``matmul(_:)`` after permuting and reshaping (a broadcast product when
  /// there is nothing to sum), with diagonals and sums as views and reductions, so the result
  /// is fast and differentiable to any order through those ops' rules.
  ///
  /// Derivative: multilinear in the operands; the JVP and VJP follow from the rules of
  /// diagonal, sum, permute, reshape, mul and matmul.
  /// - Precondition: the operands have one dtype; the equation has one term per operand, each
  ///   with one letter per dim (an ellipsis covering the rest), letters only `[a-zA-Z]`, at most
  ///   one ellipsis per term; a repeated letter has equal sizes within an operand and sizes
  ///   that agree or are 1 across operands; output letters appear in some input, once.
  public static func einsum(_ equation: String, _ operands: [Tensor]) -> Tensor {
    check(!operands.isEmpty, "einsum(): must provide at least one operand (\"\(equation)\")")
    let dtype = operands[0].dtype
    check(
      operands.allSatisfy { $0.dtype == dtype },
      "einsum(): operands must have one dtype, got \(operands.map(\.dtype.description)) (\"\(equation)\")")
    let eq = EinsumEquation(equation, shapes: operands.map(\.shape))

    var pending = zip(operands, eq.inputs).enumerated().map { i, pair in
      var x = Labelled(tensor: pair.0, labels: pair.1)
      x.takeDiagonals(operand: i, equation: equation)
      return x
    }
    // Sizes of each label must agree across operands, or be 1.
    var sizes: [Int: Int] = [:]
    for (i, x) in pending.enumerated() {
      let t = x.tensor
      for (d, l) in x.labels.enumerated() where t.shape[d] != 1 {
        if let s = sizes[l], s != 1, s != t.shape[d] {
          misuse(
            "einsum(): subscript \(EinsumEquation.letter(l)) has size \(t.shape[d]) for operand \(i) which does not broadcast "
              + "with previously seen size \(s) (shapes \(operands.map(\.shape)), \"\(equation)\")")
        }
        sizes[l] = t.shape[d]
      }
    }

    let output = Set(eq.output)
    /// The labels still needed besides those of the operands at `skip`.
    func needed(skipping skip: Set<Int>) -> Set<Int> {
      var keep = output
      for (i, x) in pending.enumerated() where !skip.contains(i) { keep.formUnion(x.labels) }
      return keep
    }
    // Sum each label that only one operand has (and the output lacks) right away.
    for i in pending.indices { pending[i].sum(keeping: needed(skipping: [i])) }

    while pending.count > 1 {
      // The pair whose result is smallest (the first such pair on ties).
      var best = (i: 0, j: 1, size: Int.max)
      for i in pending.indices {
        for j in (i + 1)..<pending.count {
          let keep = needed(skipping: [i, j])
          let labels = Set(pending[i].labels).union(pending[j].labels).intersection(keep)
          let size = labels.reduce(1) { $0 * (sizes[$1] ?? 1) }
          if size < best.size { best = (i, j, size) }
        }
      }
      let keep = needed(skipping: [best.i, best.j])
      let product = contract(pending[best.i], pending[best.j], keep: keep)
      pending.remove(at: best.j)
      pending[best.i] = product
    }

    var result = pending[0]
    result.sum(keeping: output)
    if result.labels == eq.output { return result.tensor }
    return result.tensor.permuted(eq.output.map { result.labels.firstIndex(of: $0)! })
  }

  /// The Einstein summation of `operands` described by `equation`, like
  /// `torch.einsum("ij,jk->ik", a, b)`; the same as the form that takes an array of operands.
  ///
  /// Derivative: multilinear in the operands, through the rules of the ops it reduces to.
  /// - Precondition: as for the form that takes an array of operands.
  public static func einsum(_ equation: String, _ operands: Tensor...) -> Tensor {
    einsum(equation, operands)
  }
}
