import Foundation
import Testing
import TangentTesting

/// The README's support summary is checked against the op database, so it cannot drift.
@Suite struct ReadmeTests {
  static let readme = RepositoryFiles.text("README.md")

  @Test func supportTableMatchesTheDatabase() {
    let published = RepositoryFiles.text("docs/support.md")
    #expect(published == OpDatabase.supportTableMarkdown(), "regenerate with: tangent coverage --markdown > docs/support.md")
  }

  @Test func opCountsMatchTheDatabase() {
    let records = OpDatabase.all.count
    let forward = OpDatabase.all.filter { $0.modes.contains(.forward) }.count
    let claim = "\(records) records in the op database, \(forward) with forward AD"
    let flat = Self.readme.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    let found = flat.contains(claim)
    #expect(found, "README should say: \(claim)")
  }
}
