import Testing
import Tangent

@Test func scratchForward() {
  let x = Tensor([1.0, 2.0])
  let r: (Tensor, Tensor?) = withDualLevel { l in
    let xd = x.dual(tangent: Tensor([1.0, 0.0]), at: l)
    let y = (xd * xd).sin()
    return y.unpacked(at: l)
  }
  print(r.0.doubles, r.1!.doubles)
  // perturbation confusion: d/dx [x * d/dy (x + y)](y=1) at x = 1 → 1
  let v: Double = withDualLevel { lx in
    let xd = Tensor(1.0).dual(tangent: Tensor(1.0), at: lx)
    let inner: Tensor = withDualLevel { ly in
      let yd = Tensor(1.0).dual(tangent: Tensor(1.0), at: ly)
      return (xd + yd).tangent(at: ly)!
    }
    return (xd * inner).tangent(at: lx)!.scalar
  }
  print("confusion", v)
  // second derivative of x^3 at 2 = 12 via nested
  let h: Double = withDualLevel { l1 in
    withDualLevel { l2 in
      let x1 = Tensor(2.0).dual(tangent: Tensor(1.0), at: l1)
      let x2 = x1.dual(tangent: Tensor(1.0), at: l2)
      let y = x2 * x2 * x2
      let t2 = y.tangent(at: l2)!
      return t2.tangent(at: l1)!.scalar
    }
  }
  print("second", h)
  var w = Tensor([1.0, 2.0, 3.0])
  w.requiresGrad = true
  let loss = (w * w).sum()
  loss.backward()
  print("grad", w.grad!.doubles)
  // forward over reverse: hvp of sum(x^3) at x along v = 6 x v
  let hv: [Double] = withDualLevel { l in
    let xd = Tensor([1.0, 2.0]).dual(tangent: Tensor([1.0, 1.0]), at: l).requiringGrad()
    let y = (xd * xd * xd).sum()
    let g = gradients(of: y, wrt: [xd])[0]
    return g.tangent(at: l)!.doubles
  }
  print("hvp", hv)
  // chunked
  let ch: [Double] = withDualLevel { l in
    let xd = Tensor([1.0, 2.0]).dual(tangent: Tensor(shape: [2, 2], scalars: [1.0, 0, 0, 1]), at: l)
    let y = (xd * xd).exp().sum()
    return y.tangent(at: l)!.doubles
  }
  print("chunked", ch)
}
