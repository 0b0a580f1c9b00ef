import ComplexModule
import Foundation
import Tangent

/// The fields of a golden case that the runner checks, in report order.
public let conformanceFields = ["outputs", "jvp", "vjp", "jvp_of_vjp", "jvp_of_jvp"]

/// How one field of one golden case ended.
public enum FieldStatus: String, Sendable, Codable {
  /// Tangent agrees with PyTorch.
  case passed
  /// Tangent disagrees, or failed to compute it.
  case failed
  /// Tangent does not have the op (or this form of it) yet.
  case skipped
  /// PyTorch gives no value for the field.
  case absent
  /// PyTorch's value is documented as wrong for this op and field (``OpInfo/goldenDeviations``),
  /// and Tangent agrees with central finite differences instead.
  case deviation
}

/// The result of one golden case.
public struct CaseReport: Sendable, Codable {
  /// The case id, `op#index`.
  public var id: String
  /// The PyTorch op name.
  public var op: String
  /// The status of each field in ``conformanceFields``.
  public var fields: [String: FieldStatus]
  /// Why fields failed or were skipped.
  public var messages: [String]
}

/// Runs golden cases (PyTorch's own derivative values) against Tangent.
///
/// For each case it finds the op's record in the ``OpDatabase`` by its PyTorch name, builds the
/// function from the case's arguments, and computes outputs, JVP, VJP, forward-over-reverse
/// and forward-over-forward, comparing each with `|a − b| ≤ 1e-7 + 1e-6·|b|` elementwise.
public enum ConformanceRunner {
  /// The comparison's absolute tolerance.
  public static let atol = 1e-7
  /// The comparison's relative tolerance.
  public static let rtol = 1e-6

  /// Runs one case, given as parsed JSON. Never stops the process for a malformed case or an
  /// unknown op: those become skipped or failed fields with a message.
  public static func run(_ json: JSONValue) -> CaseReport {
    let id = json["id"]?.string ?? "?"
    let op = json["op"]?.string ?? "?"
    var report = CaseReport(id: id, op: op, fields: [:], messages: [])
    func mark(_ status: FieldStatus, _ message: String? = nil) {
      for f in conformanceFields { report.fields[f] = json[f] == nil ? .absent : status }
      if let message { report.messages.append(message) }
    }
    guard let record = OpDatabase.record(torchName: op), let golden = record.golden else {
      mark(.skipped, "\(id): no Tangent op for \(op)")
      return report
    }
    do {
      let runner = try CaseRunner(json: json, golden: golden)
      let modes: [String: DerivativeModes] = [
        "jvp": .forward, "vjp": .reverse, "jvp_of_vjp": .forwardOverReverse, "jvp_of_jvp": .forwardOverForward,
      ]
      for field in conformanceFields {
        guard let want = json[field] else { report.fields[field] = .absent; continue }
        if let mode = modes[field], !record.modes.contains(mode) {
          report.fields[field] = .skipped
          report.messages.append("\(id) \(field): unsupported mode for \(record.name) (\(record.limits.first ?? "see its record"))")
          continue
        }
        do {
          let got = try runner.compute(field)
          let expected = try (want.array ?? []).map { try Tensor(golden: $0) }
          if let problem = try compare(got, expected, absolute: field == "outputs" ? runner.absOutputs : nil) {
            if let reason = record.goldenDeviations[field] {
              let fdProblem: String?
              if field == "vjp" {
                // The inner-product identity against finite differences of the outputs.
                let jv = try runner.finiteDifference("jvp")
                let lhs = zip(runner.cotangents, jv).reduce(0.0) { $0 + realInner($1.0, $1.1) }
                let rhs = zip(got, runner.tangents).reduce(0.0) { $0 + realInner($1.0, $1.1) }
                fdProblem = abs(lhs - rhs) <= fdAtol + fdRtol * abs(lhs)
                  ? nil : "⟨u, J v⟩ = \(lhs) by finite differences but ⟨vjp(u), v⟩ = \(rhs)"
              } else {
                fdProblem = try compare(got, try runner.finiteDifference(field), atol: fdAtol, rtol: fdRtol)
              }
              if let fdProblem {
                report.fields[field] = .failed
                report.messages.append("\(id) \(field): \(problem); finite differences disagree too: \(fdProblem)")
              } else {
                report.fields[field] = .deviation
                report.messages.append("\(id) \(field): PyTorch deviates (\(reason)); Tangent matches finite differences")
              }
            } else {
              report.fields[field] = .failed
              report.messages.append("\(id) \(field): \(problem)")
            }
          } else {
            report.fields[field] = .passed
          }
        } catch let e as ConformanceError {
          if case .unsupportedArgument = e { report.fields[field] = .skipped } else { report.fields[field] = .failed }
          report.messages.append("\(id) \(field): \(e)")
        }
      }
    } catch let e as ConformanceError {
      let status: FieldStatus
      switch e {
      case .malformed: status = .failed
      default: status = .skipped
      }
      mark(status, "\(id): \(e)")
    } catch {
      mark(.failed, "\(id): \(error)")
    }
    return report
  }

  /// The tolerances against finite differences (step 1e-6 in float64: truncation and
  /// rounding errors near 1e-8 relative, so 1e-4 leaves a wide margin without hiding a wrong
  /// formula, whose errors are of order one).
  static let fdAtol = 1e-5
  static let fdRtol = 1e-4

  /// Compares lists of tensors; returns a description of the first mismatch.
  static func compare(
    _ got: [Tensor], _ want: [Tensor], absolute: Set<Int>? = nil, atol: Double = atol, rtol: Double = rtol
  ) throws -> String? {
    guard got.count == want.count else { return "\(got.count) tensors, expected \(want.count)" }
    for (k, (a0, b0)) in zip(got, want).enumerated() {
      let a = absolute?.contains(k) == true ? try OpDatabase.absoluteValue(a0) : a0
      let b = absolute?.contains(k) == true ? try OpDatabase.absoluteValue(b0) : b0
      guard a.shape == b.shape else { return "[\(k)] shape \(a.shape), expected \(b.shape)" }
      if a.dtype.isComplex != b.dtype.isComplex && b.dtype.isFloatingPoint {
        return "[\(k)] dtype \(a.dtype), expected \(b.dtype)"
      }
      for (i, (p, q)) in zip(a.complexDoubles, b.complexDoubles).enumerated() {
        let err: Double = Complex<Double>(p.real - q.real, p.imaginary - q.imaginary).length
        let bothNaN = (p.real.isNaN || p.imaginary.isNaN) && (q.real.isNaN || q.imaginary.isNaN)
        if !(err <= atol + rtol * q.length) && !bothNaN && p != q {
          return "[\(k)] entry \(i): \(p), expected \(q)"
        }
      }
    }
    return nil
  }
}

/// Builds and evaluates the function of one golden case.
struct CaseRunner {
  let op: String
  let arguments: [JSONValue]
  let keywords: [String: JSONValue]
  let transform: String?
  let process: [String]
  let golden: @Sendable (GoldenCall) throws -> [Tensor]
  /// The floating input tensors, in order.
  let inputs: [Tensor]
  let tangents: [Tensor]
  let tangents2: [Tensor]
  let cotangents: [Tensor]

  init(json: JSONValue, golden: @escaping @Sendable (GoldenCall) throws -> [Tensor]) throws {
    guard let op = json["op"]?.string, let args = json["args"]?.array else {
      throw ConformanceError.malformed("a case needs op and args")
    }
    self.op = op
    arguments = args
    if case .object(let kw)? = json["kwargs"] { keywords = kw } else { keywords = [:] }
    transform = json["transform"]?.string
    process = (json["process"]?.array ?? []).compactMap(\.string)
    self.golden = golden
    var floats: [Tensor] = []
    for a in args {
      if let t = a["tensor"] {
        let x = try Tensor(golden: t)
        if x.dtype.isFloatingPoint { floats.append(x) }
      } else if let ts = a["tensors"]?.array {
        for t in ts {
          let x = try Tensor(golden: t)
          if x.dtype.isFloatingPoint { floats.append(x) }
        }
      }
    }
    inputs = floats
    func list(_ key: String) throws -> [Tensor] { try (json[key]?.array ?? []).map { try Tensor(golden: $0) } }
    tangents = try list("tangents")
    tangents2 = try list("tangents2")
    cotangents = try list("cotangents")
  }

  /// The outputs compared through their absolute value.
  var absOutputs: Set<Int> { Set(process.indices.filter { process[$0] == "abs" }) }

  /// The op's raw outputs for the floating inputs `xs`.
  func call(_ xs: [Tensor]) throws -> [Tensor] {
    var next = 0
    var built: [GoldenArgument] = []
    for a in arguments {
      if let t = a["tensor"] {
        let x = try Tensor(golden: t)
        if x.dtype.isFloatingPoint { built.append(.tensor(xs[next])); next += 1 } else { built.append(.tensor(x)) }
      } else if let ts = a["tensors"]?.array {
        var list: [Tensor] = []
        for t in ts {
          let x = try Tensor(golden: t)
          if x.dtype.isFloatingPoint { list.append(xs[next]); next += 1 } else { list.append(x) }
        }
        built.append(.tensors(list))
      } else if let v = a["value"] {
        built.append(.value(v))
      } else {
        throw ConformanceError.malformed("\(op): an argument is neither tensor, tensors nor value")
      }
    }
    if let transform, !built.isEmpty, case .tensor(let first) = built[0] {
      built[0] = .tensor(try OpDatabase.applyTransform(transform, first))
    }
    let invocation = GoldenCall(op: op, arguments: built, keywords: keywords)
    let outs = try golden(invocation)
    let unread = invocation.unreadKeywords
    if !unread.isEmpty {
      throw ConformanceError.unsupportedArgument("\(op): keyword \(unread.joined(separator: ", ")) is not supported")
    }
    guard outs.count == process.count || process.isEmpty else {
      throw ConformanceError.malformed("\(op): Tangent gives \(outs.count) outputs, the case lists \(process.count)")
    }
    return outs
  }

  /// The kept (processed, floating) outputs, which are differentiated.
  func kept(_ xs: [Tensor]) throws -> [Tensor] {
    let outs = try call(xs)
    var result: [Tensor] = []
    for (i, y) in outs.enumerated() {
      let p = i < process.count ? process[i] : "id"
      if p == "drop" || !y.dtype.isFloatingPoint { continue }
      result.append(p == "abs" ? try OpDatabase.absoluteValue(y) : y)
    }
    return result
  }

  /// Central finite differences (step 1e-6) of the quantity a derivative field holds: the
  /// outputs along `tangents` (jvp), the VJP along `tangents` (jvp_of_vjp), the JVP along
  /// `tangents2` (jvp_of_jvp).
  func finiteDifference(_ field: String) throws -> [Tensor] {
    let h = 1e-6
    func shifted(_ v: [Tensor], _ s: Double) -> [Tensor] { zip(inputs, v).map { $0 + $1 * s } }
    func difference(_ g: ([Tensor]) throws -> [Tensor], along v: [Tensor]) throws -> [Tensor] {
      let plus = try g(shifted(v, h)), minus = try g(shifted(v, -h))
      return zip(plus, minus).map { ($0.detached - $1.detached) / (2 * h) }
    }
    switch field {
    case "jvp": return try difference({ try kept($0) }, along: tangents)
    case "jvp_of_vjp":
      return try difference({ xs in
        var failure: Error?
        let (_, pullback) = vjp(of: { (x: [Tensor]) -> [Tensor] in
          do { return try kept(x) } catch { failure = error; return [] }
        }, at: xs)
        if let failure { throw failure }
        return pullback(cotangents)
      }, along: tangents)
    case "jvp_of_jvp":
      return try difference({ xs in
        var failure: Error?
        let t = jvp(of: { (x: [Tensor]) -> [Tensor] in
          do { return try kept(x) } catch { failure = error; return [] }
        }, at: xs, along: tangents).tangent
        if let failure { throw failure }
        return t
      }, along: tangents2)
    default: throw ConformanceError.malformed("no finite-difference reference for \(field)")
    }
  }

  func compute(_ field: String) throws -> [Tensor] {
    // Errors thrown inside closures are carried out through this box.
    var failure: Error?
    func guarded(_ xs: [Tensor]) -> [Tensor] {
      do { return try kept(xs) } catch { failure = error; return [] }
    }
    let result: [Tensor]
    switch field {
    case "outputs":
      return try call(inputs)
    case "jvp":
      guard tangents.count == inputs.count else { throw ConformanceError.malformed("\(tangents.count) tangents for \(inputs.count) inputs") }
      result = jvp(of: { guarded($0) }, at: inputs, along: tangents).tangent
    case "vjp":
      let (_, pullback) = vjp(of: { guarded($0) }, at: inputs)
      if let failure { throw failure }
      result = pullback(cotangents)
    case "jvp_of_vjp":
      result = jvp(of: { xs -> [Tensor] in
        let (_, pullback) = vjp(of: { guarded($0) }, at: xs)
        return failure == nil ? pullback(cotangents) : xs
      }, at: inputs, along: tangents).tangent
    case "jvp_of_jvp":
      result = jvp(of: { xs in jvp(of: { guarded($0) }, at: xs, along: tangents).tangent }, at: inputs, along: tangents2).tangent
    default:
      throw ConformanceError.malformed("unknown field \(field)")
    }
    if let failure { throw failure }
    return result
  }
}
