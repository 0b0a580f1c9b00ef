extension SparsityPattern {
  /// A spy plot of the pattern as an SVG document: one square per nonzero, row 0 at the top.
  ///
  /// With a colouring, each nonzero is filled with the colour of the seed that recovers it: its
  /// column's colour when the column is seeded, otherwise its row's colour (rows of a
  /// bidirectional colouring are drawn with a dashed outline to tell the two passes apart).
  /// Nonzeros without a colour are black. Write the string to a `.svg` file or embed it in HTML
  /// or Markdown.
  ///
  /// ```swift
  /// let p = SparsityPattern.arrowhead(20)
  /// try p.spySVG(coloring: p.coloring(.bidirectional)).write(toFile: "arrow.svg", atomically: true, encoding: .utf8)
  /// ```
  ///
  /// - Parameters:
  ///   - coloring: A colouring of this pattern, or `nil` for a black plot.
  ///   - size: The length in pixels of the longer side of the plot (600 by default); each
  ///     nonzero is at least one pixel.
  /// - Returns: The SVG text.
  /// - Precondition: `coloring`, when given, is for this pattern; `size` is positive.
  public func spySVG(coloring: ColoringResult? = nil, size: Int = 600) -> String {
    check(size > 0, "SparsityPattern.spySVG: size must be positive, got \(size)")
    if let coloring {
      check(coloring.pattern == self, "SparsityPattern.spySVG: the colouring is for \(coloring.pattern), not \(self)")
    }
    let cell = max(1.0, Double(size) / Double(max(rows, columns, 1)))
    let width = cell * Double(columns), height = cell * Double(rows)
    func fmt(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(format2(x)) }
    var out = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(fmt(width + 2))" height="\(fmt(height + 2))" \
      viewBox="-1 -1 \(fmt(width + 2)) \(fmt(height + 2))">
      <title>\(rows) × \(columns), \(nonzeroCount) nonzeros\(coloring.map { ", \($0.colorCount) colours (\($0.problem))" } ?? "")</title>
      <rect x="0" y="0" width="\(fmt(width))" height="\(fmt(height))" fill="white" stroke="#999" stroke-width="0.5"/>

      """
    for i in 0..<rows {
      for j in columns(inRow: i) {
        var fill = "black"
        var extra = ""
        if let coloring {
          if coloring.columnColors[j] >= 0 {
            fill = Self.paletteColor(coloring.columnColors[j])
          } else if coloring.rowColors[i] >= 0 {
            fill = Self.paletteColor(coloring.columnColorCount + coloring.rowColors[i])
            if coloring.problem == .bidirectional { extra = " stroke=\"black\" stroke-width=\"\(fmt(cell / 8))\" stroke-dasharray=\"\(fmt(cell / 4))\"" }
          }
        }
        out += "<rect x=\"\(fmt(Double(j) * cell))\" y=\"\(fmt(Double(i) * cell))\" width=\"\(fmt(cell))\" height=\"\(fmt(cell))\" fill=\"\(fill)\"\(extra)/>\n"
      }
    }
    return out + "</svg>\n"
  }

  /// A distinct, readable colour for colour index `k`: hues a golden angle apart.
  static func paletteColor(_ k: Int) -> String {
    let hue = (Double(k) * 137.508).truncatingRemainder(dividingBy: 360)
    return "hsl(\(Int(hue)), 70%, \(k % 2 == 0 ? 45 : 60)%)"
  }
}

/// `x` with two decimals, without Foundation.
private func format2(_ x: Double) -> String {
  let r = (x * 100).rounded() / 100
  return "\(r)"
}
