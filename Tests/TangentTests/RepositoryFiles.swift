import Foundation

/// The files of this checkout that tests read: the README, docs, fixtures. Tests that keep a
/// document and the code it shows in step use ``block(_:from:followedBy:through:)``.
enum RepositoryFiles {
  /// The package root (this file sits in Tests/TangentTests/).
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The URL of `path`, relative to the package root.
  static func url(_ path: String) -> URL { root.appendingPathComponent(path) }

  /// The text of `path` (relative to the package root), or "" when it cannot be read.
  static func text(_ path: String) -> String { (try? String(contentsOf: url(path), encoding: .utf8)) ?? "" }

  /// The whitespace-trimmed lines of `text` from the first one that starts with `start` (and
  /// whose next line starts with `next`, when given) through the first one after it that
  /// starts with `end`; empty when there is none. A test compares the block of a document
  /// with the same block of its own source, so the two cannot drift apart.
  static func block(_ text: String, from start: String, followedBy next: String? = nil, through end: String) -> [String] {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    guard
      let first = lines.indices.first(where: { i in
        lines[i].hasPrefix(start) && (next.map { i + 1 < lines.count && lines[i + 1].hasPrefix($0) } ?? true)
      }),
      let last = lines[first...].firstIndex(where: { $0.hasPrefix(end) })
    else { return [] }
    return Array(lines[first...last])
  }
}
