import Tangent

/// One positional argument of a golden case.
public enum GoldenArgument: Sendable {
  /// A tensor.
  case tensor(Tensor)
  /// A list of tensors (`cat`'s first argument).
  case tensors([Tensor])
  /// A plain value: number, bool, string, list or null.
  case value(JSONValue)
}

/// The arguments of a golden case, with typed accessors that an op's mapping uses to call the
/// Tangent op. Each accessor throws ``ConformanceError/unsupportedArgument(_:)`` with a clear
/// message when an argument has an unexpected form; keyword arguments that the mapping never
/// reads are reported too.
public final class GoldenCall: @unchecked Sendable {
  /// The positional arguments, with tensors already substituted.
  public let arguments: [GoldenArgument]
  /// The keyword arguments.
  public let keywords: [String: JSONValue]
  /// The PyTorch op name, for messages.
  public let op: String
  private var readKeywords: Set<String> = []
  private var readPositions: Set<Int> = []

  /// A call of `op`.
  public init(op: String, arguments: [GoldenArgument], keywords: [String: JSONValue]) {
    self.op = op
    self.arguments = arguments
    self.keywords = keywords
  }

  /// The keyword arguments that the mapping did not read.
  public var unreadKeywords: [String] { keywords.keys.filter { !readKeywords.contains($0) }.sorted() }

  /// The positions whose argument the mapping did not read (null values aside): a positional
  /// argument that the mapping ignores would silently take its default.
  public var unreadPositions: [Int] {
    arguments.indices.filter { i in
      if readPositions.contains(i) { return false }
      if case .value(.null) = arguments[i] { return false }
      return true
    }
  }

  /// The positional tensors, without marking them read (for checks made around the mapping).
  public var tensorsForInspection: [Tensor] {
    arguments.flatMap { a -> [Tensor] in
      switch a {
      case .tensor(let t): [t]
      case .tensors(let ts): ts
      case .value: []
      }
    }
  }

  /// The number of positional arguments.
  public var count: Int { arguments.count }

  /// The positional tensor at `index`.
  public func tensor(_ index: Int) throws -> Tensor {
    guard index < arguments.count, case .tensor(let t) = arguments[index] else {
      throw ConformanceError.unsupportedArgument("\(op): argument \(index) is not a tensor")
    }
    readPositions.insert(index)
    return t
  }

  /// The value of a positional 0-d `int64` tensor (PyTorch accepts one where an integer is
  /// expected, e.g. `narrow`'s `start`).
  public func integerScalar(_ index: Int, _ name: String) throws -> Int {
    let t = try tensor(index)
    guard t.dtype == .int64, t.rank == 0 else {
      throw ConformanceError.unsupportedArgument("\(op): \(name) is a \(t.dtype) tensor of shape \(t.shape), expected a 0-d int64")
    }
    return Int(t.scalars(as: Int64.self)[0])
  }

  /// The positional tensor list at `index`.
  public func tensors(_ index: Int) throws -> [Tensor] {
    guard index < arguments.count, case .tensors(let t) = arguments[index] else {
      throw ConformanceError.unsupportedArgument("\(op): argument \(index) is not a list of tensors")
    }
    readPositions.insert(index)
    return t
  }

  /// All positional tensors, in order (for ops that take tensors as varargs).
  public func allTensors() -> [Tensor] {
    for (i, a) in arguments.enumerated() {
      if case .value = a { continue }
      readPositions.insert(i)
    }
    return tensorsForInspection
  }

  /// The raw value at a position or keyword (the position wins), or `nil`.
  public func value(_ index: Int?, _ name: String?) -> JSONValue? {
    if let index, index < arguments.count {
      if case .value(let v) = arguments[index] {
        readPositions.insert(index)
        return v
      }
      return nil
    }
    if let name, let v = keywords[name] {
      readKeywords.insert(name)
      return v
    }
    return nil
  }

  /// Marks a keyword as read without using it (for keywords whose default is the only value
  /// the mapping supports, checked by the caller).
  public func markRead(_ name: String) { readKeywords.insert(name) }

  /// The value of a plain (non-tensor) argument at a position or keyword, or `nil` when it is
  /// absent or null: the one reader every typed accessor goes through. A tensor where a plain
  /// value is expected throws, so that no accessor can quietly take its default instead.
  func plainArgument(_ index: Int?, _ name: String?) throws -> JSONValue? {
    if let index, index < arguments.count {
      guard case .value = arguments[index] else {
        throw ConformanceError.invalidCase("\(op): \(describe(index, name)) is a tensor, expected a plain value")
      }
    }
    guard let v = value(index, name) else { return nil }
    if case .null = v { return nil }
    return v
  }

  /// How messages name an argument: its keyword, else its position.
  func describe(_ index: Int?, _ name: String?) -> String {
    name ?? "argument \(index.map { "\($0)" } ?? "?")"
  }

  /// The argument as an exact integer (a JSON number with no fraction, in `Int`'s range).
  func integer(_ v: JSONValue, _ index: Int?, _ name: String?) throws -> Int {
    guard let d = v.number, let i = Int(exactly: d) else {
      throw ConformanceError.invalidCase("\(op): \(describe(index, name)) is \(v), expected an integer")
    }
    return i
  }

  /// An integer at a position or keyword; absent or null gives `value`, or throws when there is
  /// no default. Any other type throws.
  public func int(_ index: Int?, _ name: String? = nil, default value: Int? = nil) throws -> Int {
    guard let v = try plainArgument(index, name) else {
      if let value { return value }
      throw ConformanceError.invalidCase("\(op): missing integer \(describe(index, name))")
    }
    return try integer(v, index, name)
  }

  /// An optional integer (null or absent → nil).
  public func optionalInt(_ index: Int?, _ name: String? = nil) throws -> Int? {
    try plainArgument(index, name).map { try integer($0, index, name) }
  }

  /// A list of integers; a single integer becomes a one-element list; absent or null → nil.
  public func ints(_ index: Int?, _ name: String? = nil) throws -> [Int]? {
    guard let v = try plainArgument(index, name) else { return nil }
    switch v {
    case .number: return [try integer(v, index, name)]
    case .array(let a): return try a.map { try integer($0, index, name) }
    default: throw ConformanceError.invalidCase("\(op): \(describe(index, name)) is \(v), expected integers")
    }
  }

  /// A required list of integers (a single integer becomes a one-element list).
  public func requiredInts(_ index: Int?, _ name: String? = nil) throws -> [Int] {
    guard let v = try ints(index, name) else {
      throw ConformanceError.invalidCase("\(op): missing integer list \(describe(index, name))")
    }
    return v
  }

  /// A list of numbers; a single number becomes a one-element list; absent or null → nil.
  public func doubles(_ index: Int?, _ name: String? = nil) throws -> [Double]? {
    guard let v = try plainArgument(index, name) else { return nil }
    if case .array(let a) = v { return try a.map { try number($0, index, name) } }
    return [try number(v, index, name)]
  }

  /// Sizes that may leave some entries open: an integer (`count` times), or a list of
  /// integers and nulls (null: keep the input's size); absent or null → nil.
  public func openSizes(_ index: Int?, _ name: String? = nil, count: Int) throws -> [Int?]? {
    guard let v = try plainArgument(index, name) else { return nil }
    if case .array(let a) = v {
      return try a.map { e -> Int? in
        if case .null = e { return nil }
        return try integer(e, index, name)
      }
    }
    return [Int?](repeating: try integer(v, index, name), count: count)
  }

  /// The argument as a number, reading `inf`, `-inf` and `nan` written as strings.
  func number(_ v: JSONValue, _ index: Int?, _ name: String?) throws -> Double {
    switch v {
    case .number(let d): return d
    case .string("Infinity"), .string("inf"): return .infinity
    case .string("-Infinity"), .string("-inf"): return -.infinity
    case .string("NaN"), .string("nan"): return .nan
    default: throw ConformanceError.invalidCase("\(op): \(describe(index, name)) is \(v), expected a number")
    }
  }

  /// A number at a position or keyword; absent or null gives `value`, or throws when there is
  /// no default. Any other type throws.
  public func double(_ index: Int?, _ name: String? = nil, default value: Double? = nil) throws -> Double {
    guard let v = try plainArgument(index, name) else {
      if let value { return value }
      throw ConformanceError.invalidCase("\(op): missing number \(describe(index, name))")
    }
    return try number(v, index, name)
  }

  /// An optional number (null or absent → nil).
  public func optionalDouble(_ index: Int?, _ name: String? = nil) throws -> Double? {
    try plainArgument(index, name).map { try number($0, index, name) }
  }

  /// A bool at a position or keyword (absent or null → `value`).
  public func bool(_ index: Int?, _ name: String? = nil, default value: Bool) throws -> Bool {
    guard let v = try plainArgument(index, name) else { return value }
    guard let b = v.bool else {
      throw ConformanceError.invalidCase("\(op): \(describe(index, name)) is \(v), expected a bool")
    }
    return b
  }

  /// A string at a position or keyword.
  public func string(_ index: Int?, _ name: String? = nil, default value: String? = nil) throws -> String? {
    guard let v = try plainArgument(index, name) else { return value }
    guard let s = v.string else {
      throw ConformanceError.invalidCase("\(op): \(describe(index, name)) is \(v), expected a string")
    }
    return s
  }
}
