/// The seed tensors of compressed passes: the colours of one side (columns for forward passes,
/// rows for reverse ones) split into chunks of consecutive colours, one tensor per pass, built
/// once when a sparse Jacobian or Hessian is prepared.
///
/// Direction `c - start` of the pass that starts at colour `start` is the sum of the one-hot
/// vectors of the elements coloured `c`: a column of the seed matrix `S` of
/// ``ColoringResult/columnSeed(dtype:)``, laid out as a chunked tangent (or cotangent).
struct CompressedSeeds: Sendable {
  /// One tensor per pass, of shape `[width] + shape`.
  let tensors: [Tensor]
  /// The first colour of each pass.
  let starts: [Int]
  /// The colours per pass (the last pass may hold fewer).
  let chunk: Int

  /// The seeds of `colorCount` colours over the elements of a tensor of `shape` (`colors[v]`
  /// is the colour of element `v`, -1 when not seeded), `chunkSize` colours per pass (all of
  /// them in one pass when `nil`).
  init(colors: [Int], colorCount: Int, chunkSize: Int?, shape: [Int], dtype: DType) {
    let n = colors.count
    chunk = Swift.max(1, Swift.min(chunkSize ?? colorCount, colorCount))
    // Elements by colour, so each pass touches only its own.
    var byColor = [[Int]](repeating: [], count: colorCount)
    for (v, c) in colors.enumerated() where c >= 0 { byColor[c].append(v) }
    var tensors: [Tensor] = []
    var starts: [Int] = []
    var start = 0
    while start < colorCount {
      let width = Swift.min(chunk, colorCount - start)
      var s = [Double](repeating: 0, count: width * n)
      for c in start..<(start + width) {
        for v in byColor[c] { s[(c - start) * n + v] = 1 }
      }
      tensors.append(Tensor(shape: [width] + shape, scalars: s).converted(to: dtype))
      starts.append(start)
      start += width
    }
    self.tensors = tensors
    self.starts = starts
  }

  /// The number of passes.
  var count: Int { tensors.count }

  /// The pass that holds colour `c`, and the direction of `c` inside it.
  func locate(_ c: Int) -> (pass: Int, direction: Int) { (c / chunk, c % chunk) }
}
