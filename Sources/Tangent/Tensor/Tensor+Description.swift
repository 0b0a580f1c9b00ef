import ComplexModule
import RealModule

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Tensor: CustomStringConvertible, CustomDebugStringConvertible {
  /// The values in PyTorch's print style, such as
  ///
  /// ```
  /// Tensor([[1.0000, 2.5000],
  ///         [3.0000, 4.0000]])
  /// Tensor([1, 2], dtype: int64)
  /// Tensor([1.0000+2.0000j, 3.0000-1.0000j], dtype: complex128)
  /// ```
  ///
  /// Columns are aligned; floats use 4 decimals, or none (`1.`) when every value is integral,
  /// or scientific notation when the magnitudes span more than 1000× (as in PyTorch). Tensors
  /// with more than 1000 elements show 3 items at each edge of every dimension, with `...`
  /// between. The dtype is named when it is not `float64`. Tensors taking part in
  /// differentiation are marked: `requiresGrad: true` and `gradFn: op` for the imperative tape
  /// (``requiringGrad()``, ``backward(seed:retainGraph:createGraph:)``), `dual: [level n]` for open dual levels. Values
  /// returned by the functional transforms (``vjp(of:at:chunked:)-((In)->Out,In,Bool)``, ``gradient(of:at:)``) carry no
  /// mark: their recording belongs to a transform that has returned.
  public var description: String {
    if let b = autodiff?.batch {
      return "batched tensor (shape \(shape), \(dtype), a batch of \(b.value.shape.first ?? 0) at vmap level \(b.level))"
    }
    return TensorPrinter(self).render()
  }

  /// The same text as ``description``, as PyTorch's `repr` is its `str`: this is what `print`
  /// shows for a tensor inside a tuple, an `Optional`, an array or a struct. The memory layout
  /// is shown only on request, by ``layoutDescription``.
  public var debugDescription: String { description }

  /// The memory layout: shape, strides, offset, contiguity and storage size, such as
  /// `shape: [3, 2], strides: [1, 3], offset: 0, contiguous: false, storage: 48 bytes`.
  public var layoutDescription: String {
    "shape: \(shape), strides: \(strides), offset: \(offset), contiguous: \(isContiguous), "
      + "storage: \(storage.byteCount) bytes"
  }
}

/// Renders tensors the way `torch._tensor_str` does.
struct TensorPrinter {
  static let threshold = 1000
  static let edgeItems = 3
  static let lineWidth = 80
  static let header = "Tensor("

  let tensor: Tensor
  let summarize: Bool
  /// `requiresGrad: true`, `gradFn: op` and `dual: [level n]` notes.
  let autodiffNotes: [String]

  init(_ tensor: Tensor) {
    self.tensor = tensor.detached
    summarize = tensor.count > Self.threshold
    var notes: [String] = []
    // Only the imperative tape (gradient level 0) is the user's to see; a functional
    // transform's level belongs to a call that has returned, or is an implementation detail.
    if let edge = tensor.autodiff?.edge, edge.node.level == 0 {
      notes.append(edge.node.isLeaf ? "requiresGrad: true" : "gradFn: \(edge.node.name)")
    }
    let context = AutodiffContext.current
    let levels = tensor.levelTangents.filter { context.isOpen($0.level) }.map { "level \($0.level)" }
    if !levels.isEmpty { notes.append("dual: [\(levels.joined(separator: ", "))]") }
    autodiffNotes = notes
  }

  /// The indices shown along a dimension of size `n`; `nil` marks the `...`.
  func shown(_ n: Int) -> [Int?] {
    if summarize && n > 2 * Self.edgeItems {
      return Array(0..<Self.edgeItems) + [nil] + Array((n - Self.edgeItems)..<n)
    }
    return Array(0..<n)
  }

  /// Calls `body` with every multi-index that is shown, in row-major order.
  func forEachShown(_ body: ([Int]) -> Void) {
    var index: [Int] = []
    func walk(_ d: Int) {
      if d == tensor.rank { body(index); return }
      for i in shown(tensor.shape[d]) {
        guard let i else { continue }
        index.append(i)
        walk(d + 1)
        index.removeLast()
      }
    }
    if tensor.count > 0 { walk(0) }
  }

  /// The storage offset of a multi-index.
  func location(_ index: [Int]) -> Int {
    var o = tensor.offset
    for (i, s) in zip(index, tensor.strides) { o += i * s }
    return o
  }

  /// Formats one element, given its multi-index.
  struct ElementFormatter {
    let format: ([Int]) -> String
    /// The element width plus the separator, as PyTorch counts it for line wrapping.
    let length: Int
  }

  func makeFormatter() -> ElementFormatter {
    let storage = tensor.storage
    switch tensor.dtype {
    case .bool:
      let p = storage.pointer(as: Bool.self)
      var width = 1
      forEachShown { width = Swift.max(width, p[location($0)] ? 4 : 5) }
      return ElementFormatter(format: { Self.pad(p[location($0)] ? "true" : "false", width) }, length: width + 2)
    case .int64:
      let p = storage.pointer(as: Int64.self)
      var width = 1
      forEachShown { width = Swift.max(width, String(p[location($0)]).count) }
      return ElementFormatter(format: { Self.pad(String(p[location($0)]), width) }, length: width + 2)
    case .float32, .float64:
      var values: [Double] = []
      forEachShown { values.append(tensor.element(at: $0).0) }
      let f = RealFormatter(values)
      return ElementFormatter(format: { f.format(tensor.element(at: $0).0) }, length: f.width + 2)
    case .complex64, .complex128:
      // The raw parts: swift-numerics reports both parts of any non-finite value as NaN.
      let parts: ([Int]) -> (Double, Double)
      if tensor.dtype == .complex64 {
        let p = storage.pointer(as: Complex<Float>.self)
        parts = { let (a, b) = p[location($0)].rawStorage; return (Double(a), Double(b)) }
      } else {
        let p = storage.pointer(as: Complex<Double>.self)
        parts = { p[location($0)].rawStorage }
      }
      var re: [Double] = [], im: [Double] = []
      forEachShown {
        let (a, b) = parts($0)
        re.append(a)
        im.append(b)
      }
      let fr = RealFormatter(re), fi = RealFormatter(im)
      return ElementFormatter(
        format: {
          let (a, b) = parts($0)
          return Self.complexString(fr.format(a), fi.format(b))
        }, length: fr.width + 2 + fi.width + 1)
    }
  }

  /// Joins real and imaginary strings as PyTorch does: `1.0000+2.0000j`, `1.-2.j`.
  static func complexString(_ real: String, _ imaginary: String) -> String {
    let imag = String((imaginary + "j").drop { $0 == " " })
    if imag.first == "-" || imag.first == "+" { return real + imag }
    return real + "+" + imag
  }

  static func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
  }

  func render() -> String {
    var suffix: [String] = []
    if tensor.count == 0 && tensor.rank != 1 { suffix.append("shape: \(tensor.shape)") }
    if tensor.dtype != .float64 { suffix.append("dtype: \(tensor.dtype)") }
    suffix += autodiffNotes
    let body: String
    if tensor.count == 0 {
      body = "[]"
    } else {
      let f = makeFormatter()
      body = rendered(dim: 0, index: [], indent: Self.header.count, formatter: f)
    }
    return Self.header + body + suffix.map { ", " + $0 }.joined() + ")"
  }

  func rendered(dim: Int, index: [Int], indent: Int, formatter f: ElementFormatter) -> String {
    let rank = tensor.rank
    if rank == 0 { return f.format([]) }
    if dim == rank - 1 {
      let perLine = Swift.max(1, (Self.lineWidth - indent) / f.length)
      let items = shown(tensor.shape[dim]).map { i in i.map { f.format(index + [$0]) } ?? " ..." }
      var lines: [String] = []
      var start = 0
      while start < items.count {
        lines.append(items[start..<Swift.min(start + perLine, items.count)].joined(separator: ", "))
        start += perLine
      }
      return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
    }
    let slices = shown(tensor.shape[dim]).map { i in
      i.map { rendered(dim: dim + 1, index: index + [$0], indent: indent + 1, formatter: f) } ?? "..."
    }
    let separator = "," + String(repeating: "\n", count: rank - dim - 1) + String(repeating: " ", count: indent + 1)
    return "[" + slices.joined(separator: separator) + "]"
  }
}

/// PyTorch's `_Formatter` for real floating values: integer mode (`1.`), fixed (`1.0000`) or
/// scientific (`1.0000e+00`), with one width for all elements.
struct RealFormatter {
  static let precision = 4
  var intMode = true
  var sciMode = false
  var width = 1

  init(_ values: [Double]) {
    let finite = values.filter { $0.isFinite && $0 != 0 }
    guard !finite.isEmpty else { return }
    let magnitudes = finite.map { Swift.abs($0) }
    let lo = magnitudes.min()!, hi = magnitudes.max()!
    intMode = finite.allSatisfy { $0 == $0.rounded(.up) }
    if intMode {
      if hi / lo > 1000 || hi > 1e8 {
        sciMode = true
        for v in finite { width = Swift.max(width, Self.c(v, "%.\(Self.precision)e").count) }
      } else {
        for v in finite { width = Swift.max(width, Self.c(v, "%.0f").count + 1) }
      }
    } else if hi / lo > 1000 || hi > 1e8 || lo < 1e-4 {
      sciMode = true
      for v in finite { width = Swift.max(width, Self.c(v, "%.\(Self.precision)e").count) }
    } else {
      for v in finite { width = Swift.max(width, Self.c(v, "%.\(Self.precision)f").count) }
    }
  }

  func format(_ v: Double) -> String {
    let s: String
    if v.isNaN {
      s = "nan"
    } else if v.isInfinite {
      s = v < 0 ? "-inf" : "inf"
    } else if sciMode {
      s = Self.c(v, "%.\(Self.precision)e")
    } else if intMode {
      s = Self.c(v, "%.0f") + "."
    } else {
      s = Self.c(v, "%.\(Self.precision)f")
    }
    return TensorPrinter.pad(s, width)
  }

  /// C's correctly rounded `printf` formatting of one double (the same digits as Python's).
  static func c(_ v: Double, _ format: String) -> String {
    var buffer = [CChar](repeating: 0, count: 48)
    while true {
      let size = buffer.count
      let n = withVaList([v]) { args in
        buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, size, format, args) }
      }
      if Int(n) < size {
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
      }
      buffer = [CChar](repeating: 0, count: Int(n) + 1)
    }
  }
}
