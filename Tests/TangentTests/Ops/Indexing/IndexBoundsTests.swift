import Foundation
import Testing

@testable import Tangent

// Issue 10, defect 2: every op that takes indices from the user checks them before any kernel
// touches memory, and stops with a message naming the op, the index and the size it broke.

/// The standard error of an exit test, as text.
private func stderrText(_ result: ExitTest.Result?) -> String {
  result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
}

@Suite struct IndexBoundsTests {
  @Test func gatherAndScatterFamily() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).gather(dim: 1, index: Tensor(shape: [1, 1], scalars: [3] as [Int64]))
    }
    #expect(stderrText(r0).contains("gather: index 3 is out of range for dimension 1 of size 3"), "\(stderrText(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).scatter(dim: 0, index: Tensor(shape: [1, 1], scalars: [-3] as [Int64]), source: Tensor.ones([1, 1]))
    }
    #expect(stderrText(r1).contains("scatter: index -3 is out of range for dimension 0 of size 2"), "\(stderrText(r1))")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).scatterAdd(dim: 1, index: Tensor(shape: [1, 1], scalars: [1 << 40] as [Int64]), source: Tensor.ones([1, 1]))
    }
    #expect(stderrText(r2).contains("scatterAdd: index 1099511627776 is out of range for dimension 1 of size 3"), "\(stderrText(r2))")
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).scatterReduce(
        dim: 1, index: Tensor(shape: [1, 1], scalars: [5] as [Int64]), source: Tensor.ones([1, 1]), reduce: .mean)
    }
    #expect(stderrText(r3).contains("scatterReduce: index 5 is out of range for dimension 1 of size 3"), "\(stderrText(r3))")
    let r4 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).scatterReduce(
        dim: 1, index: Tensor(shape: [1, 1], scalars: [5] as [Int64]), source: Tensor.ones([1, 1]), reduce: .amax)
    }
    #expect(stderrText(r4).contains("scatterReduce: index 5 is out of range"), "\(stderrText(r4))")
    let r5 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).takeAlongDim(Tensor(shape: [2, 1], scalars: [0, 9] as [Int64]), dim: 1)
    }
    #expect(stderrText(r5).contains("takeAlongDim: index 9 is out of range for dimension 1 of size 3"), "\(stderrText(r5))")
  }

  @Test func flatIndexOps() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).take(Tensor([6] as [Int64]))
    }
    #expect(stderrText(r0).contains("take: index 6 is out of range for dimension 0 of size 6"), "\(stderrText(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).put(Tensor([-7] as [Int64]), source: Tensor([1.0]))
    }
    #expect(stderrText(r1).contains("put: index -7 is out of range for 6 elements"), "\(stderrText(r1))")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).indexPut([Tensor([0] as [Int64]), Tensor([3] as [Int64])], values: Tensor(1.0))
    }
    #expect(stderrText(r2).contains("indexPut: index 3 is out of range for 3 elements"), "\(stderrText(r2))")
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3])[Tensor([2] as [Int64])]
    }
    #expect(stderrText(r3).contains("index 2 is out of range for dimension 0 of size 2"), "\(stderrText(r3))")
  }

  @Test func indexSelectFamily() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).indexSelect(dim: 1, index: Tensor([0, 3] as [Int64]))
    }
    #expect(stderrText(r0).contains("indexSelect: index 3 is out of range for dimension 1 of size 3"), "\(stderrText(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).indexAdd(dim: 0, index: Tensor([-3] as [Int64]), source: Tensor.ones([1, 3]))
    }
    #expect(stderrText(r1).contains("indexAdd: index -3 is out of range for dimension 0 of size 2"), "\(stderrText(r1))")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).indexCopy(dim: 0, index: Tensor([2] as [Int64]), source: Tensor.ones([1, 3]))
    }
    #expect(stderrText(r2).contains("indexCopy: index 2 is out of range for dimension 0 of size 2"), "\(stderrText(r2))")
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).indexFill(dim: 1, index: Tensor([4] as [Int64]), value: 1)
    }
    #expect(stderrText(r3).contains("indexFill: index 4 is out of range for dimension 1 of size 3"), "\(stderrText(r3))")
    let r4 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).indexFill(dim: 1, index: Tensor([4] as [Int64]), value: Tensor(1.0))
    }
    #expect(stderrText(r4).contains("indexFill: index 4 is out of range"), "\(stderrText(r4))")
  }

  @Test func nnOpsWithIndices() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.embedding(Tensor([0, 4] as [Int64]), weight: Tensor.zeros([4, 2]))
    }
    #expect(stderrText(r0).contains("nn.functional.embedding: index 4 is out of range for a table of 4 rows"), "\(stderrText(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.maxUnpool2d(Tensor.ones([1, 1, 1, 1]), indices: Tensor(shape: [1, 1, 1, 1], scalars: [4] as [Int64]), kernelSize: 2)
    }
    #expect(stderrText(r1).contains("nn.functional.max_unpool2d: indices must lie in the output planes of 4 elements"), "\(stderrText(r1))")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.maxPool2dBackward(
        Tensor.ones([1, 1, 1, 1]), input: Tensor.zeros([1, 1, 2, 2]), indices: Tensor(shape: [1, 1, 1, 1], scalars: [-1] as [Int64]))
    }
    #expect(stderrText(r2).contains("max_pool2d_with_indices_backward: indices must lie in the input planes of 4 elements"), "\(stderrText(r2))")
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.nllLoss(Tensor.zeros([2, 3]), Tensor([0, 3] as [Int64]))
    }
    #expect(stderrText(r3).contains("target 3 is out of bounds for 3 classes"), "\(stderrText(r3))")
  }

  @Test func stridedViewsAndRegions() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).asStridedScatter(Tensor.ones([2]), size: [2], stride: [6])
    }
    #expect(stderrText(r0).contains("asStridedScatter: size [2], stride [6] and offset 0 reach element 6, past the 6 elements"), "\(stderrText(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).asStrided(size: [1], stride: [1], storageOffset: 6)
    }
    #expect(stderrText(r1).contains("asStrided: size [1], stride [1] and offset 6 reach element 6"), "\(stderrText(r1))")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).selectScatter(Tensor.ones([3]), dim: 0, index: 2)
    }
    #expect(stderrText(r2).contains("selectScatter: index 2 is out of range for dimension 0 of size 2"), "\(stderrText(r2))")
  }

  /// Negative indices: PyTorch 2.13 rejects them in gather, scatter (every form),
  /// index_select, index_add, index_copy and embedding, and wraps them once in take,
  /// take_along_dim, index_fill and `x[index]` (checked in /work/venv-bench). Tangent wrapped
  /// them everywhere; it now follows PyTorch, with a message naming the op, the index and the
  /// size.
  @Test func negativeIndicesStopWherePyTorchRejectsThem() async {
    var texts: [(String, String)] = []
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([3, 4]).gather(dim: 1, index: Tensor(shape: [1, 2], scalars: [-1, 0] as [Int64]))
    }
    texts.append(("gather", stderrText(r0)))
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([3, 4]).scatter(dim: 1, index: Tensor(shape: [1, 2], scalars: [-1, 0] as [Int64]), source: Tensor.ones([1, 2]))
    }
    texts.append(("scatter", stderrText(r1)))
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([3, 4]).scatterAdd(dim: 1, index: Tensor(shape: [1, 2], scalars: [-1, 0] as [Int64]), source: Tensor.ones([1, 2]))
    }
    texts.append(("scatterAdd", stderrText(r2)))
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([3, 4]).scatterReduce(dim: 1, index: Tensor(shape: [1, 2], scalars: [-1, 0] as [Int64]), source: Tensor.ones([1, 2]), reduce: .amax)
    }
    texts.append(("scatterReduce", stderrText(r3)))
    let r4 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([3, 4]).indexSelect(dim: 0, index: Tensor([-1, 0] as [Int64]))
    }
    texts.append(("indexSelect", stderrText(r4)))
    let r5 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([3, 4]).indexAdd(dim: 0, index: Tensor([-1, 0] as [Int64]), source: Tensor.ones([2, 4]))
    }
    texts.append(("indexAdd", stderrText(r5)))
    let r6 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([3, 4]).indexCopy(dim: 0, index: Tensor([-1, 0] as [Int64]), source: Tensor.ones([2, 4]))
    }
    texts.append(("indexCopy", stderrText(r6)))
    let r7 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.embedding(Tensor([-1, 0] as [Int64]), weight: Tensor.zeros([3, 4]))
    }
    texts.append(("nn.functional.embedding", stderrText(r7)))
    for (op, text) in texts {
      #expect(text.contains("\(op): index -1 is out of range"), "\(op): \(text)")
      #expect(text.contains("negative indices are not accepted"), "\(op): \(text)")
    }
  }

  @Test func negativeIndicesWrapWherePyTorchWrapsThem() {
    let x = Tensor(shape: [3, 4], scalars: (0..<12).map(Double.init))
    let list = Tensor([-1, 0] as [Int64])
    #expect(x.take(list).doubles == [11, 0])
    #expect(x.takeAlongDim(Tensor(shape: [1, 2], scalars: [-1, 0] as [Int64]), dim: 1).doubles == [3, 0, 7, 4, 11, 8])
    #expect(x[list].doubles == [8, 9, 10, 11, 0, 1, 2, 3])
    #expect(x.indexFill(dim: 0, index: list, value: -1).doubles == [-1, -1, -1, -1, 4, 5, 6, 7, -1, -1, -1, -1])
  }
}
