import Testing
@testable import Tangent

@Suite(.serialized) struct BufferPoolTests {
  /// The number of cached buffers of one size class.
  func cachedCount(bytes: Int) -> Int {
    BufferPool.cache.withLock { $0.free[BufferPool.sizeClass(bytes)!]?.count ?? 0 }
  }

  @Test func freedBuffersAreReusedForTheSameSize() {
    // Other suites run in parallel and may fill the cache up to its capacity, which would
    // make the pool drop this buffer instead of keeping it: room to spare for the test.
    let old = BufferPool.capacity
    defer { BufferPool.capacity = old }
    BufferPool.capacity = 1 << 30
    let count = 12_347  // a size no other test uses
    let bytes = count * 8
    var address: UnsafeMutableRawPointer?
    do {
      let t = Tensor.zeros([count])
      address = t.storage.base
    }
    #expect(cachedCount(bytes: bytes) >= 1)
    let u = Tensor.ones([count])
    #expect(u.storage.base == address, "the freed buffer is handed to the next tensor of its size")
    #expect(u.doubles.allSatisfy { $0 == 1 }, "a reused zeroed buffer is initialised anew")
    let z = Tensor.zeros([count])
    #expect(z.doubles.allSatisfy { $0 == 0 })
  }

  @Test func smallBuffersBypassThePool() {
    #expect(BufferPool.sizeClass(64) == nil)
    #expect(BufferPool.sizeClass(4096) == 4096)
    #expect(BufferPool.sizeClass(4097) == 4160)
    #expect(BufferPool.sizeClass(BufferPool.maximumBytes + 1) == nil)
  }

  @Test func capacityBoundsTheCacheAndReleaseEmptiesIt() {
    let old = BufferPool.capacity
    defer { BufferPool.capacity = old }
    BufferPool.capacity = 0
    #expect(cachedCount(bytes: 9_001 * 8) == 0)
    do { _ = Tensor.zeros([9_001]) }
    #expect(cachedCount(bytes: 9_001 * 8) == 0, "nothing is kept beyond the capacity")
    BufferPool.capacity = 1 << 30  // room to spare, whatever other tests cache meanwhile
    do { _ = Tensor.zeros([9_001]) }
    #expect(cachedCount(bytes: 9_001 * 8) == 1)
    BufferPool.releaseCachedBuffers()
    #expect(cachedCount(bytes: 9_001 * 8) == 0)
  }
}
