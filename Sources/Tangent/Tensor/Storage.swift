import ComplexModule
import RealModule
import Synchronization

/// Hands out storage serial numbers, which are never reused (unlike addresses).
private let storageSerials = Atomic<Int>(0)

/// A reference-counted, 64-byte-aligned buffer of raw bytes shared by a tensor and its views,
/// from the ``BufferPool``.
///
/// Storage is never mutated through a shared reference: ``Tensor`` copies it first unless it
/// is uniquely referenced (copy-on-write).
final class Storage: @unchecked Sendable {
  /// The start of the buffer.
  let base: UnsafeMutableRawPointer
  /// The buffer's size in bytes.
  let byteCount: Int
  /// The buffer's serial number: storage made later has a larger one. Replay plans identify
  /// values by it (see ``ReplayRecorder``).
  let serial: Int

  /// The serial number the next storage will get.
  static var nextSerial: Int { storageSerials.load(ordering: .relaxed) }

  /// Allocates an uninitialised buffer of `byteCount` bytes.
  init(byteCount: Int) {
    self.byteCount = byteCount
    serial = storageSerials.wrappingAdd(1, ordering: .relaxed).oldValue
    self.base = BufferPool.allocate(byteCount: byteCount)
  }

  /// Allocates a zero-filled buffer of `byteCount` bytes.
  convenience init(zeroedByteCount byteCount: Int) {
    self.init(byteCount: byteCount)
    base.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
  }

  deinit { BufferPool.release(base, byteCount: byteCount) }

  /// The buffer typed as `T`.
  @inline(__always) func pointer<T>(as _: T.Type) -> UnsafeMutablePointer<T> {
    base.assumingMemoryBound(to: T.self)
  }
}
