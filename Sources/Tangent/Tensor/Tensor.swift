import ComplexModule
import RealModule

/// An n-dimensional array of numbers that takes part in automatic differentiation.
///
/// `Tensor` is a value type with copy-on-write storage. It records a dtype, a shape, strides
/// (in elements) and an offset into its storage, so views such as ``transposed(_:_:)``,
/// ``narrowed(dim:start:length:)`` or ``expanded(to:)`` copy nothing.
///
/// A tensor that takes no part in differentiation carries no autodiff state: one optional
/// reference that is `nil`, which keeps the plain path as fast as a bare array library.
///
/// ```swift
/// let x: Tensor = [[1.0, 2.0], [3.0, 4.0]]
/// let y = (x.exp() * 2).sum()
/// ```
public struct Tensor: @unchecked Sendable {
  /// The shared buffer.
  var storage: Storage
  /// The size of each dimension.
  public internal(set) var shape: [Int]
  /// The distance, in elements, between neighbours along each dimension.
  public internal(set) var strides: [Int]
  /// The element offset of the first element within the storage.
  var offset: Int
  /// The element type.
  public let dtype: DType
  /// Tangents and tape links; `nil` for a tensor that takes no part in differentiation.
  var autodiff: AutodiffState?

  /// Wraps storage with a shape, strides and offset. Internal: the public API builds tensors
  /// through creation functions and ops.
  init(storage: Storage, shape: [Int], strides: [Int], offset: Int, dtype: DType, autodiff: AutodiffState? = nil) {
    self.storage = storage
    self.shape = shape
    self.strides = strides
    self.offset = offset
    self.dtype = dtype
    self.autodiff = autodiff
  }

  /// A new contiguous tensor with uninitialised storage.
  init(uninitializedShape shape: [Int], dtype: DType, op: String = "Tensor") {
    let n = Shape.count(shape, op: op)
    self.init(
      storage: Storage(byteCount: Shape.byteCount(n, dtype, shape: shape, op: op)), shape: shape,
      strides: Shape.contiguousStrides(shape), offset: 0, dtype: dtype)
  }

  /// The number of dimensions.
  public var rank: Int { shape.count }

  /// The number of elements (1 for a 0-d tensor, 0 for an empty one).
  public var count: Int { Shape.count(shape) }

  /// Whether the elements are laid out in row-major order with no gaps, so a flat loop visits them.
  public var isContiguous: Bool {
    var expected = 1
    var i = shape.count - 1
    while i >= 0 {
      let d = shape[i]
      if d != 1 {
        if strides[i] != expected { return false }
        expected &*= d
      }
      i -= 1
    }
    return true
  }

  /// The typed address of the first element. The caller guarantees that `T` matches `dtype`.
  @inline(__always) func pointer<T>(as _: T.Type) -> UnsafeMutablePointer<T> {
    storage.pointer(as: T.self) + offset
  }

  /// This tensor's values without any autodiff state: the same storage, no tangents, no tape link.
  /// Inside ``vmap(of:inDim:outDim:chunkSize:randomness:)`` the result stays batched, as
  /// PyTorch's `detach` does under `torch.func.vmap`.
  ///
  /// Derivative: none; the result is a constant (like PyTorch's `detach`).
  public var detached: Tensor {
    var t = Tensor(storage: storage, shape: shape, strides: strides, offset: offset, dtype: dtype)
    if let batch = autodiff?.batch { t.autodiff = AutodiffState(tangents: [], edge: nil, batch: batch) }
    return t
  }

  /// A view with the same storage and a new geometry; autodiff state is *not* carried.
  func view(shape: [Int], strides: [Int], offset: Int) -> Tensor {
    Tensor(storage: storage, shape: shape, strides: strides, offset: offset, dtype: dtype)
  }
}
