import ComplexModule
import RealModule

/// One element of a tensor literal: a scalar, or a nested list whose nesting gives the shape.
///
/// You rarely name this type: it is what the elements of a ``Tensor`` array literal become.
/// Integer literals give `int64`, floating literals `float64`, `true`/`false` give `bool`, and
/// mixed literals take the widest kind (`bool < int64 < float64 < complex128`), like
/// `torch.tensor`:
///
/// ```swift
/// let a: Tensor = [[1, 2], [3, 4]]          // int64, shape [2, 2]
/// let b: Tensor = [[1.0, 2], [3, 4]]        // float64, shape [2, 2]
/// let c: Tensor = [true, false]             // bool, shape [2]
/// let z: Tensor = [.complex(1, 2), 3]       // complex128, shape [2]
/// let v: Tensor = [TensorLiteral(x), 2]     // Swift values inside a literal
/// ```
public struct TensorLiteral: Sendable, ExpressibleByArrayLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral
{
  /// What a literal element holds.
  indirect enum Node: Sendable {
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case complex(Complex<Double>)
    case list([TensorLiteral])
  }

  let node: Node

  init(node: Node) { self.node = node }

  /// A nested list of elements.
  public init(arrayLiteral elements: TensorLiteral...) { node = .list(elements) }
  /// An integer element (`int64`).
  public init(integerLiteral value: Int64) { node = .int(value) }
  /// A floating element (`float64`).
  public init(floatLiteral value: Double) { node = .float(value) }
  /// A boolean element (`bool`).
  public init(booleanLiteral value: Bool) { node = .bool(value) }

  /// An integer element from a Swift value.
  public init(_ value: Int) { node = .int(Int64(value)) }
  /// A floating element from a Swift value.
  public init(_ value: Double) { node = .float(value) }
  /// A complex element from a Swift value.
  public init(_ value: Complex<Double>) { node = .complex(value) }

  /// A complex element `real + i·imaginary` (`complex128`).
  public static func complex(_ real: Double, _ imaginary: Double) -> TensorLiteral {
    TensorLiteral(node: .complex(Complex(real, imaginary)))
  }
}

extension TensorLiteral {
  /// The dtype category of a scalar node (0 bool, 1 int, 2 float, 3 complex), or `nil` for a list.
  fileprivate var kind: Int? {
    switch node {
    case .bool: 0
    case .int: 1
    case .float: 2
    case .complex: 3
    case .list: nil
    }
  }

  /// The shape implied by following the first element at every depth.
  fileprivate var leadingShape: [Int] {
    var shape: [Int] = []
    var current = self
    while case .list(let items) = current.node {
      shape.append(items.count)
      guard let first = items.first else { break }
      current = first
    }
    return shape
  }

  /// Checks that every element has the shape implied by the first ones, and collects the
  /// scalars in row-major order with the widest kind seen.
  fileprivate func collect(shape: [Int], depth: Int, path: [Int], into scalars: inout [TensorLiteral], kind: inout Int) {
    func location() -> String { path.isEmpty ? "the literal" : "element \(path)" }
    if depth == shape.count {
      guard let k = self.kind else {
        misuse(
          "Tensor literal: ragged nesting: \(location()) is a list, but a scalar was expected there (shape \(shape) from the first elements)")
      }
      kind = Swift.max(kind, k)
      scalars.append(self)
      return
    }
    guard case .list(let items) = node else {
      misuse(
        "Tensor literal: ragged nesting: \(location()) is a scalar, but a list of \(shape[depth]) elements was expected (shape \(shape) from the first elements)")
    }
    check(
      items.count == shape[depth],
      "Tensor literal: ragged nesting: \(location()) has \(items.count) elements, but \(shape[depth]) were expected (shape \(shape) from the first elements)")
    for (i, item) in items.enumerated() {
      item.collect(shape: shape, depth: depth + 1, path: path + [i], into: &scalars, kind: &kind)
    }
  }

  fileprivate var complexValue: Complex<Double> {
    switch node {
    case .bool(let b): Complex(b ? 1 : 0, 0)
    case .int(let i): Complex(Double(i), 0)
    case .float(let f): Complex(f, 0)
    case .complex(let z): z
    case .list: misuse("Tensor literal: internal error, a list is not a scalar")
    }
  }
}

extension Tensor: ExpressibleByArrayLiteral {
  /// A tensor from a nested array literal, whose nesting gives the shape, like `torch.tensor`.
  ///
  /// The dtype is the widest kind among the elements: `bool`, `int64`, `float64` or `complex128`;
  /// an empty literal is `float64`.
  /// - Precondition: the nesting is rectangular (not ragged).
  public init(arrayLiteral elements: TensorLiteral...) {
    self.init(literal: TensorLiteral(node: .list(elements)))
  }

  /// A tensor from a (possibly nested) literal element. See ``init(arrayLiteral:)``.
  init(literal: TensorLiteral) {
    let shape = literal.leadingShape
    var scalars: [TensorLiteral] = []
    scalars.reserveCapacity(Shape.count(shape))
    var kind = 0
    literal.collect(shape: shape, depth: 0, path: [], into: &scalars, kind: &kind)
    if scalars.isEmpty { kind = 2 }
    switch kind {
    case 0:
      self.init(shape: shape, scalars: scalars.map { lit -> Bool in
        if case .bool(let b) = lit.node { return b }
        return false
      })
    case 1:
      self.init(shape: shape, scalars: scalars.map { lit -> Int64 in
        switch lit.node {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return 0
        }
      })
    case 2:
      self.init(shape: shape, scalars: scalars.map { lit -> Double in
        switch lit.node {
        case .float(let f): return f
        case .int(let i): return Double(i)
        case .bool(let b): return b ? 1 : 0
        default: return 0
        }
      })
    default:
      self.init(shape: shape, scalars: scalars.map(\.complexValue))
    }
  }

  /// A 2-d tensor from rows of scalars, like `torch.tensor(rows)`, with the dtype of `T`.
  ///
  /// Literal elements follow `torch.tensor`, as array literals do: integer literals give
  /// `int64` (through the `[[Int]]` overload), and any floating literal gives `float64`:
  /// `Tensor([[1, 2]])` is `int64`, `Tensor([[1, 2.5]])` is `float64`.
  /// - Precondition: every row has the same length.
  public init<T: TensorScalar>(_ rows: [[T]]) {
    let n = rows.first?.count ?? 0
    for (i, row) in rows.enumerated() {
      check(row.count == n, "Tensor(rows): row \(i) has \(row.count) elements, but row 0 has \(n)")
    }
    self.init(shape: [rows.count, n], scalars: rows.flatMap { $0 })
  }

  /// A 3-d tensor from planes of rows of scalars.
  ///
  /// - Precondition: the nesting is rectangular.
  public init<T: TensorScalar>(_ planes: [[[T]]]) {
    let rows = planes.first?.count ?? 0
    let n = planes.first?.first?.count ?? 0
    for (i, plane) in planes.enumerated() {
      check(plane.count == rows, "Tensor(planes): plane \(i) has \(plane.count) rows, but plane 0 has \(rows)")
      for (j, row) in plane.enumerated() {
        check(row.count == n, "Tensor(planes): row [\(i), \(j)] has \(row.count) elements, but row [0, 0] has \(n)")
      }
    }
    self.init(shape: [planes.count, rows, n], scalars: planes.flatMap { $0.flatMap { $0 } })
  }
}

// MARK: - Integer arrays

// Swift's `Int` is the default type of integer literals. These overloads make `Tensor([0, 1, 2])`,
// `Tensor(3)` and `Tensor([[1, 2]])` int64, as `torch.tensor` and the array literal
// `let t: Tensor = [0, 1, 2]` are; one floating literal anywhere makes the call `float64`
// (the generic overloads, with `T == Double`).
extension Tensor {
  /// A 1-d `int64` tensor from integers, like `torch.tensor([0, 1, 2])`.
  ///
  /// `Tensor([0, 1, 2])` is `int64`; `Tensor([0, 1, 2.5])` and `Tensor([0.0, 1, 2])` are
  /// `float64`, as are tensors from `[Double]` values. Convert with ``converted(to:)`` or write
  /// a floating literal for a floating tensor.
  public init(_ scalars: [Int]) { self.init(shape: [scalars.count], scalars: scalars.map { Int64($0) }) }

  /// A 0-d `int64` tensor, like `torch.tensor(3)`; `Tensor(3.0)` is `float64`.
  public init(_ scalar: Int) { self.init(shape: [], scalars: [Int64(scalar)]) }

  /// A 2-d `int64` tensor from rows of integers, like `torch.tensor([[1, 2], [3, 4]])`.
  ///
  /// - Precondition: every row has the same length.
  public init(_ rows: [[Int]]) { self.init(rows.map { $0.map { Int64($0) } }) }

  /// A 3-d `int64` tensor from planes of rows of integers.
  ///
  /// - Precondition: the nesting is rectangular.
  public init(_ planes: [[[Int]]]) { self.init(planes.map { $0.map { $0.map { Int64($0) } } }) }

  /// An `int64` tensor of `shape` from a flat array of integers.
  ///
  /// - Precondition: `scalars.count` equals the product of `shape`.
  public init(shape: [Int], scalars: [Int]) { self.init(shape: shape, scalars: scalars.map { Int64($0) }) }
}
