import Foundation
import Tangent

/// A plain JSON value, as read from a golden file.
public enum JSONValue: Sendable, CustomStringConvertible, Decodable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  /// Parses JSON text. Python's non-standard `NaN`, `Infinity` and `-Infinity` tokens are
  /// accepted and read as strings, which tensor parsing turns into numbers. Only bare tokens
  /// are rewritten: text inside JSON strings (a `meta` note that mentions NaN) is left alone.
  public static func parse(_ data: Data) throws -> JSONValue {
    do {
      return try JSONDecoder().decode(JSONValue.self, from: quotingNonFiniteTokens(data))
    } catch {
      throw ConformanceError.malformed("not valid JSON (\(error))")
    }
  }

  /// `data` with every bare `NaN`, `Infinity` and `-Infinity` token outside strings wrapped in
  /// quotes. A scan that tracks whether it is inside a string (and skips escaped characters
  /// there) decides; a token counts only when no letter, digit or `_` touches it.
  static func quotingNonFiniteTokens(_ data: Data) -> Data {
    let bytes = [UInt8](data)
    let tokens: [[UInt8]] = [Array("-Infinity".utf8), Array("Infinity".utf8), Array("NaN".utf8)]
    func isWordByte(_ b: UInt8) -> Bool {
      (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b >= 0x80
    }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var i = 0
    var inString = false
    scan: while i < bytes.count {
      let b = bytes[i]
      if inString {
        out.append(b)
        if b == UInt8(ascii: "\\"), i + 1 < bytes.count {
          out.append(bytes[i + 1])
          i += 2
          continue
        }
        if b == UInt8(ascii: "\"") { inString = false }
        i += 1
        continue
      }
      if b == UInt8(ascii: "\"") {
        inString = true
        out.append(b)
        i += 1
        continue
      }
      if i == 0 || !isWordByte(bytes[i - 1]) {
        for token in tokens where i + token.count <= bytes.count && Array(bytes[i..<(i + token.count)]) == token {
          let end = i + token.count
          if end < bytes.count && isWordByte(bytes[end]) { continue }
          out.append(UInt8(ascii: "\""))
          out.append(contentsOf: token)
          out.append(UInt8(ascii: "\""))
          i = end
          continue scan
        }
      }
      out.append(b)
      i += 1
    }
    return Data(out)
  }

  /// Decodes any JSON value.
  public init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() { self = .null; return }
    if let b = try? c.decode(Bool.self) { self = .bool(b); return }
    if let d = try? c.decode(Double.self) { self = .number(d); return }
    if let s = try? c.decode(String.self) { self = .string(s); return }
    if let a = try? c.decode([JSONValue].self) { self = .array(a); return }
    self = .object(try c.decode([String: JSONValue].self))
  }

  /// The value as JSON-like text, for messages.
  public var description: String {
    switch self {
    case .null: "null"
    case .bool(let b): "\(b)"
    case .number(let d): d.rounded() == d && abs(d) < 1e15 ? "\(Int(d))" : "\(d)"
    case .string(let s): "\"\(s)\""
    case .array(let a): "[" + a.map(\.description).joined(separator: ", ") + "]"
    case .object(let o): "{" + o.keys.sorted().map { "\"\($0)\": \(o[$0]!)" }.joined(separator: ", ") + "}"
    }
  }

  /// The member `key` of an object.
  public subscript(key: String) -> JSONValue? {
    if case .object(let o) = self { return o[key] }
    return nil
  }

  /// The elements of an array.
  public var array: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
  /// A string.
  public var string: String? { if case .string(let s) = self { return s } else { return nil } }
  /// A number.
  public var number: Double? { if case .number(let d) = self { return d } else { return nil } }
  /// A bool.
  public var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
}

/// Why a golden case could not be run.
public enum ConformanceError: Error, CustomStringConvertible, Sendable {
  /// The file or case does not follow the golden format.
  case malformed(String)
  /// The op exists but this argument or keyword is not supported by the mapping.
  case unsupportedArgument(String)
  /// Tangent has no op for this PyTorch name.
  case unsupportedOp(String)
  /// The case is well formed but cannot be run as given: inputs that do not broadcast, a
  /// tangent or cotangent that does not fit its input or output, an argument of the wrong
  /// type or value. The case is skipped with this reason.
  case invalidCase(String)

  /// The message.
  public var description: String {
    switch self {
    case .malformed(let m): "malformed: \(m)"
    case .unsupportedArgument(let m): "unsupported argument: \(m)"
    case .unsupportedOp(let m): "unsupported op: \(m)"
    case .invalidCase(let m): "invalid case: \(m)"
    }
  }
}

extension Tensor {
  /// A tensor from the golden format: `{"shape", "dtype", "data"}` or `"real"`/`"imag"`.
  public init(golden json: JSONValue) throws {
    guard let shapeValues = json["shape"]?.array, let dtypeName = json["dtype"]?.string else {
      throw ConformanceError.malformed("a tensor needs shape and dtype: \(json)")
    }
    let shape = try shapeValues.map { v -> Int in
      guard let d = v.number, d >= 0, let size = Int(exactly: d) else {
        throw ConformanceError.malformed("bad shape \(json["shape"]!)")
      }
      return size
    }
    guard let dtype = DType(rawValue: dtypeName) else { throw ConformanceError.malformed("unknown dtype \(dtypeName)") }
    // Checked before any storage is made: the element count must not overflow.
    var n = 1
    for size in shape {
      let (product, overflow) = n.multipliedReportingOverflow(by: size)
      guard !overflow else { throw ConformanceError.invalidCase("shape \(shape) has more elements than Int can count") }
      n = product
    }
    func numbers(_ key: String) throws -> [Double] {
      guard let a = json[key]?.array else { throw ConformanceError.malformed("tensor without \(key)") }
      let values = try a.map { v -> Double in
        switch v {
        case .number(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .string(let s): // non-finite values are written as strings
          switch s.lowercased() {
          case "nan": return .nan
          case "inf", "infinity": return .infinity
          case "-inf", "-infinity": return -.infinity
          default: throw ConformanceError.malformed("bad number \(s)")
          }
        default: throw ConformanceError.malformed("bad number \(v)")
        }
      }
      guard values.count == n else { throw ConformanceError.malformed("\(values.count) values for shape \(shape)") }
      if !dtype.isFloatingPoint {
        // Integers and bools must be exact: converting NaN or 1e300 to int64 would stop the process.
        let limit = dtype == .bool ? 1.0 : 9.2e18
        if let bad = values.first(where: { !($0.rounded() == $0 && Swift.abs($0) <= limit && (dtype != .bool || $0 >= 0)) }) {
          throw ConformanceError.malformed("\(bad) is not a value of dtype \(dtype)")
        }
      }
      return values
    }
    if dtype.isComplex {
      let re = try numbers("real"), im = try numbers("imag")
      self = Tensor(shape: shape, scalars: zip(re, im).map { Complex($0, $1) }).converted(to: dtype)
    } else {
      self = Tensor(shape: shape, scalars: try numbers("data")).converted(to: dtype)
    }
  }
}
