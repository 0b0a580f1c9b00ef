extension NN {
  /// `input` padded, like `torch.nn.functional.pad(input, pad, mode, value)`: the same as
  /// ``Tensor/padded(_:mode:value:)``, under PyTorch's functional name.
  ///
  /// `pad` lists `(before, after)` amounts for the last dims, from the last dim backwards;
  /// negative amounts crop.
  ///
  /// Derivative: linear in the input. `.constant`: the VJP crops the cotangent; other modes
  /// add each padded position's cotangent back to the element it copies.
  /// - Parameters:
  ///   - input: the tensor to pad.
  ///   - pad: an even number of amounts, at most two per dim.
  ///   - mode: a constant, the reflection, the edge value, or wrapping around.
  ///   - value: the constant of `.constant` mode.
  /// - Precondition: as for ``Tensor/padded(_:mode:value:)``.
  public static func pad(_ input: Tensor, _ pad: [Int], mode: PaddingMode = .constant, value: Double = 0) -> Tensor {
    input.padded(pad, mode: mode, value: value)
  }
}
