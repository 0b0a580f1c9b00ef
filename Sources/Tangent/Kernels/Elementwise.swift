import ComplexModule
import RealModule

// MARK: Element kernels

/// A scalar function of one element, as the elementwise drivers apply it.
///
/// The drivers take the kernel as a generic parameter, not a closure, so that after
/// specialisation the function inlines into the loop and the contiguous loop vectorises.
protocol UnaryElementKernel {
  associatedtype Input: TensorScalar
  associatedtype Output: TensorScalar
  /// The function.
  func callAsFunction(_ x: Input) -> Output
  /// Whether ``callAsFunction(_:)`` is inexact for `x`, which then goes through ``fixup(_:)``
  /// in a second pass over the (rare) flagged lanes. The default is `false`.
  func needsFixup(_ x: Input) -> Bool
  /// The slow, exact path for flagged inputs.
  func fixup(_ x: Input) -> Output
  /// Runs the whole contiguous loop over `count` elements with a dispatched C loop and
  /// returns `true`, or returns `false` (the default) to let the driver run its own loop.
  func contiguousLoop(_ x: UnsafePointer<Input>, _ y: UnsafeMutablePointer<Output>, count: Int) -> Bool
  /// Whether the kernel is a pure function of its element and its type alone (no closure, no
  /// captured reference), so that a replay plan may run it again by tiles (``KernelTrace``).
  /// The default is `false`.
  static var isStateless: Bool { get }
}

extension UnaryElementKernel {
  static var isStateless: Bool { false }
  @inline(__always) func needsFixup(_ x: Input) -> Bool { false }
  @inline(__always) func fixup(_ x: Input) -> Output { self(x) }
  @inline(__always) func contiguousLoop(_ x: UnsafePointer<Input>, _ y: UnsafeMutablePointer<Output>, count: Int) -> Bool {
    false
  }
}

/// A scalar function of two elements of one type, as the elementwise drivers apply it.
protocol BinaryElementKernel {
  associatedtype Input: TensorScalar
  associatedtype Output: TensorScalar
  /// The function.
  func callAsFunction(_ a: Input, _ b: Input) -> Output
  /// Whether the kernel is a pure function of its elements and its type alone (see
  /// ``UnaryElementKernel/isStateless``). The default is `false`.
  static var isStateless: Bool { get }
}

extension BinaryElementKernel {
  static var isStateless: Bool { false }
}

/// ``UnaryFunction/real(_:)`` of `F` at precision `T`, with its fixup pass.
struct RealUnaryKernel<F: UnaryFunction, T: RealScalar>: UnaryElementKernel {
  static var isStateless: Bool { true }
  @inline(__always) func callAsFunction(_ x: T) -> T { F.real(x) }
  @inline(__always) func needsFixup(_ x: T) -> Bool { F.realNeedsFixup(x) }
  @inline(__always) func fixup(_ x: T) -> T { F.realFixup(x) }
  @inline(__always) func contiguousLoop(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, count: Int) -> Bool {
    F.realLoop(x, y, count: count)
  }
}

/// ``UnaryFunction/complex(_:)`` of `F` at precision `T`.
struct ComplexUnaryKernel<F: UnaryFunction, T: RealScalar>: UnaryElementKernel {
  static var isStateless: Bool { true }
  @inline(__always) func callAsFunction(_ z: Complex<T>) -> Complex<T> { F.complex(z) }
}

/// ``UnaryFunction/integer(_:)`` of `F`.
struct IntegerUnaryKernel<F: UnaryFunction>: UnaryElementKernel {
  static var isStateless: Bool { true }
  @inline(__always) func callAsFunction(_ x: Int64) -> Int64 { F.integer(x)! }
}

/// ``BinaryFunction/real(_:_:)`` of `F` at precision `T`.
struct RealBinaryKernel<F: BinaryFunction, T: RealScalar>: BinaryElementKernel {
  static var isStateless: Bool { true }
  @inline(__always) func callAsFunction(_ a: T, _ b: T) -> T { F.real(a, b) }
}

/// ``BinaryFunction/complex(_:_:)`` of `F` at precision `T`.
struct ComplexBinaryKernel<F: BinaryFunction, T: RealScalar>: BinaryElementKernel {
  static var isStateless: Bool { true }
  @inline(__always) func callAsFunction(_ a: Complex<T>, _ b: Complex<T>) -> Complex<T> { F.complex(a, b) }
}

/// ``BinaryFunction/integer(_:_:)`` of `F`.
struct IntegerBinaryKernel<F: BinaryFunction>: BinaryElementKernel {
  static var isStateless: Bool { true }
  @inline(__always) func callAsFunction(_ a: Int64, _ b: Int64) -> Int64 { F.integer(a, b)! }
}

/// A ``ComparisonFunction`` on an ordered type.
struct CompareKernel<F: ComparisonFunction, T: TensorScalar & Comparable>: BinaryElementKernel {
  static var isStateless: Bool { true }
  @inline(__always) func callAsFunction(_ a: T, _ b: T) -> Bool { F.compare(a, b) }
}

/// A ``ComparisonFunction`` that only tells equal from unequal (`eq`, `ne`), for any type.
struct EqualityKernel<F: ComparisonFunction, T: TensorScalar & Equatable>: BinaryElementKernel {
  static var isStateless: Bool { true }
  @inline(__always) func callAsFunction(_ a: T, _ b: T) -> Bool { F.compare(0, a == b ? 0 : 1) }
}

/// Equality of complex numbers by their raw parts (swift-numerics' `==` treats every
/// non-finite value as equal to every other).
struct ComplexEqualityKernel<F: ComparisonFunction, R: RealScalar>: BinaryElementKernel {
  static var isStateless: Bool { true }
  @inline(__always) func callAsFunction(_ a: Complex<R>, _ b: Complex<R>) -> Bool {
    F.compare(0, a.rawStorage.x == b.rawStorage.x && a.rawStorage.y == b.rawStorage.y ? 0 : 1)
  }
}

/// A comparison on booleans, as 0 and 1.
struct BoolCompareKernel<F: ComparisonFunction>: BinaryElementKernel {
  static var isStateless: Bool { true }
  @inline(__always) func callAsFunction(_ a: Bool, _ b: Bool) -> Bool { F.compare(a ? 1 : 0, b ? 1 : 0) }
}

/// A closure as a unary kernel (for ad-hoc uses; the call is not inlined unless the optimiser
/// sees through the closure).
struct ClosureUnaryKernel<Input: TensorScalar, Output: TensorScalar>: UnaryElementKernel {
  let f: (Input) -> Output
  @inline(__always) func callAsFunction(_ x: Input) -> Output { f(x) }
}

/// A closure as a binary kernel.
struct ClosureBinaryKernel<Input: TensorScalar, Output: TensorScalar>: BinaryElementKernel {
  let f: (Input, Input) -> Output
  @inline(__always) func callAsFunction(_ a: Input, _ b: Input) -> Output { f(a, b) }
}

// MARK: Drivers

/// The drivers that run elementwise functions over tensors of any layout.
///
/// Each driver is one generic loop, specialised per dtype and per function by the compiler.
/// Contiguous inputs run as flat loops (which the compiler vectorises when the function is
/// branch-free), broadcast scalars run as flat loops with a constant, and everything else runs
/// row by row through a `StridedRows` plan. Large loops are split across cores.
public enum ElementwiseKernels {
  /// Applies `kernel` to each element of `x`, producing a new contiguous tensor of `outDType`.
  @inline(__always)
  static func map<K: UnaryElementKernel>(_ x: Tensor, to outDType: DType, _ kernel: K) -> Tensor {
    let y = mapUntraced(x, to: outDType, kernel)
    ReplayRecorder.noteMap(kernel, x, y)
    return y
  }

  /// ``map(_:to:_:)`` without the note to a recording replay plan.
  @inline(__always)
  static func mapUntraced<K: UnaryElementKernel>(_ x: Tensor, to outDType: DType, _ kernel: K) -> Tensor {
    if x.autodiff?.batch != nil { return Batching.overBatch([x], shape: x.shape) { xs, _ in map(xs[0], to: outDType, kernel) } }
    let out = Tensor(uninitializedLike: x, dtype: outDType)
    let n = out.count
    if n == 0 { return out }
    let src = UnsafePointer(x.pointer(as: K.Input.self))
    let dst = out.pointer(as: K.Output.self)
    if x.isContiguous {
      if n < Parallel.grain {
        mapFlat(kernel, src, dst, 0..<n)
      } else {
        Parallel.forChunks(n) { r in mapFlat(kernel, src, dst, r) }
      }
      return out
    }
    let plan = StridedRows(shape: x.shape, x.strides, out.strides)
    let len = plan.length
    let (s0, s1, _) = plan.step
    Parallel.forChunks(plan.rowCount, cost: len) { rows in
      plan.forEachRow(in: rows) { o0, o1, _ in
        let a = src + o0
        let b = dst + o1
        for i in 0..<len {
          let v = a[i &* s0]
          b[i &* s1] = kernel.needsFixup(v) ? kernel.fixup(v) : kernel(v)
        }
      }
    }
    return out
  }

  /// The contiguous loop of ``map(_:to:_:)``: the kernel's dispatched C loop when it has one
  /// (``UnaryFunction/realLoop(_:_:count:)``), otherwise one vectorisable pass that also ORs
  /// together the fixup flags, then (only if a lane was flagged) a second pass over the
  /// flagged lanes.
  @inline(__always)
  static func mapFlat<K: UnaryElementKernel>(
    _ kernel: K, _ src: UnsafePointer<K.Input>, _ dst: UnsafeMutablePointer<K.Output>, _ r: Range<Int>
  ) {
    if kernel.contiguousLoop(src + r.lowerBound, dst + r.lowerBound, count: r.count) { return }
    // A count rather than a Bool: an OR of flags tends to be turned into a branch, which
    // stops the loop from vectorising; an integer sum reduction vectorises.
    var flagged = 0
    for i in r {
      let v = src[i]
      dst[i] = kernel(v)
      flagged &+= Int(unsafeBitCast(kernel.needsFixup(v), to: UInt8.self))
    }
    if flagged != 0 {
      for i in r where kernel.needsFixup(src[i]) { dst[i] = kernel.fixup(src[i]) }
    }
  }

  /// Applies `f` to each element of `x`, producing a new contiguous tensor of `outDType`.
  static func map<T: TensorScalar, U: TensorScalar>(
    _ x: Tensor, _: T.Type, to outDType: DType, _: U.Type, _ f: (T) -> U
  ) -> Tensor {
    withoutActuallyEscaping(f) { f in map(x, to: outDType, ClosureUnaryKernel(f: f)) }
  }

  /// Applies `kernel` to pairs of elements of `a` and `b` (already of type `K.Input`),
  /// broadcast to `shape`.
  @inline(__always)
  static func zip<K: BinaryElementKernel>(_ a: Tensor, _ b: Tensor, shape: [Int], to outDType: DType, _ kernel: K) -> Tensor {
    let y = zipUntraced(a, b, shape: shape, to: outDType, kernel)
    ReplayRecorder.noteZip(kernel, a, b, y)
    return y
  }

  /// ``zip(_:_:shape:to:_:)`` without the note to a recording replay plan.
  @inline(__always)
  static func zipUntraced<K: BinaryElementKernel>(_ a: Tensor, _ b: Tensor, shape: [Int], to outDType: DType, _ kernel: K) -> Tensor {
    if a.autodiff?.batch != nil || b.autodiff?.batch != nil {
      return Batching.overBatch([a, b], shape: shape) { zip($0[0], $0[1], shape: $1, to: outDType, kernel) }
    }
    let aFull = a.shape == shape && a.isContiguous
    let bFull = b.shape == shape && b.isContiguous
    let out = aFull ? Tensor(uninitializedLike: a, dtype: outDType)
      : bFull ? Tensor(uninitializedLike: b, dtype: outDType) : Tensor(uninitializedShape: shape, dtype: outDType)
    let n = out.count
    if n == 0 { return out }
    let pa = UnsafePointer(a.pointer(as: K.Input.self))
    let pb = UnsafePointer(b.pointer(as: K.Input.self))
    let dst = out.pointer(as: K.Output.self)
    if aFull && bFull {
      if n < Parallel.grain {
        for i in 0..<n { dst[i] = kernel(pa[i], pb[i]) }
      } else {
        Parallel.forChunks(n) { r in for i in r { dst[i] = kernel(pa[i], pb[i]) } }
      }
      return out
    }
    if aFull && b.count == 1 {
      let s = pb[0]
      if n < Parallel.grain {
        for i in 0..<n { dst[i] = kernel(pa[i], s) }
      } else {
        Parallel.forChunks(n) { r in for i in r { dst[i] = kernel(pa[i], s) } }
      }
      return out
    }
    if bFull && a.count == 1 {
      let s = pa[0]
      if n < Parallel.grain {
        for i in 0..<n { dst[i] = kernel(s, pb[i]) }
      } else {
        Parallel.forChunks(n) { r in for i in r { dst[i] = kernel(s, pb[i]) } }
      }
      return out
    }
    // One operand full, the other repeating along the leading dims (a chunked tangent [K, n]
    // against a primal [n]): contiguous runs, split across cores by element, not by row.
    if aFull || bFull, let period = (aFull ? b : a).leadingBroadcastPeriod(to: shape) {
      if aFull {
        forFlatChunks(n) { r in zipRepeating(kernel, full: pa, repeating: pb, period: period, dst, r, fullFirst: true) }
      } else {
        forFlatChunks(n) { r in zipRepeating(kernel, full: pb, repeating: pa, period: period, dst, r, fullFirst: false) }
      }
      return out
    }
    let plan = StridedRows(shape: shape, a.broadcastStrides(to: shape), b.broadcastStrides(to: shape), out.strides)
    let len = plan.length
    let (s0, s1, s2) = plan.step
    /// `count` elements of one row from element offsets `o0`, `o1`, `o2`.
    @inline(__always) func run(_ o0: Int, _ o1: Int, _ o2: Int, _ count: Int) {
      let x = pa + o0
      let y = pb + o1
      let z = dst + o2
      if s0 == 1 && s1 == 1 && s2 == 1 {
        for i in 0..<count { z[i] = kernel(x[i], y[i]) }
      } else if s0 == 0 && s1 == 1 && s2 == 1 {
        let c = x[0]
        for i in 0..<count { z[i] = kernel(c, y[i]) }
      } else if s0 == 1 && s1 == 0 && s2 == 1 {
        let c = y[0]
        for i in 0..<count { z[i] = kernel(x[i], c) }
      } else {
        for i in 0..<count { z[i &* s2] = kernel(x[i &* s0], y[i &* s1]) }
      }
    }
    // A few long rows (a sliced chunked tangent [K, n − 1] of a [K, n] one) split within rows
    // too, so the cores get even shares (3 rows on 2 cores would leave one idle a third of the time).
    let rows = plan.rowCount
    let pieces = StridedRows.piecesPerRow(rows: rows, length: len)
    if pieces > 1 {
      Parallel.forChunks(rows &* pieces, cost: len / pieces) { units in
        for u in units {
          let (row, p) = u.quotientAndRemainder(dividingBy: pieces)
          let lo = len &* p / pieces, hi = len &* (p &+ 1) / pieces
          plan.forEachRow(in: row..<(row &+ 1)) { o0, o1, o2 in run(o0 &+ lo &* s0, o1 &+ lo &* s1, o2 &+ lo &* s2, hi &- lo) }
        }
      }
      return out
    }
    Parallel.forChunks(rows, cost: len) { rows in
      plan.forEachRow(in: rows) { o0, o1, o2 in run(o0, o1, o2, len) }
    }
    return out
  }

  /// Runs `body` over `0..<n` on the calling thread below ``Parallel/grain`` elements, split
  /// across cores above it.
  @inline(__always)
  static func forFlatChunks(_ n: Int, _ body: (Range<Int>) -> Void) {
    if n < Parallel.grain { body(0..<n) } else { Parallel.forChunks(n, body) }
  }

  /// The elements `r` of a binary kernel's output where one operand (`full`) is contiguous of
  /// the output's shape and the other (`repeating`) is contiguous and repeats every `period`
  /// elements (it broadcasts only along leading dims): element `i` is
  /// `kernel(full[i], repeating[i mod period])`, operands in that order when `fullFirst`.
  /// The range runs as contiguous pieces that each stay within one period, so each piece is
  /// one vectorisable loop.
  @inline(__always)
  static func zipRepeating<K: BinaryElementKernel>(
    _ kernel: K, full: UnsafePointer<K.Input>, repeating: UnsafePointer<K.Input>, period: Int,
    _ dst: UnsafeMutablePointer<K.Output>, _ r: Range<Int>, fullFirst: Bool
  ) {
    forEachPeriodPiece(r, period: period) { i, j, len in
      let x = full + i, y = repeating + j, z = dst + i
      if fullFirst {
        for k in 0..<len { z[k] = kernel(x[k], y[k]) }
      } else {
        for k in 0..<len { z[k] = kernel(y[k], x[k]) }
      }
    }
  }

  /// Splits `r` (flat output positions) into pieces that stay within one period of an operand
  /// repeating every `period` elements: `body(i, j, length)` for the piece at output position
  /// `i`, which starts at position `j` of the repeating operand.
  @inline(__always)
  static func forEachPeriodPiece(_ r: Range<Int>, period: Int, _ body: (Int, Int, Int) -> Void) {
    var i = r.lowerBound
    var j = i % period
    while i < r.upperBound {
      let len = Swift.min(period &- j, r.upperBound &- i)
      body(i, j, len)
      i &+= len
      j = 0
    }
  }

  /// Applies `f` to pairs of elements of `a` and `b` (already of type `T`, broadcast to `shape`).
  static func zip<T: TensorScalar, U: TensorScalar>(
    _ a: Tensor, _ b: Tensor, shape: [Int], _: T.Type, to outDType: DType, _: U.Type, _ f: (T, T) -> U
  ) -> Tensor {
    withoutActuallyEscaping(f) { f in zip(a, b, shape: shape, to: outDType, ClosureBinaryKernel(f: f)) }
  }

  /// Applies a ``UnaryFunction`` to a tensor of any dtype (integers are promoted unless the
  /// function keeps them).
  public static func apply<F: UnaryFunction>(_: F.Type, _ x: Tensor) -> Tensor {
    switch x.dtype {
    case .float32: return map(x, to: .float32, RealUnaryKernel<F, Float>())
    case .float64: return map(x, to: .float64, RealUnaryKernel<F, Double>())
    case .complex64:
      check(F.supportsComplex, "\(F.name): complex inputs (complex64) are not supported")
      return map(x, to: .complex64, ComplexUnaryKernel<F, Float>())
    case .complex128:
      check(F.supportsComplex, "\(F.name): complex inputs (complex128) are not supported")
      return map(x, to: .complex128, ComplexUnaryKernel<F, Double>())
    case .int64, .bool:
      if F.integer(0) != nil {
        let xi = x.dtype == .int64 ? x : x.contiguousValues(dtype: .int64)
        return map(xi, to: .int64, IntegerUnaryKernel<F>())
      }
      return apply(F.self, x.contiguousValues(dtype: .defaultFloating))
    }
  }

  /// The dtype a binary function computes in for these inputs.
  public static func resultDType<F: BinaryFunction>(_: F.Type, _ a: DType, _ b: DType) -> DType {
    let t = DType.promoted(a, b)
    if !t.isFloatingPoint && !(F.keepsIntegers && F.integer(1, 1) != nil) { return .defaultFloating }
    return t == .bool && F.keepsIntegers ? .int64 : t
  }

  /// Applies a ``BinaryFunction`` with broadcasting and type promotion.
  public static func apply<F: BinaryFunction>(_: F.Type, _ a: Tensor, _ b: Tensor) -> Tensor {
    let shape = a.shape == b.shape ? a.shape : Shape.broadcast(a.shape, b.shape, op: F.name)
    let t = resultDType(F.self, a.dtype, b.dtype)
    let a = a.dtype == t ? a : a.contiguousValues(dtype: t)
    let b = b.dtype == t ? b : b.contiguousValues(dtype: t)
    switch t {
    case .float32: return zip(a, b, shape: shape, to: t, RealBinaryKernel<F, Float>())
    case .float64: return zip(a, b, shape: shape, to: t, RealBinaryKernel<F, Double>())
    case .complex64:
      check(F.supportsComplex, "\(F.name): complex inputs (complex64) are not supported")
      return zip(a, b, shape: shape, to: t, ComplexBinaryKernel<F, Float>())
    case .complex128:
      check(F.supportsComplex, "\(F.name): complex inputs (complex128) are not supported")
      return zip(a, b, shape: shape, to: t, ComplexBinaryKernel<F, Double>())
    case .int64, .bool:
      return zip(a, b, shape: shape, to: .int64, IntegerBinaryKernel<F>())
    }
  }

  /// Applies a ``ComparisonFunction`` with broadcasting and type promotion, giving `bool`.
  public static func compare<F: ComparisonFunction>(_: F.Type, _ a: Tensor, _ b: Tensor) -> Tensor {
    let shape = a.shape == b.shape ? a.shape : Shape.broadcast(a.shape, b.shape, op: F.name)
    let t = DType.promoted(a.dtype, b.dtype)
    let a = a.dtype == t ? a : a.contiguousValues(dtype: t)
    let b = b.dtype == t ? b : b.contiguousValues(dtype: t)
    switch t {
    case .bool: return zip(a, b, shape: shape, to: .bool, BoolCompareKernel<F>())
    case .int64: return zip(a, b, shape: shape, to: .bool, CompareKernel<F, Int64>())
    case .float32: return zip(a, b, shape: shape, to: .bool, CompareKernel<F, Float>())
    case .float64: return zip(a, b, shape: shape, to: .bool, CompareKernel<F, Double>())
    case .complex64:
      check(F.allowsComplex, "\(F.name): complex numbers have no ordering")
      return zip(a, b, shape: shape, to: .bool, ComplexEqualityKernel<F, Float>())
    case .complex128:
      check(F.allowsComplex, "\(F.name): complex numbers have no ordering")
      return zip(a, b, shape: shape, to: .bool, ComplexEqualityKernel<F, Double>())
    }
  }
}

extension Tensor {
  /// Strides that read this tensor as if it had been expanded to `shape` (0 along broadcast dims).
  func broadcastStrides(to shape: [Int]) -> [Int] {
    let lead = shape.count - self.shape.count
    var out = [Int](repeating: 0, count: shape.count)
    for i in 0..<self.shape.count where self.shape[i] != 1 {
      out[lead + i] = strides[i]
    }
    return out
  }

  /// The number of elements after which this tensor's values repeat when it is broadcast to
  /// `shape`, when it is contiguous and broadcasting only prepends dims (or expands leading
  /// size-1 dims), as a primal `[n]` does against a chunked tangent `[K, n]`; `nil` otherwise.
  func leadingBroadcastPeriod(to shape: [Int]) -> Int? {
    guard isContiguous else { return nil }
    var start = 0
    while start < rank && self.shape[start] == 1 { start += 1 }
    let kept = rank - start
    guard kept > 0 && kept <= shape.count else { return nil }
    let lead = shape.count - kept
    for i in 0..<kept where self.shape[start + i] != shape[lead + i] { return nil }
    return count
  }

  /// A new contiguous tensor of `other`'s shape with uninitialised storage; shares `other`'s
  /// shape and (when they are the row-major ones) strides arrays instead of allocating.
  init(uninitializedLike other: Tensor, dtype: DType) {
    let n = other.count
    let strides = other.hasRowMajorStrides ? other.strides : Shape.contiguousStrides(other.shape)
    self.init(storage: Storage(byteCount: n * dtype.byteCount), shape: other.shape, strides: strides, offset: 0, dtype: dtype)
  }

  /// Whether `strides` are exactly the row-major strides of `shape` (as built by
  /// ``Shape/contiguousStrides(_:)``), which is stricter than ``isContiguous``.
  var hasRowMajorStrides: Bool {
    var s = 1
    var i = shape.count - 1
    while i >= 0 {
      if strides[i] != s { return false }
      s &*= Swift.max(shape[i], 1)
      i -= 1
    }
    return true
  }
}
