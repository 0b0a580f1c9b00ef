import Tangent

extension OpDatabase {
  /// The support table as Markdown: one row per record with its modes and PyTorch names.
  ///
  /// `docs/support.md` is this text; a test regenerates it and compares, so the published
  /// table cannot drift from the database.
  public static func supportTableMarkdown() -> String {
    func mark(_ b: Bool) -> String { b ? "✓" : "" }
    var lines = [
      "# Supported ops",
      "",
      "Generated from the op database by `tangent coverage --markdown`; a test keeps it in sync.",
      "Every mode marked here is checked by the generic checks in float64 (and complex128 where marked).",
      "",
      "| op | forward | reverse | fwd-over-rev | fwd-over-fwd | chunked | complex | PyTorch names |",
      "| --- | :-: | :-: | :-: | :-: | :-: | :-: | --- |",
    ]
    for r in all.sorted(by: { $0.name < $1.name }) {
      let m = r.modes
      let cells = [m.contains(.forward), m.contains(.reverse), m.contains(.forwardOverReverse),
                   m.contains(.forwardOverForward), m.contains(.chunked), r.dtypes.contains { $0.isComplex }].map(mark)
      lines.append("| `\(r.name)` | " + cells.joined(separator: " | ") + " | " + r.torchNames.map { "`\($0)`" }.joined(separator: ", ") + " |")
    }
    let forward = all.filter { $0.modes.contains(.forward) }.count
    lines += ["", "\(all.count) ops, \(forward) with forward AD.", ""]
    return lines.joined(separator: "\n")
  }
}
