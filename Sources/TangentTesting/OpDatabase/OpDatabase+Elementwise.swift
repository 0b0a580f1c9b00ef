import Tangent

extension OpDatabase {
  /// Elementwise ops of one and two tensors.
  static let elementwise: [OpInfo] = [
    .unary("exp", torch: ["exp"]) { $0.exp() },
    .unary("log", torch: ["log"], dtypes: [.float64], domain: 0.2...3) { $0.log() },
    .unary("sin", torch: ["sin"]) { $0.sin() },
    .unary("cos", torch: ["cos"]) { $0.cos() },
    .unary("tanh", torch: ["tanh"]) { $0.tanh() },
    .unary("neg", torch: ["neg", "negative"]) { -$0 },
    .unary("conj", torch: ["conj", "conj_physical"]) { $0.conj() },
    .unary("real", torch: ["real"], dtypes: [.complex128]) { $0.real },
    .unary("imag", torch: ["imag"], dtypes: [.complex128]) { $0.imag },
    .binary("add", torch: ["add", "__radd__"]) { $0 + $1 },
    .binary("sub", torch: ["sub", "__rsub__"]) { $0 - $1 },
    .binary("mul", torch: ["mul", "__rmul__"]) { $0 * $1 },
    .binary("div", torch: ["div", "true_divide", "__rdiv__"], rhsDomain: 0.5...2) { $0 / $1 },
    .binary("complex", torch: ["complex"], dtypes: [.float64]) { Tensor.complex(real: $0, imaginary: $1) },
  ]
}
