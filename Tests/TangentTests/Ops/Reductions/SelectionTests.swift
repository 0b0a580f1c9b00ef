import Foundation
import Tangent
import TangentTesting
import Testing

/// sort, top-k, k-th value, median and the running extrema: values and indices against a
/// straightforward reference, NaN and ties, and derivatives.
@Suite struct SelectionTests {
  let x = uniform([3, 5], -2...2, seed: 111)

  /// The rows of a [3, 5] tensor.
  func rows(_ t: Tensor) -> [[Double]] { (0..<t.shape[0]).map { r in Array(t.doubles[(r * t.shape[1])..<((r + 1) * t.shape[1])]) } }

  @Test func sort() {
    let (v, i) = x.sort()
    #expect(i.dtype == .int64 && i.shape == [3, 5])
    expectClose(v, rows(x).flatMap { $0.sorted() })
    let perm = i.scalars(as: Int64.self)
    expectClose(perm.enumerated().map { x.doubles[($0.offset / 5) * 5 + Int($0.element)] }, v.doubles)
    let (d, _) = x.sort(dim: 0, descending: true)
    expectClose(d.transposed().contiguousCopy(), rows(x.transposed().contiguousCopy()).flatMap { $0.sorted(by: >) })
    expectClose(x.transposed().sort(dim: 1).values, rows(x.transposed().contiguousCopy()).flatMap { $0.sorted() })
    // Stable on ties; NaN sorts last (first when descending).
    let t = Tensor([2.0, .nan, 1, 2, -1])
    #expect(t.sort().indices.scalars(as: Int64.self) == [4, 2, 0, 3, 1])
    #expect(t.sort(descending: true).indices.scalars(as: Int64.self) == [1, 0, 3, 2, 4])
    #expect(Tensor([Int64(3), 1, 2]).sort().values.scalars(as: Int64.self) == [1, 2, 3])
    #expect(x.msort().shape == [3, 5])
    #expect(x.argsort(dim: 1) .scalars(as: Int64.self) == perm)
    expectGradcheck("sort", { $0.sort().values }, at: x)
    expectGradcheck("sort dim 0", { $0.sort(dim: 0, descending: true).values }, at: x)
  }

  @Test func topkAndKthvalue() {
    let (v, i) = x.topk(2)
    expectClose(v, rows(x).flatMap { Array($0.sorted(by: >).prefix(2)) })
    #expect(i.shape == [3, 2])
    let (s, _) = x.topk(3, dim: 1, largest: false)
    expectClose(s, rows(x).flatMap { Array($0.sorted().prefix(3)) })
    let (k, ki) = x.kthvalue(2)
    expectClose(k, rows(x).map { $0.sorted()[1] })
    #expect(ki.shape == [3])
    let kept = x.kthvalue(3, dim: 0, keepdim: true)
    #expect(kept.values.shape == [1, 5] && kept.indices.shape == [1, 5])
    expectGradcheck("topk", { $0.topk(2).values }, at: x)
    expectGradcheck("kthvalue", { $0.kthvalue(2, dim: 0).values }, at: x)
  }

  @Test func median() {
    let (m, mi) = x.median(dim: 1)
    expectClose(m, rows(x).map { $0.sorted()[2] })
    expectClose(mi.scalars(as: Int64.self).enumerated().map { x.doubles[$0.offset * 5 + Int($0.element)] }, m.doubles)
    // The lower median of an even count.
    expectClose(Tensor([4.0, 1, 3, 2]).median(), [2])
    expectClose(x.median(), [x.doubles.sorted()[7]])
    // NaN propagates in median and is skipped by nanmedian.
    let n = Tensor(shape: [2, 3], scalars: [1.0, .nan, 3, 2, 0, 5])
    let (nm, ni) = n.median(dim: 1)
    expectClose(nm, [.nan, 2])
    #expect(ni.scalars(as: Int64.self) == [1, 0])
    expectClose(n.nanmedian(dim: 1).values, [1, 2])
    expectClose(n.median(), [.nan])
    expectClose(n.nanmedian(), [2])
    expectGradcheck("median dim", { $0.median(dim: 1).values }, at: x)
    expectGradcheck("median", { $0.median() }, at: x)
    // Ties share the whole-tensor median's gradient evenly, as PyTorch.
    let (_, g) = valueWithGradient(of: { $0.median() }, at: Tensor([1.0, 2, 2, 3]))
    expectClose(g, [0, 0.5, 0.5, 0])
  }

  @Test func runningExtrema() {
    let t = Tensor([1.0, 3, 2, 3, 5, 0])
    let (v, i) = t.cummax(dim: 0)
    expectClose(v, [1, 3, 3, 3, 5, 5])
    #expect(i.scalars(as: Int64.self) == [0, 1, 1, 3, 4, 4])
    let (w, j) = t.cummin(dim: 0)
    expectClose(w, [1, 1, 1, 1, 1, 0])
    #expect(j.scalars(as: Int64.self) == [0, 0, 0, 0, 0, 5])
    let n = Tensor([1.0, .nan, 3])
    expectClose(n.cummax(dim: 0).values, [1, .nan, .nan])
    #expect(n.cummax(dim: 0).indices.scalars(as: Int64.self) == [0, 1, 1])
    let colMax = (0..<5).map { c in (0..<3).map { r in (0...r).map { x.doubles[$0 * 5 + c] }.max()! } }
    expectClose(x.cummax(dim: 0).values.transposed().contiguousCopy(), colMax.flatMap { $0 })
    // The gradient of a repeated maximum accumulates at its index.
    let (_, g) = valueWithGradient(of: { $0.cummax(dim: 0).values.sum() }, at: t)
    expectClose(g, [1, 2, 0, 1, 2, 0])
    expectGradcheck("cummax", { $0.cummax(dim: 1).values }, at: x)
    expectGradcheck("cummin", { $0.cummin(dim: 0).values }, at: x)
  }
}
