import Tangent

// Helpers shared by the golden adapters: PyTorch's ways of passing numbers, dims and tensors.

extension JSONValue {
  /// The value as a number, reading Python's `inf`, `-inf` and `nan` (which the JSON reader
  /// keeps as strings).
  var extendedNumber: Double? {
    switch self {
    case .number(let d): return d
    case .string("Infinity"), .string("inf"): return .infinity
    case .string("-Infinity"), .string("-inf"): return -.infinity
    case .string("NaN"), .string("nan"): return .nan
    default: return nil
    }
  }
}

extension GoldenCall {
  /// Whether the positional argument at `index` is a tensor.
  func isTensor(_ index: Int) -> Bool {
    guard index < count, case .tensor = arguments[index] else { return false }
    return true
  }

  /// The positional tensor at `index`, or `nil` when the argument is absent or null. Any other
  /// value there (a number where PyTorch wants an optional tensor) is an invalid case, never a
  /// silent `nil`.
  func optionalTensor(_ index: Int, _ name: String? = nil) throws -> Tensor? {
    if isTensor(index) { return try tensor(index) }
    if let v = try plainArgument(index, name) {
      throw ConformanceError.invalidCase("\(op): \(describe(index, name)) is \(v), expected a tensor or null")
    }
    return nil
  }

  /// An operand that PyTorch takes as a tensor or a number: the tensor, or the number as a 0-d
  /// tensor of `like`'s dtype (a weakly typed scalar, which keeps `like`'s dtype).
  func operand(_ index: Int, _ name: String? = nil, like: Tensor) throws -> Tensor {
    if isTensor(index) { return try tensor(index) }
    guard let v = try plainArgument(index, name) else {
      throw ConformanceError.invalidCase("\(op): missing operand \(name ?? "\(index)")")
    }
    if let d = v.extendedNumber { return Tensor.full([], d, dtype: like.dtype.isFloatingPoint ? like.dtype : .float64) }
    if case .bool(let b) = v { return Tensor.full([], b ? 1 : 0, dtype: like.dtype) }
    throw ConformanceError.unsupportedArgument("\(op): operand \(name ?? "\(index)") is \(v)")
  }

  /// The two operands of a binary op, either of which may be a number.
  ///
  /// Throws ``ConformanceError/invalidCase(_:)`` when their shapes do not broadcast (the op's
  /// own check would stop the process).
  func binaryOperands(_ names: (String, String) = ("input", "other")) throws -> (Tensor, Tensor) {
    let (a, b): (Tensor, Tensor)
    if isTensor(0) {
      a = try tensor(0)
      b = try operand(1, names.1, like: a)
    } else {
      b = try tensor(1)
      a = try operand(0, names.0, like: b)
    }
    try expectBroadcastable([a, b])
    return (a, b)
  }

  /// Checks that `tensors`' shapes broadcast together (trailing sizes equal or 1), throwing
  /// ``ConformanceError/invalidCase(_:)`` otherwise.
  func expectBroadcastable(_ tensors: [Tensor]) throws {
    let rank = tensors.map(\.rank).max() ?? 0
    for k in 0..<rank {
      var size = 1
      for t in tensors where k < t.rank {
        let s = t.shape[t.rank - 1 - k]
        if s == 1 { continue }
        if size != 1 && s != size {
          throw ConformanceError.invalidCase("\(op): shapes \(tensors.map(\.shape)) do not broadcast")
        }
        size = s
      }
    }
  }

  /// A number at a position or keyword, reading `inf` and `nan`, or `nil` when absent or null.
  func optionalNumber(_ index: Int?, _ name: String? = nil) throws -> Double? {
    try plainArgument(index, name).map { try number($0, index, name) }
  }

  /// PyTorch's `dim` argument: an integer, a list of integers, or null/absent (every dim).
  func dims(_ index: Int?, _ name: String = "dim") throws -> [Int]? {
    if case .array(let a)? = try plainArgument(index, name), a.isEmpty { return nil }
    return try ints(index, name)
  }

  /// Checks that a keyword PyTorch accepts has its default value (or is absent), and marks it
  /// read.
  func expectDefault(_ name: String, _ isDefault: (JSONValue) -> Bool) throws {
    guard let v = keywords[name] else { return }
    markRead(name)
    if case .null = v { return }
    if !isDefault(v) { throw ConformanceError.unsupportedArgument("\(op): \(name) = \(v) is not supported") }
  }

  /// PyTorch's `dtype` keyword (`"torch.float64"`, `"float64"`, `"double"`…), or `nil` when
  /// absent or null.
  func dtypeArgument(_ index: Int? = nil, _ name: String = "dtype") throws -> DType? {
    guard let v = try plainArgument(index, name) else { return nil }
    guard let text = v.string else { throw ConformanceError.invalidCase("\(op): dtype is \(v), expected a dtype name") }
    let bare = text.hasPrefix("torch.") ? String(text.dropFirst(6)) : text
    switch bare {
    case "float64", "double": return .float64
    case "float32", "float": return .float32
    case "complex128", "cdouble": return .complex128
    case "complex64", "cfloat": return .complex64
    case "int64", "long": return .int64
    case "bool": return .bool
    default: throw ConformanceError.unsupportedArgument("\(op): dtype \(text) is not supported")
    }
  }

  /// The tensor at `index`, converted to the `dtype` keyword when one is given (PyTorch converts
  /// the input before reducing).
  func tensor(_ index: Int, convertedBy dtypeKeyword: String) throws -> Tensor {
    let x = try tensor(index)
    return try dtypeArgument(nil, dtypeKeyword).map { x.converted(to: $0) } ?? x
  }

  /// Reads `inplace` (only `False` is supported).
  func readInplace() throws { try expectDefault("inplace") { $0.bool == false } }
}

extension TestRandom {
  /// A tensor with entries uniform in `range`, each at least `gap` away from every value in
  /// `kinks` (both parts, for complex dtypes): for functions whose derivative jumps there.
  public mutating func tensor(
    _ shape: [Int], dtype: DType, in range: ClosedRange<Double>, avoiding kinks: [Double], gap: Double = 0.05
  ) -> Tensor {
    if kinks.isEmpty { return tensor(shape, dtype: dtype, in: range) }
    let n = shape.reduce(1, *)
    func draw() -> Double {
      while true {
        let v = uniform(range.lowerBound, range.upperBound)
        if kinks.allSatisfy({ Swift.abs(v - $0) >= gap }) { return v }
      }
    }
    if dtype.isComplex {
      return Tensor(shape: shape, scalars: (0..<n).map { _ in Complex(draw(), draw()) }).converted(to: dtype)
    }
    return Tensor(shape: shape, scalars: (0..<n).map { _ in draw() }).converted(to: dtype)
  }
}
