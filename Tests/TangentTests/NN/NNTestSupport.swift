import Testing

@testable import Tangent

// Helpers for the nn tests.

/// Expects an exit test's standard error to contain `message`.
func expectMessage(_ result: ExitTest.Result?, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
  let text = result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
  #expect(text.contains(message), "expected “\(message)” in: \(text)", sourceLocation: sourceLocation)
}
