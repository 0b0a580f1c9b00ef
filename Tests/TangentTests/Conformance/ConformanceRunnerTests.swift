import ComplexModule
import Foundation
import Testing
import Tangent
@testable import TangentTesting

/// The conformance runner on golden cases kept in the repository (Tests/Goldens, written by
/// Tests/Goldens/make-fixtures.py): real PyTorch cases, so the golden adapters run even when
/// ../shared/goldens is absent, and broken cases, each of which must be reported, never crash.
@Suite struct ConformanceRunnerTests {
  /// Tests/Goldens in this checkout.
  static let goldens = RepositoryFiles.url("Tests/Goldens")

  /// The reports of every case of one fixture file, run in this process.
  static func reports(_ path: String) throws -> [CaseReport] {
    let cases = try ConformanceSuite.cases(in: goldens.appendingPathComponent(path))
    var seen = Set<String>()
    return ConformanceSuite.runInProcess(cases, selected: ConformanceSuite.select(cases, op: nil), seen: &seen)
  }

  @Test(arguments: ["core", "linalg", "nn", "fft", "special"])
  func pytorchCasesPass(family: String) throws {
    let reports = try Self.reports("pytorch/\(family).json")
    #expect(reports.count >= 6)
    for r in reports {
      #expect(r.outcome == .passed, "\(r.id): \(r.outcome) \(r.messages)")
      // Every case carries outputs and derivatives; none may be skipped here.
      #expect(!r.fields.values.contains(.skipped), "\(r.id): \(r.messages)")
      #expect(r.fields["outputs"] == .passed, "\(r.id)")
    }
  }

  /// OpInfo cases of issue 10's last fixes (Tests/Goldens/make-opinfo-fixtures.py): each
  /// failed, or was unsupported, in the OpInfo triage before its fix. Now every one passes;
  /// three through a listed PyTorch deviation, which the runner checks by finite differences.
  @Test(arguments: ["core", "linalg", "nn"])
  func opinfoFixCasesPass(family: String) throws {
    let reports = try Self.reports("opinfo/\(family).json")
    #expect(reports.count >= 2)
    let deviating = ["nn.functional.cross_entropy#16": "jvp", "nn.functional.max_unpool2d#131": "jvp", "native_batch_norm#9": "jvp"]
    for r in reports {
      #expect(r.outcome == .passed, "\(r.id): \(r.outcome) \(r.messages)")
      #expect(r.fields["outputs"] == .passed, "\(r.id): \(r.messages)")
      if let field = deviating[r.id] { #expect(r.fields[field] == .deviation, "\(r.id) \(field): \(r.messages)") }
    }
  }

  @Test func documentedDeviationsAreCheckedByFiniteDifferences() throws {
    let reports = try Self.reports("pytorch/linalg.json")
    let solve = try #require(reports.first { $0.op == "linalg.solve" })
    #expect(solve.fields["jvp_of_jvp"] == .deviation)
    #expect(solve.messages.contains { $0.contains("Tangent matches finite differences") })
  }

  /// The outcome each broken case must get, and a phrase its message must contain.
  static let expectations: [String: (CaseOutcome, String)] = [
    "?": (.malformed, "must be an object"),
    "missing-cotangents#0": (.malformed, "vjp is given without cotangents"),
    "missing-tangents#0": (.malformed, "jvp is given without tangents"),
    "field-not-a-list#0": (.malformed, "jvp must be a list"),
    "unknown-dtype#0": (.malformed, "unknown dtype float128"),
    "wrong-data-length#0": (.malformed, "11 values for shape [3, 4]"),
    "no-broadcast#0": (.skipped, "shapes [[3, 4], [5]] do not broadcast"),
    "tangent-shape#0": (.skipped, "tangents[1] has shape [3], the inputs[1] has [4]"),
    "cotangent-shape#0": (.skipped, "cotangents[0] has shape [4, 3], the kept outputs[0] has [3, 4]"),
    "tangents2-short#0": (.skipped, "1 tangents2 for 2 inputs"),
    "shape-overflow#0": (.skipped, "more elements than Int can count"),
    "huge-integer#0": (.skipped, "shape is 1e+300, expected an integer"),
    "bad-argument#0": (.malformed, "args[1] must hold one of tensor, tensors or value"),
    "bad-expected-value#0": (.malformed, "malformed: outputs: 11 values for shape [3, 4]"),
    "bad-process#0": (.malformed, "process entries are id, abs or drop, not \"sqrt\""),
    "int-out-of-range#0": (.malformed, "1e+300 is not a value of dtype int64"),
    "ignored-positional#0": (.skipped, "positional argument 1 (true) is not read by the mapping"),
    "conv1d-padding-unknown#0": (.skipped, "padding \"circular\" is not supported"),
    "nan-matches-nan#0": (.passed, ""),
    "nan-expected-finite-given#0": (.failed, "expected nan"),
    "infinity-matches-infinity#0": (.passed, ""),
    "wrong-infinity#0": (.failed, "-inf, expected inf"),
    "infinity-expected-finite-given#0": (.failed, "expected -inf"),
    "listed-deviation#0": (.passed, "PyTorch deviates"),
    "unlisted-deviation#0": (.failed, "jvp: [0] entry 0"),
  ]

  @Test func brokenCasesAreReportedNotCrashedOn() throws {
    let reports = try Self.reports("robustness/cases.json")
    // One report per case, in order, the run going on past every fault.
    let duplicates = reports.filter { $0.id == "duplicate#0" }
    #expect(duplicates.map(\.outcome) == [.passed, .duplicate])
    #expect(duplicates.last?.messages.first?.contains("duplicate id") == true)
    for r in reports where r.id != "duplicate#0" {
      guard let (outcome, phrase) = Self.expectations[r.id] else {
        Issue.record("unexpected case \(r.id)")
        continue
      }
      #expect(r.outcome == outcome, "\(r.id): \(r.outcome) \(r.messages)")
      #expect(phrase.isEmpty || r.messages.contains { $0.contains(phrase) }, "\(r.id): \(r.messages)")
    }
    #expect(Set(reports.map(\.id)) == Set(Self.expectations.keys).union(["duplicate#0"]))
  }

  @Test func aMetaStringMentioningNaNLeavesTheFileReadable() throws {
    let reports = try Self.reports("robustness/files/meta-nan.json")
    #expect(reports.map(\.outcome) == [.passed])
    let json = try JSONValue.parse(try Data(contentsOf: Self.goldens.appendingPathComponent("robustness/files/meta-nan.json")))
    #expect(json["meta"]?["note"]?.string == "NaN and -Infinity in a string, and \"NaN\" quoted")
  }

  @Test(arguments: [("truncated.json", "not valid JSON"), ("no-cases.json", "no \"cases\" list")])
  func unreadableFilesAreMalformed(file: String, phrase: String) throws {
    let error = #expect(throws: ConformanceError.self) {
      _ = try ConformanceSuite.cases(in: Self.goldens.appendingPathComponent("robustness/files/\(file)"))
    }
    guard case .malformed(let m)? = error else {
      Issue.record("\(String(describing: error)) is not malformed")
      return
    }
    #expect(m.contains(phrase))
  }

  @Test func nonFiniteTokensAreQuotedOnlyOutsideStrings() throws {
    let text = #"{"a": [NaN, -Infinity, Infinity], "b": "NaN, Infinity \" NaN", "NaN": 1, "c": [NaNs]}"#
    let fixed = String(decoding: JSONValue.quotingNonFiniteTokens(Data(text.utf8)), as: UTF8.self)
    #expect(fixed == #"{"a": ["NaN", "-Infinity", "Infinity"], "b": "NaN, Infinity \" NaN", "NaN": 1, "c": [NaNs]}"#)
    let json = try JSONValue.parse(Data(#"{"a": [NaN, -Infinity], "b": "x NaN y"}"#.utf8))
    #expect(json["b"]?.string == "x NaN y")
    let a = try Tensor(golden: .object(["shape": .array([.number(2)]), "dtype": .string("float64"), "data": json["a"]!]))
    #expect(a.doubles[0].isNaN && a.doubles[1] == -.infinity)
  }

  @Test func nonFiniteExpectedValuesMatchOnlyThemselves() {
    func m(_ a: Complex<Double>, _ b: Complex<Double>) -> Bool { ConformanceRunner.matches(a, b, atol: 1e-7, rtol: 1e-6) }
    let nan = Double.nan, inf = Double.infinity
    #expect(m(Complex(nan, 0), Complex(nan, 0)))
    #expect(!m(Complex(1, 0), Complex(nan, 0)))
    #expect(!m(Complex(nan, 0), Complex(1, 0)))
    #expect(m(Complex(inf, 0), Complex(inf, 0)))
    #expect(!m(Complex(-inf, 0), Complex(inf, 0)))
    #expect(!m(Complex(1e300, 0), Complex(inf, 0)))
    #expect(!m(Complex(inf, 0), Complex(1e300, 0)))
    // A complex entry: the finite part is compared within the tolerance, the other exactly.
    #expect(m(Complex(2, nan), Complex(2, nan)))
    #expect(!m(Complex(3, nan), Complex(2, nan)))
    #expect(m(Complex(1 + 1e-9, 2), Complex(1, 2)))
    #expect(!m(Complex(1.1, 2), Complex(1, 2)))
  }

  @Test func argumentsOfAnUnexpectedTypeAreNotDefaulted() throws {
    let call = GoldenCall(
      op: "f", arguments: [.tensor(Tensor.zeros([2])), .value(.string("same")), .value(.number(2.5)), .value(.null)],
      keywords: ["k": .bool(true)])
    #expect(throws: ConformanceError.self) { try call.int(1, "padding", default: 0) }
    #expect(throws: ConformanceError.self) { try call.int(2, "stride", default: 1) }
    #expect(throws: ConformanceError.self) { try call.int(0, "input", default: 1) }  // a tensor
    #expect(throws: ConformanceError.self) { try call.double(nil, "k", default: 1) }
    #expect(throws: ConformanceError.self) { try call.ints(1, "size") }
    #expect(throws: ConformanceError.self) { try call.requiredInts(5, "shape") }
    #expect(throws: ConformanceError.self) { try call.optionalTensor(2) }
    #expect(try call.int(3, "dim", default: 7) == 7)  // null takes the default
    #expect(try call.int(9, "absent", default: 4) == 4)
    #expect(try call.bool(nil, "k", default: false))
    #expect(try call.optionalTensor(3) == nil)
  }

  @Test func goldenNamesOfOpInfoVariantsFindTheirRecords() throws {
    func record(_ op: String, args: [JSONValue] = [], kwargs: [String: JSONValue] = [:]) -> String? {
      ConformanceRunner.goldenRecord(for: .object(["op": .string(op), "args": .array(args), "kwargs": .object(kwargs)]))?.name
    }
    #expect(record("meshgrid") == "meshgrid")
    let reduceArgs: [JSONValue] = [.object([:]), .object(["value": .number(0)]), .object([:]), .object([:]), .object(["value": .string("amax")])]
    #expect(record("scatter_reduce", args: reduceArgs) == "scatterReduce.amax")
    #expect(record("scatter_reduce", kwargs: ["reduce": .string("mean")]) == "scatterReduce.mean")
    #expect(record("nn.functional.feature_alpha_dropout") == "NN.featureAlphaDropout")
    #expect(record("no_such_op") == nil)
  }

  @Test func listedDeviationsNameRealRecordsAndFields() {
    let names = Set(OpDatabase.all.map(\.name))
    for (name, fields) in ConformanceRunner.goldenDeviations {
      #expect(names.contains(name), "\(name) is not a record")
      for field in fields.keys { #expect(conformanceFields.contains(field), "\(name): \(field)") }
    }
    for name in ["Linalg.tensorsolve", "Linalg.solveEx", "cumprod", "NN.nllLoss", "asStridedScatter", "logCumSumExp"] {
      #expect(ConformanceRunner.goldenDeviations[name] != nil, "\(name)")
    }
  }

  /// A case that trips an op's misuse check stops a worker process; the supervisor reports it
  /// as crashed with the check's message and runs the rest. Needs the `tangent` executable,
  /// which `swift build --build-tests` builds beside the test bundle.
  /// The `tangent` executable beside this test bundle (or in .build/debug).
  static func tangentExecutable() throws -> URL {
    let here = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    let root = goldens.deletingLastPathComponent().deletingLastPathComponent()
    let candidates = [here.appendingPathComponent("tangent"), root.appendingPathComponent(".build/debug/tangent")]
    return try #require(
      candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }, "build the tangent executable first")
  }

  @Test func aCrashingCaseIsReportedAndTheRunGoesOn() throws {
    let executable = try Self.tangentExecutable()
    let dir = Self.goldens.appendingPathComponent("crash")
    var seen = Set<String>()
    var reports: [CaseReport] = []
    for file in ["a.json", "b.json"] {
      let url = dir.appendingPathComponent(file)
      let cases = try ConformanceSuite.cases(in: url)
      reports += ConformanceSuite.runIsolated(
        file: url, selected: ConformanceSuite.select(cases, op: nil), cases: cases, seen: &seen,
        worker: (executable, ["conformance", "--worker"]))
    }
    #expect(reports.map(\.outcome) == [.passed, .crashed, .passed, .duplicate, .passed])
    let crash = try #require(reports.first { $0.outcome == .crashed })
    // The check's own message, not a signal number or a backtrace.
    #expect(crash.messages.count == 1)
    #expect(crash.messages[0].hasPrefix("reshape-to-wrong-count#0: crashed: reshape"), "\(crash.messages)")
    #expect(crash.messages[0].contains("[5]"), "\(crash.messages)")
    #expect(reports[3].id == "log#24")
  }

  @Test func theCommandSummarisesCrashesAndDuplicatesAndFailsOnDuplicates() throws {
    let process = Process()
    process.executableURL = try Self.tangentExecutable()
    process.arguments = ["conformance", Self.goldens.appendingPathComponent("crash").path]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(text.contains("conformance: 3 passed, 0 failed, 1 skipped (1 crashed), 1 duplicate"), "\(text)")
    #expect(text.contains("reshape-to-wrong-count#0: crashed: reshape"), "\(text)")
    #expect(process.terminationStatus == 1)
  }
}
