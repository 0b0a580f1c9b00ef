import Tangent

extension GoldenCall {
  /// PyTorch's `reduction` argument (the legacy `size_average` and `reduce` must be null).
  func reduction(_ index: Int) throws -> NN.Reduction {
    try expectDefault("size_average") { _ in false }
    try expectDefault("reduce") { _ in false }
    let text = try string(index, "reduction", default: "mean") ?? "mean"
    guard let r = NN.Reduction(rawValue: text) else { throw ConformanceError.unsupportedArgument("\(op): reduction \(text)") }
    return r
  }

  /// PyTorch's `int | tuple` size arguments, or `nil` when absent, null or empty.
  func sizes(_ index: Int, _ name: String) throws -> NN.Sizes? {
    guard let v = try ints(index, name), !v.isEmpty else { return nil }
    return NN.Sizes(v)
  }

  /// A convolution's `padding` given as a string (`"same"` or `"valid"`), or `nil` when it is
  /// a number or a list.
  func namedPadding(_ index: Int) throws -> NN.ConvolutionPadding? {
    guard case .string(let name)? = value(index, "padding") else { return nil }
    guard let mode = NN.ConvolutionPadding(rawValue: name) else {
      throw ConformanceError.unsupportedArgument("\(op): padding \"\(name)\" is not supported")
    }
    return mode
  }

  /// `interpolate`'s `scale_factor`: one number or a list (absent or null → nil).
  func scaleFactors(_ index: Int) throws -> [Double]? {
    switch value(index, "scale_factor") {
    case .number(let d)?: return [d]
    case .array(let a)?:
      return try a.map {
        guard let d = $0.number else { throw ConformanceError.unsupportedArgument("\(op): scale_factor has \($0)") }
        return d
      }
    case .null?, nil: return nil
    case let v?: throw ConformanceError.unsupportedArgument("\(op): scale_factor is \(v)")
    }
  }

  /// A size argument with a default.
  func sizes(_ index: Int, _ name: String, default value: Int) throws -> NN.Sizes { try sizes(index, name) ?? NN.Sizes(value) }

  /// An adaptive pool's `output_size` for `count` spatial dims: one number for all, or one
  /// per dim (null keeps the input's size).
  func outputSize(_ index: Int, count: Int) throws -> [Int?] {
    guard let sizes = try openSizes(index, "output_size", count: count) else {
      throw ConformanceError.invalidCase("\(op): missing output_size")
    }
    return sizes
  }

  /// The value of a single-valued size argument (an integer or a 1-tuple).
  func size(_ index: Int, _ name: String) throws -> Int? {
    guard let v = try sizes(index, name)?.values else { return nil }
    guard v.count == 1 else { throw ConformanceError.unsupportedArgument("\(op): \(name) \(v) must have one value") }
    return v[0]
  }

  /// A required single-valued size argument.
  func requiredSize(_ index: Int, _ name: String) throws -> Int {
    guard let v = try size(index, name) else { throw ConformanceError.invalidCase("\(op): missing \(name)") }
    return v
  }

  /// The positional tensor at `index`, or `nil` when it is absent or null.

  /// A fractional max pool's `_random_samples` (required: PyTorch's random stream cannot be
  /// reproduced) and `output_ratio` (one number or one per dim).
  func fractionalPoolArguments() throws -> (samples: Tensor, ratio: [Double]?) {
    try expectDefault("return_indices") { $0.bool == false }
    guard let samples = try optionalTensor(5) else {
      throw ConformanceError.unsupportedArgument("\(op): without _random_samples it draws from PyTorch's random stream")
    }
    let ratio = try doubles(3, "output_ratio")
    return (samples, ratio)
  }

  /// Throws unless the random op runs in evaluation mode (or with p = 0): PyTorch's random
  /// stream cannot be reproduced.
  func expectDeterministic(trainingIndex: Int, default training: Bool, pIndex: Int) throws {
    if try bool(trainingIndex, "training", default: training), try double(pIndex, "p", default: 0.5) > 0 {
      throw ConformanceError.unsupportedArgument("\(op): training draws from PyTorch's random stream")
    }
  }
}
