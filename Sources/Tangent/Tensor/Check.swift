/// Tangent's one idiom for programmer misuse: a check whose message prints in every build.
///
/// Swift's `precondition(_:_:)` and `preconditionFailure(_:)` drop their message under `-O`:
/// a release build dies with signal 4 and no word of the op or the shapes. These helpers stop
/// through `fatalError(_:)`, which keeps its text in every optimisation mode except
/// `-Ounchecked`, so a misuse always says which op was called, with which shapes, dtypes or
/// levels, and which rule was broken.
///
/// Write every misuse check with ``check(_:_:file:line:)`` (or ``misuse(_:file:line:)`` where
/// control flow has already decided), and make the message name the op first:
///
/// ```swift
/// check(a.shape[1] == b.shape[0], "matmul: inner dims differ: \(a.shape) @ \(b.shape)")
/// ```
///
/// Failures that depend on the data (a singular matrix, LAPACK not converging) are not misuse:
/// they throw a typed error such as ``LinalgError``.

/// Stops the program with `message` when `condition` is false, in every build configuration.
///
/// - Parameters:
///   - condition: The rule the caller must follow; evaluated once.
///   - message: What went wrong, starting with the op's name; built only on failure.
@inline(__always)
package func check(
  _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
  file: StaticString = #fileID, line: UInt = #line
) {
  if _slowPath(!condition()) { misuse(message(), file: file, line: line) }
}

/// Stops the program with `message`, in every build configuration (see ``check(_:_:file:line:)``).
///
/// - Parameter message: What went wrong, starting with the op's name.
@inline(never)
package func misuse(_ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) -> Never {
  fatalError(message(), file: file, line: line)
}
