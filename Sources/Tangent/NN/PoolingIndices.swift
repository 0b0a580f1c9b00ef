// Max pooling with the position of each maximum (PyTorch's `return_indices=True`) for 1 and 3
// spatial dims and for adaptive pooling. The 2-d pool has its own
// `maxPool2dWithIndices(_:kernelSize:stride:padding:dilation:ceilMode:)` in Pooling.swift.

extension NN {
  /// ``maxPool1d(_:kernelSize:stride:padding:dilation:ceilMode:)`` with the position of each
  /// maximum in the input's last dim, like `max_pool1d(…, return_indices=True)`.
  ///
  /// Derivative: that of `maxPool1d` for the values; the indices have none.
  /// - Returns: the values and `int64` indices, both `[N, C, ow]` (or `[C, ow]`).
  /// - Precondition: as for `maxPool1d`.
  public static func maxPool1dWithIndices(
    _ input: Tensor, kernelSize: Int, stride: Int? = nil, padding: Int = 0, dilation: Int = 1, ceilMode: Bool = false
  ) -> (values: Tensor, indices: Tensor) {
    let w = maxPoolWindows(
      input, spatial: 1, kernelSize: Sizes(kernelSize), stride: stride.map { Sizes($0) }, padding: Sizes(padding),
      dilation: Sizes(dilation), ceilMode: ceilMode, op: "nn.functional.max_pool1d")
    return trackedMaxPool(input, spatial: 1, windows: w)
  }

  /// ``maxPool3d(_:kernelSize:stride:padding:dilation:ceilMode:)`` with the position of each
  /// maximum, like `max_pool3d(…, return_indices=True)`: the flat index `d·H·W + h·W + w` into
  /// the input's spatial dims.
  ///
  /// Derivative: that of `maxPool3d` for the values; the indices have none.
  /// - Returns: the values and `int64` indices, both `[N, C, od, oh, ow]` (or `[C, od, oh, ow]`).
  /// - Precondition: as for `maxPool3d`.
  public static func maxPool3dWithIndices(
    _ input: Tensor, kernelSize: Sizes, stride: Sizes? = nil, padding: Sizes = 0, dilation: Sizes = 1, ceilMode: Bool = false
  ) -> (values: Tensor, indices: Tensor) {
    let w = maxPoolWindows(
      input, spatial: 3, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode,
      op: "nn.functional.max_pool3d")
    return trackedMaxPool(input, spatial: 3, windows: w)
  }

  /// ``adaptiveMaxPool1d(_:outputSize:)`` with the position of each maximum in the input's
  /// last dim, like `adaptive_max_pool1d(…, return_indices=True)`.
  ///
  /// Derivative: that of `adaptiveMaxPool1d` for the values; the indices have none.
  /// - Returns: the values and `int64` indices, both `[N, C, outputSize]` (or `[C, outputSize]`).
  /// - Precondition: as for `adaptiveMaxPool1d`.
  public static func adaptiveMaxPool1dWithIndices(_ input: Tensor, outputSize: Int) -> (values: Tensor, indices: Tensor) {
    adaptiveMaxPoolWithIndices(input, outputSize: [outputSize], spatial: 1, op: "nn.functional.adaptive_max_pool1d")
  }

  /// ``adaptiveMaxPool2d(_:outputSize:)-(_,[Int?])`` with the position of each maximum, like
  /// `adaptive_max_pool2d(…, return_indices=True)`: the flat index `h·W + w`.
  ///
  /// Derivative: that of `adaptiveMaxPool2d` for the values; the indices have none.
  /// - Parameters:
  ///   - input: `[N, C, H, W]` or `[C, H, W]`.
  ///   - outputSize: `[oh, ow]`; `nil` keeps the input's size in that dim.
  /// - Returns: the values and `int64` indices, both `[N, C, oh, ow]` (or `[C, oh, ow]`).
  /// - Precondition: as for `adaptiveMaxPool2d`.
  public static func adaptiveMaxPool2dWithIndices(_ input: Tensor, outputSize: [Int?]) -> (values: Tensor, indices: Tensor) {
    adaptiveMaxPoolWithIndices(input, outputSize: outputSize, spatial: 2, op: "nn.functional.adaptive_max_pool2d")
  }

  /// ``adaptiveMaxPool3d(_:outputSize:)-(_,[Int?])`` with the position of each maximum, like
  /// `adaptive_max_pool3d(…, return_indices=True)`: the flat index `d·H·W + h·W + w`.
  ///
  /// Derivative: that of `adaptiveMaxPool3d` for the values; the indices have none.
  /// - Parameters:
  ///   - input: `[N, C, D, H, W]` or `[C, D, H, W]`.
  ///   - outputSize: `[od, oh, ow]`; `nil` keeps the input's size in that dim.
  /// - Returns: the values and `int64` indices, both `[N, C, od, oh, ow]` (or `[C, od, oh, ow]`).
  /// - Precondition: as for `adaptiveMaxPool3d`.
  public static func adaptiveMaxPool3dWithIndices(_ input: Tensor, outputSize: [Int?]) -> (values: Tensor, indices: Tensor) {
    adaptiveMaxPoolWithIndices(input, outputSize: outputSize, spatial: 3, op: "nn.functional.adaptive_max_pool3d")
  }
}
