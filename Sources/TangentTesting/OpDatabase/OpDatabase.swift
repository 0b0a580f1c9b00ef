import Tangent

/// The op database: one ``OpInfo`` record per op, grouped by family in extensions.
public enum OpDatabase {
  /// Every record.
  public static let all: [OpInfo] =
    (elementwise + activations + special + reductions + scans + sorting + shape + views + products + indexing + nn
    + linalg + decompositions + fft + shapeExtras + legacyLinalg + masked + indexingExtras + shortTime).map(derivingEdgeSamples)

  /// Pointwise records not built by a family: their edge samples are cut from their own
  /// first sample (``EdgeShapes/pointwise(_:)``).
  static let pointwiseRecords: Set<String> = [
    "divRounded", "pow", "rpow", "floatPower", "ldexp", "round", "nanToNum", "clamp", "lerp", "addcmul", "addcdiv",
    "polygamma", "mvlgamma", "logit", "erfcx", "i0", "i0e", "i1", "i1e", "contiguousCopy", "nextAfter",
  ]

  /// Linear-algebra records that batch over leading dims: their edge samples add an empty and
  /// a size-1 batch to their own samples (``EdgeShapes/batched(minRank:_:)``).
  static let batchedRecords: Set<String> = [
    "Linalg.inv", "Linalg.invEx", "Linalg.solve", "Linalg.solveEx", "Linalg.det", "Linalg.slogdet", "Linalg.logdet",
    "Linalg.cholesky", "Linalg.choleskyEx", "Linalg.choleskySolve", "Linalg.choleskyInverse", "Linalg.solveTriangular",
    "Linalg.luFactor", "Linalg.luFactorEx", "Linalg.lu", "Linalg.eigh", "Linalg.eigvalsh", "Linalg.svdvals", "Linalg.svd",
    "Linalg.qr", "Linalg.matrixPower", "Linalg.matrixExp", "Linalg.pinv", "tril", "triu", "Linalg.eig", "Linalg.eigvals",
    "Linalg.triangularSolve", "svd", "qr", "Linalg.lstsq",
  ]

  /// Shape ops of one tensor that work on the other dims, or on every dim alike: their edge
  /// samples make the leading dim of their own sample empty and size 1
  /// (``EdgeShapes/leadingDim(_:)``).
  static let leadingDimRecords: Set<String> = [
    "narrowed", "select", "squeezed", "unsqueezed", "flattened", "diagonal", "flipped", "split", "unbind", "movedim",
    "unflattened", "repeated", "tiled", "roll", "rot90", "fliplr", "flipud", "trace", "padded", "T", "H", "to",
    "linalgDiagonal", "constantPadNd", "atLeast1D", "atLeast2D", "atLeast3D", "hsplit", "dsplit", "diagflat", "zeroed",
    "permute", "transpose", "t", "mT", "mH", "cummax", "cummin",
    "NN.linear", "NN.layerNorm", "NN.rmsNorm", "NN.groupNorm", "NN.conv1d", "NN.conv2d", "NN.conv3d",
    "NN.convTranspose1d", "NN.convTranspose2d", "NN.convTranspose3d", "NN.maxPool1d", "NN.maxPool2d", "NN.maxPool3d",
    "NN.avgPool1d", "NN.avgPool2d", "NN.avgPool3d", "NN.adaptiveAvgPool1d", "NN.adaptiveAvgPool2d", "NN.adaptiveAvgPool3d",
    "NN.adaptiveMaxPool1d", "NN.adaptiveMaxPool2d", "NN.adaptiveMaxPool3d", "NN.localResponseNorm", "NN.channelShuffle",
    "NN.pixelShuffle", "NN.pixelUnshuffle", "NN.glu", "NN.prelu", "NN.unfold", "NN.fold", "NN.interpolate",
  ]

  /// Ops without an identity (PyTorch rejects empty inputs): their edge samples make the
  /// leading dim of their own sample size 1 only.
  static let sizeOneLeadingRecords: Set<String> = [
    "max", "min", "argmax", "argmin", "aminmax", "sort", "msort", "argsort", "median", "nanmedian", "mode", "logSumExp",
  ]

  /// A record with the edge samples derived for it, when it declares none itself.
  static func derivingEdgeSamples(_ record: OpInfo) -> OpInfo {
    guard record.edgeSamples == nil else { return record }
    if pointwiseRecords.contains(record.name) { return record.withEdgeSamples(EdgeShapes.pointwise(record.samples)) }
    if batchedRecords.contains(record.name) { return record.withEdgeSamples(EdgeShapes.batched(record.samples)) }
    if leadingDimRecords.contains(record.name) { return record.withEdgeSamples(EdgeShapes.leadingDim(record.samples)) }
    if sizeOneLeadingRecords.contains(record.name) {
      return record.withEdgeSamples(EdgeShapes.leadingDim(sizes: [1], record.samples))
    }
    return record
  }

  /// Records by PyTorch name.
  static let byTorchName: [String: OpInfo] = {
    var map: [String: OpInfo] = [:]
    for r in all { for n in r.torchNames where map[n] == nil { map[n] = r } }
    return map
  }()

  /// The record answering to a PyTorch op name, if any.
  public static func record(torchName: String) -> OpInfo? { byTorchName[torchName] }

  /// The elementwise absolute value, used for outputs whose sign or phase is free.
  static func absoluteValue(_ x: Tensor) throws -> Tensor { x.abs() }

  /// Applies a golden case's input transform to its first argument.
  static func applyTransform(_ name: String, _ x: Tensor) throws -> Tensor {
    switch name {
    case "hermitian": return (x + x.mH) / 2
    case "hermitian_pd":
      let n = x.shape.last ?? 0
      return x.matmul(x.mH) + Tensor.eye(n, dtype: x.dtype) * Double(n)
    case "lu_factor":
      // The first argument becomes the pair (LU, pivots) = linalg.lu_factor(X). The runner
      // passes one tensor on, so X goes through unchanged and the adapters of the ops that
      // take the pair (linalg.lu_solve, lu_unpack) factor it: see `OpDatabase.luPair`.
      return x
    default: throw ConformanceError.unsupportedArgument("input transform \(name) is not supported yet")
    }
  }
}
