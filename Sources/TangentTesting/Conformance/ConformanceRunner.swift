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

/// How one golden case ended, as a whole.
public enum CaseOutcome: String, Sendable, Codable, CaseIterable {
  /// Every field Tangent computes agrees with PyTorch (or with finite differences, for a
  /// documented PyTorch deviation).
  case passed
  /// A field disagrees, or Tangent failed to compute it.
  case failed
  /// Nothing could be checked: the op, an argument or a mode is not supported, or the case is
  /// inconsistent (inputs that do not broadcast, a tangent of the wrong shape…). The messages
  /// say why.
  case skipped
  /// The case does not follow the golden format (not an object, a missing field).
  case malformed
  /// The case's id was already used by an earlier case; it is not run.
  case duplicate
  /// Running the case stopped the worker process (an op's misuse check tripped); the message
  /// holds the first line of its error output. Counted among the skipped cases.
  case crashed
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
  /// The case as a whole.
  public var outcome: CaseOutcome

  /// A report whose outcome is given: malformed, duplicate or crashed cases, with one message.
  public init(id: String, op: String, outcome: CaseOutcome, message: String) {
    self.id = id
    self.op = op
    fields = [:]
    messages = [message]
    self.outcome = outcome
  }

  init(id: String, op: String) {
    self.id = id
    self.op = op
    fields = [:]
    messages = []
    outcome = .passed
  }

  /// The outcome the field statuses imply: failed if any failed, skipped if nothing passed
  /// and something was skipped, passed otherwise.
  mutating func settleOutcome() {
    let statuses = Set(fields.values)
    if statuses.contains(.failed) {
      outcome = .failed
    } else if statuses.contains(.skipped) && !statuses.contains(.passed) && !statuses.contains(.deviation) {
      outcome = .skipped
    } else {
      outcome = .passed
    }
  }
}

/// Runs golden cases (PyTorch's own derivative values) against Tangent.
///
/// For each case it finds the op's record in the ``OpDatabase`` by its PyTorch name, builds the
/// function from the case's arguments, and computes outputs, JVP, VJP, forward-over-reverse
/// and forward-over-forward, comparing each with `|a − b| ≤ 1e-7 + 1e-6·|b|` elementwise (an
/// expected NaN matches only NaN, an expected ±∞ only the same infinity).
///
/// Everything the runner can check before calling the op is checked first (the format, tensor
/// data against shapes, element counts that overflow, tangents and cotangents against the op's
/// inputs and outputs), so such cases are reported, not crashed on. An op's own misuse check
/// still stops the process: ``ConformanceSuite`` runs cases in a worker process to survive it.
public enum ConformanceRunner {
  /// The comparison's absolute tolerance.
  public static let atol = 1e-7
  /// The comparison's relative tolerance.
  public static let rtol = 1e-6

  /// The fields that need `tangents`, `tangents2` or `cotangents` beside them.
  static let companions: [(field: String, needs: String)] = [
    ("jvp", "tangents"), ("vjp", "cotangents"), ("jvp_of_vjp", "tangents"), ("jvp_of_vjp", "cotangents"),
    ("jvp_of_jvp", "tangents"), ("jvp_of_jvp", "tangents2"),
  ]

  /// Checks the golden format of a case without running it: an object with string `id` and
  /// `op`, a list `args`, and the tangents or cotangents each present field needs. Returns the
  /// problem, or `nil`.
  public static func formatProblem(_ json: JSONValue) -> String? {
    guard case .object = json else { return "a case must be an object, not \(json.description.prefix(40))" }
    guard json["id"]?.string != nil else { return "a case needs a string id" }
    guard json["op"]?.string != nil else { return "a case needs a string op" }
    guard let args = json["args"]?.array else { return "a case needs an args list" }
    for (k, a) in args.enumerated() {
      let kinds = ["tensor", "tensors", "value"].filter { a[$0] != nil }
      guard kinds.count == 1 else { return "args[\(k)] must hold one of tensor, tensors or value: \(a.description.prefix(40))" }
      if kinds == ["tensors"], a["tensors"]?.array == nil { return "args[\(k)].tensors must be a list" }
    }
    if let kw = json["kwargs"] {
      switch kw {
      case .object, .null: break
      default: return "kwargs must be an object, not \(kw)"
      }
    }
    for field in conformanceFields + ["tangents", "tangents2", "cotangents", "process"] {
      if let v = json[field], v.array == nil { return "\(field) must be a list, not \(v.description.prefix(40))" }
    }
    if let bad = (json["process"]?.array ?? []).first(where: { !["id", "abs", "drop"].contains($0.string ?? "") }) {
      return "process entries are id, abs or drop, not \(bad)"
    }
    for (field, needs) in companions where json[field] != nil && json[needs] == nil {
      return "\(field) is given without \(needs)"
    }
    return nil
  }

  /// Runs one case, given as parsed JSON. Never stops the process for a malformed case, an
  /// unknown op, an unsupported argument or an inconsistent case: those become malformed or
  /// skipped cases with a message. (An op's own misuse check on an argument the runner cannot
  /// validate still stops it; see ``ConformanceSuite``.)
  public static func run(_ json: JSONValue) -> CaseReport {
    let id = json["id"]?.string ?? "?"
    let op = json["op"]?.string ?? "?"
    if let problem = formatProblem(json) {
      return CaseReport(id: id, op: op, outcome: .malformed, message: "\(id): malformed: \(problem)")
    }
    var report = CaseReport(id: id, op: op)
    func mark(_ status: FieldStatus, _ message: String? = nil) {
      for f in conformanceFields { report.fields[f] = json[f] == nil ? .absent : status }
      if let message { report.messages.append(message) }
    }
    guard let record = goldenRecord(for: json), let golden = record.golden else {
      mark(.skipped, "\(id): no Tangent op for \(op)")
      report.settleOutcome()
      return report
    }
    do {
      let runner = try CaseRunner(json: json, golden: golden)
      let modes: [String: DerivativeModes] = [
        "jvp": .forward, "vjp": .reverse, "jvp_of_vjp": .forwardOverReverse, "jvp_of_jvp": .forwardOverForward,
      ]
      // Expected values are read first: a field that is not a list of tensors is malformed.
      var expected: [String: [Tensor]] = [:]
      for field in conformanceFields {
        guard let want = json[field]?.array else { continue }
        do {
          expected[field] = try want.map { try Tensor(golden: $0) }
        } catch ConformanceError.malformed(let m) {
          throw ConformanceError.malformed("\(field): \(m)")
        } catch let e as ConformanceError {
          throw ConformanceError.malformed("\(field): \(e)")
        }
      }
      // Cotangents are checked against the op's outputs before any field runs: a case whose
      // cotangents do not fit is skipped as a whole, as one whose tangents do not fit is.
      if json["cotangents"] != nil { try runner.checkCotangents() }
      for field in conformanceFields {
        guard let want = expected[field] else { report.fields[field] = .absent; continue }
        if let mode = modes[field], !record.modes.contains(mode) {
          report.fields[field] = .skipped
          report.messages.append("\(id) \(field): unsupported mode for \(record.name) (\(record.limits.first ?? "see its record"))")
          continue
        }
        do {
          let got = try runner.compute(field)
          // A full SVD's extra singular vectors have a basis freedom: compare what is fixed.
          let invariants = field == "outputs" ? try fullSVDInvariants(op: op, got: got, want: want) : nil
          let comparedProblem = try invariants?.problem
            ?? compare(invariants?.got ?? got, invariants?.want ?? want, absolute: field == "outputs" ? runner.absOutputs : nil)
          if let problem = comparedProblem {
            if let reason = deviation(of: record, field) {
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
          switch e {
          case .unsupportedArgument, .unsupportedOp, .invalidCase: report.fields[field] = .skipped
          case .malformed: report.fields[field] = .failed
          }
          report.messages.append("\(id) \(field): \(e)")
        }
      }
    } catch let e as ConformanceError {
      if case .malformed = e {
        return CaseReport(id: id, op: op, outcome: .malformed, message: "\(id): \(e)")
      }
      mark(.skipped, "\(id): \(e)")
    } catch {
      mark(.failed, "\(id): \(error)")
    }
    report.settleOutcome()
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
      for (i, (p, q)) in zip(a.complexDoubles, b.complexDoubles).enumerated() where !matches(p, q, atol: atol, rtol: rtol) {
        return "[\(k)] entry \(i): \(describe(p)), expected \(describe(q))"
      }
    }
    return nil
  }

  /// Whether `got` agrees with `want`: `|got − want| ≤ atol + rtol·|want|` when `want` is
  /// finite (and then `got` must be finite too); otherwise each non-finite part of `want` must
  /// be matched exactly (NaN by NaN, an infinity by the same infinity) and each finite part
  /// within the tolerance. The parts are read raw (`rawStorage`): `Complex`'s `real`, `length`
  /// and `==` read every non-finite value as one infinity, which would match anything.
  static func matches(_ got: Complex<Double>, _ want: Complex<Double>, atol: Double, rtol: Double) -> Bool {
    let (a, b) = (got.rawStorage, want.rawStorage)
    func close(_ p: Double, _ q: Double) -> Bool {
      if q.isNaN { return p.isNaN }
      if q.isInfinite { return p == q }
      return p.isFinite && Swift.abs(p - q) <= atol + rtol * Swift.abs(q)
    }
    if b.x.isFinite && b.y.isFinite {
      guard a.x.isFinite && a.y.isFinite else { return false }
      return hypot(a.x - b.x, a.y - b.y) <= atol + rtol * hypot(b.x, b.y)
    }
    return close(a.x, b.x) && close(a.y, b.y)
  }

  /// An entry for a message: a real number alone when its imaginary part is zero.
  static func describe(_ z: Complex<Double>) -> String {
    let (x, y) = z.rawStorage
    return y == 0 ? "\(x)" : "\(x)\(y.sign == .minus ? "" : "+")\(y)i"
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
    if json["tangents"] != nil { try Self.checkFit(tangents, floats, "tangents", "inputs") }
    if json["tangents2"] != nil { try Self.checkFit(tangents2, floats, "tangents2", "inputs") }
  }

  /// Checks that `given` (tangents or cotangents) has one tensor per tensor of `targets`, of the
  /// same shape and the same kind (real or complex); throws ``ConformanceError/invalidCase(_:)``.
  static func checkFit(_ given: [Tensor], _ targets: [Tensor], _ what: String, _ of: String) throws {
    guard given.count == targets.count else {
      throw ConformanceError.invalidCase("\(given.count) \(what) for \(targets.count) \(of)")
    }
    for (k, (g, t)) in zip(given, targets).enumerated() {
      guard g.shape == t.shape else {
        throw ConformanceError.invalidCase("\(what)[\(k)] has shape \(g.shape), the \(of)[\(k)] has \(t.shape)")
      }
      guard g.dtype.isFloatingPoint, g.dtype.isComplex == t.dtype.isComplex else {
        throw ConformanceError.invalidCase("\(what)[\(k)] is \(g.dtype), the \(of)[\(k)] is \(t.dtype)")
      }
    }
  }

  /// Checks the cotangents against the op's kept outputs (computed once here, before any
  /// pullback sees them).
  func checkCotangents() throws {
    try Self.checkFit(cotangents, try kept(inputs), "cotangents", "kept outputs")
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
    let ignored = invocation.unreadPositions
    if !ignored.isEmpty {
      let shown = ignored.map { i -> String in
        if case .value(let v) = built[i] { return "\(i) (\(v))" }
        return "\(i) (a tensor)"
      }
      throw ConformanceError.unsupportedArgument("\(op): positional argument \(shown.joined(separator: ", ")) is not read by the mapping")
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
      result = jvp(of: { guarded($0) }, at: inputs, along: tangents).tangent
    case "vjp":
      try checkCotangents()
      let (_, pullback) = vjp(of: { guarded($0) }, at: inputs)
      if let failure { throw failure }
      result = pullback(cotangents)
    case "jvp_of_vjp":
      try checkCotangents()
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
