import ComplexModule
import Dispatch
import RealModule

/// Splits large loops across the machine's cores.
enum Parallel {
  /// Below this many elements of work a loop runs on the calling thread.
  static let grain = 1 << 15

  /// The number of worker chunks used for large loops.
  static let workers = Swift.max(1, min(8, sysconfNprocs()))

  /// Runs `body` over `0..<count` in contiguous chunks, in parallel when `count * cost`
  /// exceeds the grain. `cost` is the work per index in elements.
  static func forChunks(_ count: Int, cost: Int = 1, _ body: (Range<Int>) -> Void) {
    let total = count &* Swift.max(cost, 1)
    if workers == 1 || total < grain || count < 2 {
      body(0..<count)
      return
    }
    // Several chunks per worker (dispatch hands them out dynamically), so that a core busy with
    // another process delays only its share of the work.
    let chunks = Swift.min(count, workers * 4, Swift.max(2, total / (grain / 2)))
    withoutActuallyEscaping(body) { body in
      let box = UncheckedBox(body)
      DispatchQueue.concurrentPerform(iterations: chunks) { c in
        let lo = count * c / chunks
        let hi = count * (c + 1) / chunks
        box.value(lo..<hi)
      }
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

func sysconfNprocs() -> Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

/// Carries a value into `concurrentPerform`'s workers. The kernels hand each worker a disjoint
/// range of the output, so sharing the closure is safe.
struct UncheckedBox<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
