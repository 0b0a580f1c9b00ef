import Testing

@testable import Tangent

// Defect 5 of issue 10: tape nodes are shared between tasks. These passes run concurrently on
// one graph; `make test-tsan` runs this suite under the thread sanitizer, which reports any
// unsynchronised access to a node's saved values, its released flag or a leaf's gradient.

@Suite struct ConcurrentBackwardTests {
  /// Eight tasks, 25 rounds each, on one shared graph `y = Σ tanh(x W) · sin(tanh(x W))`:
  /// - retained passes through `gradients(of:wrt:)`, checked against the single-task value;
  /// - retained `backward()` passes, all accumulating into the shared leaf's `grad`;
  /// - graphs of their own on the shared leaf, released by their pass (`retainGraph: false`)
  ///   while the others run, also accumulating into the shared leaf;
  /// - second-order passes (`createGraph`) whose recorded backward links into the shared nodes.
  /// The leaf's final gradient is the exact sum of every accumulating pass.
  @Test func concurrentPassesOnASharedGraph() async {
    let x = Tensor([[0.3, -0.2, 0.5], [0.1, 0.7, -0.4]]).requiringGrad()
    let w = Tensor([[1.0, 2.0], [-0.5, 0.25], [0.75, -1.5]])
    let h = x.matmul(w).tanh()
    let y = (h * h.sin()).sum()
    let want = gradients(of: y, wrt: [x], retainGraph: true)[0]
    let own: @Sendable (Tensor) -> Tensor = { x in (x.sin() * x).exp().sum() }
    let ownWant = gradients(of: own(x), wrt: [x])[0]
    let secondWant: Tensor = {
      let g = gradients(of: y, wrt: [x], retainGraph: true, createGraph: true)[0]
      return gradients(of: g.sum(), wrt: [x], retainGraph: true)[0]
    }()

    let tasks = 8, rounds = 25
    let failures = await withTaskGroup(of: Int.self) { group in
      for t in 0..<tasks {
        group.addTask {
          var failures = 0
          for _ in 0..<rounds {
            switch t % 4 {
            case 0:
              let g = gradients(of: y, wrt: [x], retainGraph: true)[0]
              if !g.allClose(want, rtol: 1e-12, atol: 1e-14) { failures += 1 }
            case 1:
              y.backward(retainGraph: true)
            case 2:
              own(x).backward()  // releases its own nodes while the other passes run
            default:
              let g = gradients(of: y, wrt: [x], retainGraph: true, createGraph: true)[0]
              let gg = gradients(of: g.sum(), wrt: [x], retainGraph: true)[0]
              if !gg.allClose(secondWant, rtol: 1e-12, atol: 1e-14) { failures += 1 }
            }
          }
          return failures
        }
      }
      return await group.reduce(0, +)
    }
    #expect(failures == 0)
    let passes = Double(rounds * (tasks / 4))
    let expected = want * passes + ownWant * passes
    #expect(x.grad?.allClose(expected, rtol: 1e-10, atol: 1e-12) == true, "\(String(describing: x.grad)) vs \(expected)")
  }

  /// A releasing pass racing with retained passes through the same nodes: the release and
  /// the reads go through the node's lock, so each read sees either all the saved values or
  /// none (never a half-released node), and exactly one release happens per node. (Through
  /// the public API a pass that loses such a race stops with the "already freed" message, so
  /// the race is driven at the node, as a backward pass takes its values.)
  @Test func releaseRacesWithReadsOfTheSameNodes() async {
    let x = Tensor([0.25, -0.5, 1.5]).requiringGrad()
    let nodes = (0..<200).map { i in ((x * Double(i)).sin() * x).autodiff!.edge!.node }
    let failures = await withTaskGroup(of: Int.self) { group in
      for t in 0..<6 {
        group.addTask {
          var failures = 0
          for node in nodes {
            let values = node.savedValues(release: t == 0)
            if t == 0 && values == nil { failures += 1 }  // the only releaser always finds them
            if let values, values.inputs.count != 2 || values.inputs.contains(where: { $0.shape != [3] }) { failures += 1 }
          }
          return failures
        }
      }
      return await group.reduce(0, +)
    }
    #expect(failures == 0)
    #expect(nodes.allSatisfy { $0.savedValues(release: false) == nil }, "every node was released once")
  }

  /// Releasing passes on graphs that share only their leaf, racing with reads of its `grad`
  /// and with `zeroGrad`: the values are unpredictable, but no access may race.
  @Test func releasingPassesAndZeroGradOnASharedLeaf() async {
    let x = Tensor([0.25, -0.5, 1.5]).requiringGrad()
    await withTaskGroup(of: Void.self) { group in
      for t in 0..<6 {
        group.addTask {
          for _ in 0..<40 {
            if t == 0 {
              x.zeroGrad()
            } else {
              (x * x).sum().backward()
              _ = x.grad
            }
          }
        }
      }
    }
    x.zeroGrad()
    (x * x).sum().backward()
    #expect(x.grad?.allClose(x.detached * 2, rtol: 1e-14, atol: 0) == true)
  }
}
