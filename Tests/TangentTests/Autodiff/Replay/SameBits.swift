@testable import Tangent

/// Whether `a` and `b` have the same shape, dtype and bits: what a replay must give.
func sameBits(_ a: Tensor, _ b: Tensor) -> Bool {
  guard a.shape == b.shape, a.dtype == b.dtype else { return false }
  let ca = a.contiguousValues(), cb = b.contiguousValues()
  let n = a.count * a.dtype.byteCount
  return UnsafeRawBufferPointer(start: ca.pointer(as: UInt8.self), count: n)
    .elementsEqual(UnsafeRawBufferPointer(start: cb.pointer(as: UInt8.self), count: n))
}
