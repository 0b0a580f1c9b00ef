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

  /// A call of `op`.
  public init(op: String, arguments: [GoldenArgument], keywords: [String: JSONValue]) {
    self.op = op
    self.arguments = arguments
    self.keywords = keywords
  }

  /// The keyword arguments that the mapping did not read.
  public var unreadKeywords: [String] { keywords.keys.filter { !readKeywords.contains($0) }.sorted() }

  /// The number of positional arguments.
  public var count: Int { arguments.count }

  /// The positional tensor at `index`.
  public func tensor(_ index: Int) throws -> Tensor {
    guard index < arguments.count, case .tensor(let t) = arguments[index] else {
      throw ConformanceError.unsupportedArgument("\(op): argument \(index) is not a tensor")
    }
    return t
  }

  /// The positional tensor list at `index`.
  public func tensors(_ index: Int) throws -> [Tensor] {
    guard index < arguments.count, case .tensors(let t) = arguments[index] else {
      throw ConformanceError.unsupportedArgument("\(op): argument \(index) is not a list of tensors")
    }
    return t
  }

  /// All positional tensors, in order (for ops that take tensors as varargs).
  public func allTensors() -> [Tensor] {
    arguments.flatMap { a -> [Tensor] in
      switch a {
      case .tensor(let t): [t]
      case .tensors(let ts): ts
      case .value: []
      }
    }
  }

  /// The raw value at a position or keyword (the position wins), or `nil`.
  public func value(_ index: Int?, _ name: String?) -> JSONValue? {
    if let index, index < arguments.count {
      if case .value(let v) = arguments[index] { return v }
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

  /// An integer at a position or keyword.
  public func int(_ index: Int?, _ name: String? = nil, default value: Int? = nil) throws -> Int {
    guard let v = self.value(index, name), v.number != nil || value == nil else {
      if let value { return value }
      throw ConformanceError.unsupportedArgument("\(op): missing integer argument \(name ?? "\(index ?? -1)")")
    }
    guard let d = v.number, d.rounded() == d else {
      throw ConformanceError.unsupportedArgument("\(op): \(name ?? "argument") is \(v), expected an integer")
    }
    return Int(d)
  }

  /// An optional integer (null or absent → nil).
  public func optionalInt(_ index: Int?, _ name: String? = nil) throws -> Int? {
    guard let v = value(index, name) else { return nil }
    if case .null = v { return nil }
    guard let d = v.number, d.rounded() == d else {
      throw ConformanceError.unsupportedArgument("\(op): \(name ?? "argument") is \(v), expected an integer")
    }
    return Int(d)
  }

  /// A list of integers; a single integer becomes a one-element list.
  public func ints(_ index: Int?, _ name: String? = nil) throws -> [Int]? {
    guard let v = value(index, name) else { return nil }
    switch v {
    case .null: return nil
    case .number(let d): return [Int(d)]
    case .array(let a):
      return try a.map {
        guard let d = $0.number else { throw ConformanceError.unsupportedArgument("\(op): \(name ?? "argument") has \($0)") }
        return Int(d)
      }
    default: throw ConformanceError.unsupportedArgument("\(op): \(name ?? "argument") is \(v), expected integers")
    }
  }

  /// A number at a position or keyword.
  public func double(_ index: Int?, _ name: String? = nil, default value: Double? = nil) throws -> Double {
    if let v = self.value(index, name), let d = v.number { return d }
    if let value { return value }
    throw ConformanceError.unsupportedArgument("\(op): missing number \(name ?? "\(index ?? -1)")")
  }

  /// An optional number (null or absent → nil).
  public func optionalDouble(_ index: Int?, _ name: String? = nil) throws -> Double? {
    guard let v = value(index, name) else { return nil }
    if case .null = v { return nil }
    guard let d = v.number else { throw ConformanceError.unsupportedArgument("\(op): \(name ?? "argument") is \(v)") }
    return d
  }

  /// A bool at a position or keyword.
  public func bool(_ index: Int?, _ name: String? = nil, default value: Bool) throws -> Bool {
    guard let v = self.value(index, name) else { return value }
    guard let b = v.bool else { throw ConformanceError.unsupportedArgument("\(op): \(name ?? "argument") is \(v), expected a bool") }
    return b
  }

  /// A string at a position or keyword.
  public func string(_ index: Int?, _ name: String? = nil, default value: String? = nil) throws -> String? {
    guard let v = self.value(index, name) else { return value }
    if case .null = v { return value }
    guard let s = v.string else { throw ConformanceError.unsupportedArgument("\(op): \(name ?? "argument") is \(v), expected a string") }
    return s
  }
}
