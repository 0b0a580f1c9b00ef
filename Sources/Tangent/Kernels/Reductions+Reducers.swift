import ComplexModule
import RealModule

/// How a reduction folds elements: an identity, a binary combine, and loops over rows.
///
/// The drivers take reducers as generic parameters, so the loops inline and vectorise. The
/// default loops use ``combine(_:_:)``; the real reducers override ``reduceContiguous(_:_:)``
/// with explicit SIMD accumulators (and pairwise summation for sums).
protocol Reducer {
  associatedtype Element: TensorScalar
  /// The value an empty reduction gives.
  var identity: Element { get }
  /// Folds `b` into the accumulator `a`.
  func combine(_ a: Element, _ b: Element) -> Element
  /// Reduces `n` contiguous elements.
  func reduceContiguous(_ p: UnsafePointer<Element>, _ n: Int) -> Element
}

extension Reducer {
  @inline(__always) func reduceContiguous(_ p: UnsafePointer<Element>, _ n: Int) -> Element {
    var acc = identity
    for i in 0..<n { acc = combine(acc, p[i]) }
    return acc
  }

  /// Reduces `n` elements `s` apart.
  @inline(__always) func reduceStrided(_ p: UnsafePointer<Element>, _ n: Int, _ s: Int) -> Element {
    if s == 1 { return reduceContiguous(p, n) }
    var acc = identity
    for i in 0..<n { acc = combine(acc, p[i &* s]) }
    return acc
  }
}

/// Loads 8 consecutive scalars.
@inline(__always) func load8<T: RealScalar>(_ p: UnsafePointer<T>) -> SIMD8<T> {
  UnsafeRawPointer(p).loadUnaligned(as: SIMD8<T>.self)
}

/// Sums `n` contiguous reals into 8 lane partials (element i lands in lane i mod 8, so the
/// lanes of interleaved complex numbers keep their parity): blocks of 16 with two vector
/// accumulators, combined pairwise above a block size, like NumPy's pairwise sum.
func pairwiseSumLanes<T: RealScalar>(_ p: UnsafePointer<T>, _ n: Int) -> SIMD8<T> {
  if n > 512 {
    let half = (n / 2) & ~15
    return pairwiseSumLanes(p, half) + pairwiseSumLanes(p + half, n - half)
  }
  var a0 = SIMD8<T>(), a1 = SIMD8<T>()
  var i = 0
  while i + 16 <= n {
    a0 += load8(p + i)
    a1 += load8(p + i + 8)
    i += 16
  }
  a0 += a1
  while i < n {
    a0[i & 7] += p[i]
    i += 1
  }
  return a0
}

/// Sum of reals: pairwise, vectorised.
struct SumReducer<T: RealScalar>: Reducer {
  var identity: T { 0 }
  @inline(__always) func combine(_ a: T, _ b: T) -> T { a + b }
  @inline(__always) func reduceContiguous(_ p: UnsafePointer<T>, _ n: Int) -> T { pairwiseSumLanes(p, n).sum() }
}

/// Sum of complex numbers: pairwise over the interleaved reals.
struct ComplexSumReducer<T: RealScalar>: Reducer {
  var identity: Complex<T> { .zero }
  @inline(__always) func combine(_ a: Complex<T>, _ b: Complex<T>) -> Complex<T> { a + b }
  @inline(__always) func reduceContiguous(_ p: UnsafePointer<Complex<T>>, _ n: Int) -> Complex<T> {
    let lanes = UnsafeRawPointer(p).withMemoryRebound(to: T.self, capacity: 2 * n) { pairwiseSumLanes($0, 2 * n) }
    return Complex((lanes[0] + lanes[2]) + (lanes[4] + lanes[6]), (lanes[1] + lanes[3]) + (lanes[5] + lanes[7]))
  }
}

/// Wrapping sum of integers.
struct IntegerSumReducer: Reducer {
  var identity: Int64 { 0 }
  @inline(__always) func combine(_ a: Int64, _ b: Int64) -> Int64 { a &+ b }
}

/// Product of reals, with vector accumulators.
struct ProdReducer<T: RealScalar>: Reducer {
  var identity: T { 1 }
  @inline(__always) func combine(_ a: T, _ b: T) -> T { a * b }
  @inline(__always) func reduceContiguous(_ p: UnsafePointer<T>, _ n: Int) -> T {
    var a0 = SIMD8<T>(repeating: 1), a1 = SIMD8<T>(repeating: 1)
    var i = 0
    while i + 16 <= n {
      a0 *= load8(p + i)
      a1 *= load8(p + i + 8)
      i += 16
    }
    a0 *= a1
    var acc: T = 1
    for j in 0..<8 { acc *= a0[j] }
    while i < n {
      acc *= p[i]
      i += 1
    }
    return acc
  }
}

/// Product of complex numbers.
struct ComplexProdReducer<T: RealScalar>: Reducer {
  var identity: Complex<T> { Complex(1, 0) }
  @inline(__always) func combine(_ a: Complex<T>, _ b: Complex<T>) -> Complex<T> { a * b }
}

/// Wrapping product of integers.
struct IntegerProdReducer: Reducer {
  var identity: Int64 { 1 }
  @inline(__always) func combine(_ a: Int64, _ b: Int64) -> Int64 { a &* b }
}

/// The largest (`isMax`) or smallest real, propagating NaN like PyTorch's `amax`/`amin`.
struct ExtremumReducer<T: RealScalar>: Reducer {
  let isMax: Bool
  var identity: T { isMax ? -.infinity : .infinity }
  @inline(__always) func combine(_ a: T, _ b: T) -> T {
    // b replaces a when it is further out, or NaN (a NaN accumulator stays).
    (isMax ? b > a : b < a) || (b != b) ? b : a
  }
  @inline(__always) func reduceContiguous(_ p: UnsafePointer<T>, _ n: Int) -> T {
    var m0 = SIMD8<T>(repeating: identity), m1 = m0
    var nan = SIMDMask<SIMD8<T>.MaskStorage>(repeating: false)
    var i = 0
    while i + 16 <= n {
      let v0 = load8(p + i), v1 = load8(p + i + 8)
      if isMax {
        m0.replace(with: v0, where: v0 .> m0)
        m1.replace(with: v1, where: v1 .> m1)
      } else {
        m0.replace(with: v0, where: v0 .< m0)
        m1.replace(with: v1, where: v1 .< m1)
      }
      nan = nan .| (v0 .!= v0) .| (v1 .!= v1)
      i += 16
    }
    if any(nan) { return .nan }
    var acc = identity
    for j in 0..<8 { acc = combine(combine(acc, m0[j]), m1[j]) }
    while i < n {
      acc = combine(acc, p[i])
      i += 1
    }
    return acc
  }
}

/// The largest or smallest integer.
struct IntegerExtremumReducer: Reducer {
  let isMax: Bool
  var identity: Int64 { isMax ? .min : .max }
  @inline(__always) func combine(_ a: Int64, _ b: Int64) -> Int64 { (isMax ? b > a : b < a) ? b : a }
}

/// `any` (max) or `all` (min) of booleans.
struct BoolExtremumReducer: Reducer {
  let isMax: Bool
  var identity: Bool { !isMax }
  @inline(__always) func combine(_ a: Bool, _ b: Bool) -> Bool { isMax ? (a || b) : (a && b) }
}
