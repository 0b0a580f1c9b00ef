/// One operand of a ``TileKernel``: the address of its first element in the tile and its step
/// in elements (1 for contiguous values, 0 for a value broadcast along the tile).
struct TileOperand {
  var base: UnsafeRawPointer
  var stride: Int
}

/// An elementwise kernel that runs over one tile: `count` elements of each operand, written
/// contiguously to the output.
///
/// Built from the same element kernel the driver ran (``ElementwiseKernels/map(_:to:_:)`` or
/// ``ElementwiseKernels/zip(_:_:shape:to:_:)``), so each element gets the same bits: the
/// function of an element does not depend on where the element sits in a loop (the dispatched
/// C loops of ``VectorMath`` give the bits of their scalar functions in every lane).
struct TileKernel {
  /// The element function's name, for profiles and messages.
  let name: String
  /// The number of operands (1 or 2).
  let arity: Int
  /// Runs the kernel: operands, output, count.
  let run: (UnsafePointer<TileOperand>, UnsafeMutableRawPointer, Int) -> Void

  /// A tile kernel of a unary element kernel: the driver's contiguous loop over contiguous
  /// operands, its strided loop otherwise.
  static func unary<K: UnaryElementKernel>(_ kernel: K, name: String) -> TileKernel {
    TileKernel(name: name, arity: 1) { ops, out, n in
      let x = ops[0].base.assumingMemoryBound(to: K.Input.self), s = ops[0].stride
      let y = out.assumingMemoryBound(to: K.Output.self)
      if s == 1 {
        ElementwiseKernels.mapFlat(kernel, x, y, 0..<n)
      } else {
        for i in 0..<n {
          let v = x[i &* s]
          y[i] = kernel.needsFixup(v) ? kernel.fixup(v) : kernel(v)
        }
      }
    }
  }

  /// A tile kernel of a binary element kernel.
  static func binary<K: BinaryElementKernel>(_ kernel: K, name: String) -> TileKernel {
    TileKernel(name: name, arity: 2) { ops, out, n in
      let a = ops[0].base.assumingMemoryBound(to: K.Input.self), sa = ops[0].stride
      let b = ops[1].base.assumingMemoryBound(to: K.Input.self), sb = ops[1].stride
      let z = out.assumingMemoryBound(to: K.Output.self)
      if sa == 1 && sb == 1 {
        for i in 0..<n { z[i] = kernel(a[i], b[i]) }
      } else if sa == 0 && sb == 1 {
        let c = a[0]
        for i in 0..<n { z[i] = kernel(c, b[i]) }
      } else if sa == 1 && sb == 0 {
        let c = b[0]
        for i in 0..<n { z[i] = kernel(a[i], c) }
      } else {
        for i in 0..<n { z[i] = kernel(a[i &* sa], b[i &* sb]) }
      }
    }
  }
}

/// The elementwise kernels one recorded step ran (see ``ReplayRecorder``), in order, the
/// values it made by moving another's elements (``ReplayWindow``), and the constants it created: what ``ElementwiseProgram`` reads to see the step as a graph of
/// element functions that a replay can fuse with its neighbours'.
///
/// Only stateless element kernels are recorded (``UnaryElementKernel/isStateless``): a kernel
/// that is a closure may capture anything. Any other computation the step performs leaves a
/// value with no recorded producer, and then the step has no program (it replays whole).
final class KernelTrace {
  /// What a call computed: an element function, or its one operand read through a window.
  enum Function {
    case kernel(TileKernel)
    case window(ReplayWindow)
  }

  /// One call: its function, operands and output.
  struct Call {
    let function: Function
    let inputs: [Tensor]
    let output: Tensor
  }
  private(set) var calls: [Call] = []
  /// Storage serials of tensors made by creation functions during the step.
  var constants: Set<Int> = []
  /// Whether a kernel that cannot be replayed by tiles (a closure) ran.
  var sawOpaqueKernel = false

  func append(_ kernel: TileKernel, inputs: [Tensor], output: Tensor) {
    calls.append(Call(function: .kernel(kernel), inputs: inputs, output: output))
  }

  func append(_ window: ReplayWindow, input: Tensor, output: Tensor) {
    calls.append(Call(function: .window(window), inputs: [input], output: output))
  }
}

extension ReplayRecorder {
  /// Notes that `map` ran `kernel` on `x`, giving `y`, when a step is being recorded.
  @inline(__always)
  static func noteMap<K: UnaryElementKernel>(_ kernel: K, _ x: Tensor, _ y: Tensor) {
    guard ReplayRecorder.activeCount.load(ordering: .relaxed) != 0 else { return }
    traceMap(kernel, x, y)
  }

  @inline(never)
  static func traceMap<K: UnaryElementKernel>(_ kernel: K, _ x: Tensor, _ y: Tensor) {
    guard let trace = current?.kernels else { return }
    guard K.isStateless, x.autodiff == nil, y.autodiff == nil else { return trace.sawOpaqueKernel = true }
    trace.append(.unary(kernel, name: "\(K.self)"), inputs: [x], output: y)
  }

  /// Notes that `zip` ran `kernel` on `a` and `b`, giving `y`, when a step is being recorded.
  @inline(__always)
  static func noteZip<K: BinaryElementKernel>(_ kernel: K, _ a: Tensor, _ b: Tensor, _ y: Tensor) {
    guard ReplayRecorder.activeCount.load(ordering: .relaxed) != 0 else { return }
    traceZip(kernel, a, b, y)
  }

  @inline(never)
  static func traceZip<K: BinaryElementKernel>(_ kernel: K, _ a: Tensor, _ b: Tensor, _ y: Tensor) {
    guard let trace = current?.kernels else { return }
    guard K.isStateless, a.autodiff == nil, b.autodiff == nil, y.autodiff == nil else { return trace.sawOpaqueKernel = true }
    trace.append(.binary(kernel, name: "\(K.self)"), inputs: [a, b], output: y)
  }
}

extension ReplayRecorder {
  /// Notes that ``ElementwiseKernels/productTangent(a:b:da:db:)`` computed `y = da·b + a·db` at
  /// precision `T`, when a step is being recorded: as the three kernels its loop runs per
  /// element (two products, then their sum), with stand-ins for the two products.
  @inline(__always)
  static func noteProductTangent<T: RealScalar>(_: T.Type, a: Tensor, b: Tensor, da: Tensor, db: Tensor, y: Tensor) {
    guard ReplayRecorder.activeCount.load(ordering: .relaxed) != 0 else { return }
    traceProductTangent(T.self, a: a, b: b, da: da, db: db, y: y)
  }

  @inline(never)
  static func traceProductTangent<T: RealScalar>(_: T.Type, a: Tensor, b: Tensor, da: Tensor, db: Tensor, y: Tensor) {
    guard let trace = current?.kernels else { return }
    // Stand-ins with the products' geometry; their storage is never read.
    let p = Tensor(storage: Storage(byteCount: 16), shape: y.shape, strides: y.strides, offset: 0, dtype: y.dtype)
    let q = Tensor(storage: Storage(byteCount: 16), shape: y.shape, strides: y.strides, offset: 0, dtype: y.dtype)
    let multiply = TileKernel.binary(RealBinaryKernel<MultiplyFunction, T>(), name: "mul")
    trace.append(multiply, inputs: [da, b], output: p)
    trace.append(multiply, inputs: [a, db], output: q)
    trace.append(.binary(RealBinaryKernel<AddFunction, T>(), name: "add"), inputs: [p, q], output: y)
  }
}

extension ReplayRecorder {
  /// Notes that an op wrote `y` as `x` read through `window` (a zero pad, a slice's gradient, a
  /// roll), when a step is being recorded; `window` is made only then, and a `nil` window
  /// leaves `y` without a producer (the step then replays whole).
  @inline(__always)
  static func noteWindow(_ window: @autoclosure () -> ReplayWindow?, _ x: Tensor, _ y: Tensor) {
    guard ReplayRecorder.activeCount.load(ordering: .relaxed) != 0 else { return }
    traceWindow(window(), x, y)
  }

  @inline(never)
  static func traceWindow(_ window: ReplayWindow?, _ x: Tensor, _ y: Tensor) {
    guard let trace = current?.kernels, let window, x.autodiff == nil, y.autodiff == nil,
      x.shape == window.sourceShape, y.shape == window.shape, x.dtype == window.dtype, y.dtype == window.dtype
    else { return }
    trace.append(window, input: x, output: y)
  }
}
