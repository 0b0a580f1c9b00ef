import Tangent

extension OpDatabase {
  /// Elementwise ops of one and two tensors: arithmetic, exponentials, powers, trigonometric
  /// and hyperbolic functions, rounding, signs, comparisons, and the complex parts.
  static let elementwise: [OpInfo] = arithmetic + exponentials + trigonometric + rounding + signs + binaryMath + comparisons

  /// Arithmetic and its reversed forms.
  static let arithmetic: [OpInfo] = [
    .unary("neg", torch: ["neg", "negative"]) { -$0 },
    .unary("conj", torch: ["conj", "conj_physical"]) { $0.conj() },
    .unary("real", torch: ["real"], dtypes: [.complex128]) { $0.real },
    .unary("imag", torch: ["imag"], dtypes: [.complex128]) { $0.imag },
    withGolden(.binary("add", torch: ["add", "__radd__"]) { $0 + $1 }) { c in
      let (a, b) = try c.binaryOperands()
      let alpha = try c.double(nil, "alpha", default: 1)
      return [alpha == 1 ? a + b : a + b * alpha]
    },
    withGolden(.binary("sub", torch: ["sub", "subtract"]) { $0 - $1 }) { c in
      let (a, b) = try c.binaryOperands()
      let alpha = try c.double(nil, "alpha", default: 1)
      return [alpha == 1 ? a - b : a - b * alpha]
    },
    // `__rsub__(input, other)` and `rsub(input, other, alpha)` compute other − alpha·input.
    withGolden(.binary("rsub", torch: ["__rsub__", "rsub"]) { $1 - $0 }) { c in
      let (a, b) = try c.binaryOperands()
      let alpha = try c.double(nil, "alpha", default: 1)
      return [alpha == 1 ? b - a : b - a * alpha]
    },
    .binary("mul", torch: ["mul", "multiply", "__rmul__"]) { $0 * $1 },
    withGolden(.binary("div", torch: ["div", "div.no_rounding_mode", "divide", "true_divide"], rhsDomain: 0.5...2) { $0 / $1 }) { c in
      let (a, b) = try c.binaryOperands()
      switch try c.string(nil, "rounding_mode") {
      case nil: return [a / b]
      case "trunc": return [a.div(b, roundingMode: .trunc)]
      case "floor": return [a.div(b, roundingMode: .floor)]
      case let mode?: throw ConformanceError.unsupportedArgument("div: rounding_mode \(mode)")
      }
    },
    // Rounded quotients: piecewise constant; the samples keep the quotient between integers.
    OpInfo("divRounded", torch: ["div.floor_rounding", "div.trunc_rounding"], dtypes: [.float64], samples: { dtype, rng in
      let b = rng.tensor([4], dtype: dtype, in: 0.5...2)
      let q = rng.tensor([3, 4], dtype: dtype, in: -3...3, avoiding: [-3, -2, -1, 0, 1, 2, 3], gap: 0.1)
      return [OpSample("floor", [q * b, b]) { [$0[0].div($0[1], roundingMode: .floor)] },
              OpSample("trunc", [q * b, b]) { [$0[0].div($0[1], roundingMode: .trunc)] }]
    }, golden: { c in
      let (a, b) = try c.binaryOperands()
      guard let mode = DivisionRounding(rawValue: try c.string(nil, "rounding_mode") ?? "") else {
        throw ConformanceError.unsupportedArgument("\(c.op): rounding_mode is needed")
      }
      return [a.div(b, roundingMode: mode)]
    }),
    // `__rdiv__(input, other)` computes other / input.
    .binary("rdiv", torch: ["__rdiv__"], domain: 0.5...2, rhsDomain: -2...2) { $1 / $0 },
    .binary("complex", torch: ["complex"], dtypes: [.float64]) { Tensor.complex(real: $0, imaginary: $1) },
    OpInfo("converted", torch: ["double", "cdouble"], samples: { dtype, rng in
      [OpSample("[3, 4] → complex128", [rng.tensor([3, 4], dtype: dtype)]) { [$0[0].converted(to: .complex128)] },
       OpSample("[3, 4] → float64", [rng.tensor([3, 4], dtype: dtype)]) { [$0[0].converted(to: .float64)] }]
    }, golden: { c in
      // `double()` keeps the real part of a complex tensor, as PyTorch.
      [try c.tensor(0).converted(to: c.op == "cdouble" ? .complex128 : .float64)]
    }),
  ]

  /// Exponentials, logarithms and powers.
  static let exponentials: [OpInfo] = [
    .unary("exp", torch: ["exp"]) { $0.exp() },
    .unary("exp2", torch: ["exp2", "special.exp2"]) { $0.exp2() },
    .unary("expm1", torch: ["expm1", "special.expm1"]) { $0.expm1() },
    // Complex inputs stay in the right half-plane, away from the branch cut on the negative axis.
    .unary("log", torch: ["log"], domain: 0.2...3) { $0.log() },
    .unary("log2", torch: ["log2"], domain: 0.2...3) { $0.log2() },
    .unary("log10", torch: ["log10"], domain: 0.2...3) { $0.log10() },
    .unary("log1p", torch: ["log1p", "special.log1p"], domain: -0.5...2) { $0.log1p() },
    .unary("sqrt", torch: ["sqrt"], domain: 0.2...3) { $0.sqrt() },
    .unary("rsqrt", torch: ["rsqrt"], domain: 0.2...3) { $0.rsqrt() },
    .unary("square", torch: ["square"]) { $0.square() },
    .unary("reciprocal", torch: ["reciprocal"], domain: 0.5...2) { $0.reciprocal() },
    OpInfo("pow", torch: ["pow"], samples: { dtype, rng in
      [
        OpSample("[3, 4] ^ [3, 4]", [rng.tensor([3, 4], dtype: dtype, in: 0.5...2), rng.tensor([3, 4], dtype: dtype)]) {
          [$0[0].pow($0[1])]
        },
        OpSample("[3, 4] ^ [4]", [rng.tensor([3, 4], dtype: dtype, in: 0.5...2), rng.tensor([4], dtype: dtype)]) {
          [$0[0].pow($0[1])]
        },
        OpSample("[3, 4] ^ 2.5", [rng.tensor([3, 4], dtype: dtype, in: 0.5...2)]) { [$0[0].pow(2.5)] },
        OpSample("[3, 4] ^ 3 (negative bases)", [rng.tensor([3, 4], dtype: dtype)]) { [$0[0].pow(3)] },
        OpSample("[3, 4] ^ 0", [rng.tensor([3, 4], dtype: dtype)]) { [$0[0].pow(0)] },
        OpSample("transposed ^ -1.5", [rng.tensor([4, 3], dtype: dtype, in: 0.5...2).transposed()]) { [$0[0].pow(-1.5)] },
      ]
    }, golden: { c in
      let (a, b) = try c.binaryOperands(("self", "exponent"))
      return [a.pow(b)]
    }),
    // `__rpow__(input, other)` computes other ** input.
    OpInfo("rpow", torch: ["__rpow__"], samples: { dtype, rng in
      [OpSample("2.5 ^ [3, 4]", [rng.tensor([3, 4], dtype: dtype)]) { [Tensor.pow(2.5, $0[0])] },
       OpSample("[4] ^ [3, 4]", [rng.tensor([3, 4], dtype: dtype), rng.tensor([4], dtype: dtype, in: 0.5...2)]) {
         [$0[1].pow($0[0])]
       }]
    }, golden: { c in
      let (a, b) = try c.binaryOperands()
      return [b.pow(a)]
    }),
    .binary("logaddexp", torch: ["logaddexp"], dtypes: [.float64, .complex128]) { $0.logAddExp($1) },
    .binary("logaddexp2", torch: ["logaddexp2"], dtypes: [.float64]) { $0.logAddExp2($1) },
    OpInfo("floatPower", torch: ["float_power"], samples: { dtype, rng in
      [
        OpSample("[3, 4] ^ [4]", [rng.tensor([3, 4], dtype: dtype, in: 0.5...2), rng.tensor([4], dtype: dtype)]) {
          [$0[0].floatPower($0[1])]
        },
        OpSample("[3, 4] ^ 1.5", [rng.tensor([3, 4], dtype: dtype, in: 0.5...2)]) { [$0[0].floatPower(1.5)] },
        OpSample("transposed ^ 0-d", [rng.tensor([4, 3], dtype: dtype, in: 0.5...2).transposed(), rng.tensor([], dtype: dtype)]) {
          [$0[0].floatPower($0[1])]
        },
      ]
    }, golden: { c in
      let (a, b) = try c.binaryOperands(("input", "exponent"))
      return [a.floatPower(b)]
    }),
    OpInfo("ldexp", torch: ["ldexp"], samples: { dtype, rng in
      let e = Tensor(shape: [3, 4], scalars: (0..<12).map { Int64($0 % 5 - 2) })
      return [
        OpSample("integer exponents", [rng.tensor([3, 4], dtype: dtype), e]) { [$0[0].ldexp($0[1])] },
        OpSample("floating exponents", [rng.tensor([3, 4], dtype: dtype), rng.tensor([4], dtype: .float64)]) {
          [$0[0].ldexp($0[1])]
        },
      ]
    }, golden: { c in [try c.tensor(0).ldexp(try c.tensor(1))] }),
  ]

  /// Circular and hyperbolic functions and their inverses. Complex samples keep away from the
  /// branch cuts (on the real axis beyond ±1 for asin, acos, atanh; on the imaginary axis
  /// beyond ±i for atan, asinh; left of 1 for acosh) and the poles of tan.
  static let trigonometric: [OpInfo] = [
    .unary("sin", torch: ["sin"]) { $0.sin() },
    .unary("cos", torch: ["cos"]) { $0.cos() },
    .unary("tan", torch: ["tan"], domain: -1...1) { $0.tan() },
    .unary("asin", torch: ["asin", "arcsin"], domain: -0.9...0.9) { $0.asin() },
    .unary("acos", torch: ["acos", "arccos"], domain: -0.9...0.9) { $0.acos() },
    .unary("atan", torch: ["atan", "arctan"], domain: -0.9...0.9) { $0.atan() },
    .binary("atan2", torch: ["atan2", "arctan2"], dtypes: [.float64]) { $0.atan2($1) },
    .unary("sinh", torch: ["sinh"]) { $0.sinh() },
    .unary("cosh", torch: ["cosh"]) { $0.cosh() },
    .unary("tanh", torch: ["tanh"]) { $0.tanh() },
    .unary("asinh", torch: ["asinh", "arcsinh"], domain: -0.9...0.9) { $0.asinh() },
    .unary("acosh", torch: ["acosh", "arccosh"], domain: 1.2...3) { $0.acosh() },
    .unary("atanh", torch: ["atanh", "arctanh"], domain: -0.9...0.9) { $0.atanh() },
    .unary("deg2rad", torch: ["deg2rad"], dtypes: [.float64]) { $0.deg2rad() },
    .unary("rad2deg", torch: ["rad2deg"], dtypes: [.float64]) { $0.rad2deg() },
    .unary("sinc", torch: ["sinc", "special.sinc"], kinks: [0]) { $0.sinc() },
  ]

  /// The integers and half-integers of the sample domain, where rounding jumps.
  static let roundingJumps: [Double] = stride(from: -2.0, through: 2.0, by: 0.5).map { $0 }

  /// Rounding: piecewise constant (zero derivative) except `frac` (derivative 1); samples keep
  /// away from the jumps.
  static let rounding: [OpInfo] = [
    .unary("floor", torch: ["floor"], dtypes: [.float64], kinks: roundingJumps) { $0.floor() },
    .unary("ceil", torch: ["ceil"], dtypes: [.float64], kinks: roundingJumps) { $0.ceil() },
    .unary("trunc", torch: ["trunc", "fix"], dtypes: [.float64], kinks: roundingJumps) { $0.trunc() },
    .unary("frac", torch: ["frac"], dtypes: [.float64], kinks: roundingJumps) { $0.frac() },
    OpInfo("round", torch: ["round", "round.decimals_0", "round.decimals_3", "round.decimals_neg_3"], dtypes: [.float64],
           samples: { dtype, rng in
      // Between the jumps of each rounding: k + 0.3 for whole numbers, thousandths + 0.0003,
      // thousands + 300.
      let base = (0..<12).map { Double($0 - 6) }
      return [
        OpSample("[3, 4]", [rng.tensor([3, 4], dtype: dtype, in: -2...2, avoiding: roundingJumps)]) { [$0[0].round()] },
        OpSample("decimals 3", [Tensor(shape: [3, 4], scalars: base.map { $0 * 0.001 + 0.0003 })]) { [$0[0].round(decimals: 3)] },
        OpSample("decimals -3", [Tensor(shape: [3, 4], scalars: base.map { $0 * 1000 + 300 })]) { [$0[0].round(decimals: -3)] },
      ]
    }, golden: { c in [try c.tensor(0).round(decimals: try c.int(1, "decimals", default: 0))] }),
    // The mantissa jumps at the powers of two, which the samples avoid.
    OpInfo("frexp", torch: ["frexp"], dtypes: [.float64], samples: { dtype, rng in
      let jumps: [Double] = [-4, -2, -1, -0.5, -0.25, 0, 0.25, 0.5, 1, 2, 4]
      return [OpSample("[3, 4]", [rng.tensor([3, 4], dtype: dtype, in: -5...5, avoiding: jumps)]) {
        let r = $0[0].frexp()
        return [r.mantissa, r.exponent]
      },
              OpSample("transposed", [rng.tensor([4, 3], dtype: dtype, in: -5...5, avoiding: jumps).transposed()]) {
        let r = $0[0].frexp()
        return [r.mantissa, r.exponent]
      }]
    }, golden: { c in
      let r = try c.tensor(0).frexp()
      return [r.mantissa, r.exponent]
    }),
    OpInfo("nanToNum", torch: ["nan_to_num"], samples: { dtype, rng in
      var out = [OpSample("[3, 4]", [rng.tensor([3, 4], dtype: dtype)]) { [$0[0].nanToNum()] }]
      // Real only: a complex NaN moved by a finite difference keeps its other part finite,
      // which nan_to_num passes on, while the derivative (PyTorch's) is zero for the element.
      if !dtype.isComplex {
        let special = Tensor([Double.nan, .infinity, -.infinity, 1.5, -0.25])
        out.append(OpSample("NaN and infinities", [special]) { [$0[0].nanToNum(nan: 1, posinf: 2, neginf: -2)] })
      }
      return out
    }, golden: { c in
      [try c.tensor(0).nanToNum(
        nan: try c.optionalNumber(1, "nan") ?? 0, posinf: try c.optionalNumber(2, "posinf"), neginf: try c.optionalNumber(3, "neginf"))]
    }),
  ]

  /// Absolute values, signs and phases; samples keep away from zero.
  static let signs: [OpInfo] = [
    .unary("abs", torch: ["abs", "absolute"], kinks: [0]) { $0.abs() },
    .unary("sgn", torch: ["sgn"], kinks: [0]) { $0.sgn() },
    .unary("sign", torch: ["sign"], dtypes: [.float64], kinks: [0]) { $0.sign() },
    .unary("angle", torch: ["angle"], kinks: [0]) { $0.angle() },
    .binary("copysign", torch: ["copysign"], dtypes: [.float64], kinks: [0]) { $0.copysign($1) },
    // Polar coordinates and the real view of complex numbers.
    .binary("polar", torch: ["polar"], dtypes: [.float64], domain: 0.5...2, rhsDomain: -3...3) { Tensor.polar(abs: $0, angle: $1) },
    OpInfo("viewAsReal", torch: ["view_as_real"], dtypes: [.complex128], samples: { dtype, rng in
      [OpSample("[3, 4]", [rng.tensor([3, 4], dtype: dtype)]) { [$0[0].viewAsReal()] },
       OpSample("transposed", [rng.tensor([4, 3], dtype: dtype).transposed()]) { [$0[0].viewAsReal()] },
       OpSample("0-d", [rng.tensor([], dtype: dtype)]) { [$0[0].viewAsReal()] }]
    }, golden: { c in [try c.tensor(0).viewAsReal()] }),
    OpInfo("viewAsComplex", torch: ["view_as_complex"], dtypes: [.float64], samples: { dtype, rng in
      [OpSample("[3, 2]", [rng.tensor([3, 2], dtype: dtype)]) { [$0[0].viewAsComplex()] },
       OpSample("[2, 3, 2] permuted (a copy)", [rng.tensor([2, 3, 2], dtype: dtype).permuted([1, 0, 2])]) { [$0[0].viewAsComplex()] },
       OpSample("[2]", [rng.tensor([2], dtype: dtype)]) { [$0[0].viewAsComplex()] }]
    }, golden: { c in [try c.tensor(0).viewAsComplex()] }),
  ]

  /// Real binary functions: extrema, remainders, hypotenuse, interpolation and the fused
  /// multiply-adds.
  static let binaryMath: [OpInfo] = [
    .binary("hypot", torch: ["hypot"], dtypes: [.float64], kinks: [0]) { $0.hypot($1) },
    .binary("maximum", torch: ["maximum"], dtypes: [.float64]) { $0.maximum($1) },
    .binary("minimum", torch: ["minimum"], dtypes: [.float64]) { $0.minimum($1) },
    .binary("fmax", torch: ["fmax"], dtypes: [.float64]) { $0.fmax($1) },
    .binary("fmin", torch: ["fmin"], dtypes: [.float64]) { $0.fmin($1) },
    // The quotient is kept between the integers (the divisor in 0.5...2 and the dividend
    // drawn away from its multiples would be ideal; random draws almost never land on a jump).
    .binary("fmod", torch: ["fmod"], dtypes: [.float64], rhsDomain: 0.5...2) { $0.fmod($1) },
    .binary("remainder", torch: ["remainder"], dtypes: [.float64], rhsDomain: 0.5...2) { $0.remainder($1) },
    // `__rmod__(input, other)` computes other % input.
    .binary("rmod", torch: ["__rmod__"], dtypes: [.float64], domain: 0.5...2, rhsDomain: -2...2) { $1.remainder($0) },
    clampRecord,
    OpInfo("lerp", torch: ["lerp"], samples: { dtype, rng in
      [OpSample("tensor weight", [rng.tensor([3, 4], dtype: dtype), rng.tensor([3, 4], dtype: dtype), rng.tensor([4], dtype: dtype)]) {
        [$0[0].lerp($0[1], weight: $0[2])]
      },
       OpSample("weight 0.3", [rng.tensor([3, 4], dtype: dtype), rng.tensor([1, 4], dtype: dtype)]) { [$0[0].lerp($0[1], weight: 0.3)] },
       OpSample("weight 0.8, transposed", [rng.tensor([4, 3], dtype: dtype).transposed(), rng.tensor([3, 4], dtype: dtype)]) {
         [$0[0].lerp($0[1], weight: 0.8)]
       }]
    }, golden: { c in
      let a = try c.tensor(0), b = try c.tensor(1)
      try c.expectBroadcastable([a, b] + (c.isTensor(2) ? [try c.tensor(2)] : []))
      if c.isTensor(2) { return [a.lerp(b, weight: try c.tensor(2))] }
      return [a.lerp(b, weight: try c.double(2, "weight"))]
    }),
    OpInfo("addcmul", torch: ["addcmul"], samples: { dtype, rng in
      [OpSample("value 0.5", [rng.tensor([3, 4], dtype: dtype), rng.tensor([3, 1], dtype: dtype), rng.tensor([4], dtype: dtype)]) {
        [$0[0].addcmul($0[1], $0[2], value: 0.5)]
      }]
    }, golden: { c in
      try c.expectBroadcastable([try c.tensor(0), try c.tensor(1), try c.tensor(2)])
      return [try c.tensor(0).addcmul(try c.tensor(1), try c.tensor(2), value: try c.double(nil, "value", default: 1))]
    }),
    OpInfo("addcdiv", torch: ["addcdiv"], samples: { dtype, rng in
      [OpSample("value 0.5", [rng.tensor([3, 4], dtype: dtype), rng.tensor([3, 1], dtype: dtype), rng.tensor([4], dtype: dtype, in: 0.5...2)]) {
        [$0[0].addcdiv($0[1], $0[2], value: 0.5)]
      }]
    }, golden: { c in
      try c.expectBroadcastable([try c.tensor(0), try c.tensor(1), try c.tensor(2)])
      return [try c.tensor(0).addcdiv(try c.tensor(1), try c.tensor(2), value: try c.double(nil, "value", default: 1))]
    }),
  ]

  /// `clamp` with number or tensor bounds (`clamp_min` and `clamp_max` take one bound).
  static let clampRecord = OpInfo("clamp", torch: ["clamp", "clip", "clamp_min", "clamp_max"], dtypes: [.float64], samples: { dtype, rng in
    // Bounds −0.5 and 0.7; inputs keep away from them.
    func x(_ s: [Int]) -> Tensor { rng.tensor(s, dtype: dtype, in: -2...2, avoiding: [-0.5, 0.7]) }
    let low = rng.tensor([4], dtype: dtype, in: -1.2 ... -0.2), high = rng.tensor([3, 1], dtype: dtype, in: 0.2...1.2)
    return [
      OpSample("[3, 4] in [−0.5, 0.7]", [x([3, 4])]) { [$0[0].clamp(min: -0.5, max: 0.7)] },
      OpSample("[5] min −0.5", [x([5])]) { [$0[0].clamp(min: -0.5)] },
      OpSample("transposed max 0.7", [x([4, 3]).transposed()]) { [$0[0].clamp(max: 0.7)] },
      OpSample("tensor bounds", [rng.tensor([3, 4], dtype: dtype, in: -2...2), low, high]) {
        [$0[0].clamp(min: $0[1], max: $0[2])]
      },
      // PyTorch's clamp_min / clamp_max with a 0-d tensor bound: the bound is differentiable.
      OpSample("0-d tensor min (clamp_min)", [x([3, 4]), Tensor.full([], -0.5, dtype: dtype)]) { [$0[0].clamp(min: $0[1])] },
      OpSample("0-d tensor max (clamp_max)", [x([5]), Tensor.full([], 0.7, dtype: dtype)]) { [$0[0].clamp(max: $0[1])] },
      OpSample("0-d tensor bounds, 0-d input", [x([]), Tensor.full([], -0.5, dtype: dtype), Tensor.full([], 0.7, dtype: dtype)]) {
        [$0[0].clamp(min: $0[1], max: $0[2])]
      },
    ]
  }, golden: { c in
    let x = try c.tensor(0)
    var lowIndex: Int? = 1, highIndex: Int? = 2
    if c.op == "clamp_min" { highIndex = nil }
    if c.op == "clamp_max" { (lowIndex, highIndex) = (nil, 1) }
    // A bound given as a tensor (0-d included) stays a tensor, so it is differentiable; only a
    // Python number takes the number form.
    func bound(_ index: Int?, _ name: String) throws -> (tensor: Tensor?, number: Double?) {
      if let index, c.isTensor(index) { return (try c.tensor(index), nil) }
      return (nil, try c.optionalNumber(index ?? Int.max, name))
    }
    let low = try bound(lowIndex, "min"), high = try bound(highIndex, "max")
    if low.tensor == nil && high.tensor == nil {
      if low.number == nil && high.number == nil { throw ConformanceError.unsupportedArgument("clamp: no bound") }
      return [x.clamp(min: low.number, max: high.number)]
    }
    try c.expectBroadcastable([x] + [low.tensor, high.tensor].compactMap { $0 })
    func asTensor(_ b: (tensor: Tensor?, number: Double?)) -> Tensor? { b.tensor ?? b.number.map { Tensor.full([], $0, dtype: x.dtype) } }
    return [x.clamp(min: asTensor(low), max: asTensor(high))]
  })

  /// Comparisons: boolean outputs, no derivative.
  static let comparisons: [OpInfo] = [
    comparison("eq", torch: ["eq"], dtypes: [.float64, .complex128]) { $0.eq($1) },
    comparison("ne", torch: ["ne", "not_equal"], dtypes: [.float64, .complex128]) { $0.ne($1) },
    comparison("lt", torch: ["lt", "less"]) { $0.lt($1) },
    comparison("le", torch: ["le", "less_equal"]) { $0.le($1) },
    comparison("gt", torch: ["gt", "greater"]) { $0.gt($1) },
    comparison("ge", torch: ["ge", "greater_equal"]) { $0.ge($1) },
  ]

  /// A comparison record: boolean outputs, so `modes: .none`.
  static func comparison(
    _ name: String, torch: [String], dtypes: Set<DType> = [.float64], _ f: @escaping @Sendable (Tensor, Tensor) -> Tensor
  ) -> OpInfo {
    .binary(name, torch: torch, dtypes: dtypes, modes: .none, limits: ["boolean output: no derivative"], f)
  }

  /// A record with its golden adapter replaced.
  static func withGolden(_ record: OpInfo, _ golden: @escaping @Sendable (GoldenCall) throws -> [Tensor]) -> OpInfo {
    var copy = OpInfo(
      record.name, torch: record.torchNames, dtypes: record.dtypes, modes: record.modes, tolerance: record.tolerance,
      limits: record.limits, samples: record.samples, golden: golden)
    copy.edgeSamples = record.edgeSamples
    copy.goldenDeviations = record.goldenDeviations
    return copy
  }
}
