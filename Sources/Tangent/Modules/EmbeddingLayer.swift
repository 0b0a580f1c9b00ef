/// A lookup table of vectors, like `torch.nn.Embedding` (``NN/embedding(_:weight:paddingIndex:)``):
/// `int64` indices of any shape give `indices.shape + [embeddingDim]`.
///
/// Parameter `"weight"` `[numEmbeddings, embeddingDim]`, initialised from N(0, 1) as PyTorch,
/// with the row at `paddingIndex` zero (and never trained by reverse mode).
public struct Embedding: Module {
  /// The table, `[numEmbeddings, embeddingDim]`.
  public var weight: Tensor
  /// The row that is read but not trained, or `nil`.
  public let paddingIndex: Int?

  /// A table with PyTorch's initialisation, drawn from `generator`.
  /// - Precondition: positive sizes; `paddingIndex` in `-numEmbeddings..<numEmbeddings`.
  public init<G: RandomNumberGenerator>(
    _ numEmbeddings: Int, _ embeddingDim: Int, paddingIndex: Int? = nil, dtype: DType = .float64, using generator: inout G
  ) {
    check(numEmbeddings > 0 && embeddingDim > 0, "nn.Embedding: sizes must be positive, got \(numEmbeddings) and \(embeddingDim)")
    var w = NN.Init.normal([numEmbeddings, embeddingDim], dtype: dtype, using: &generator)
    if let paddingIndex {
      check(
        paddingIndex >= -numEmbeddings && paddingIndex < numEmbeddings,
        "nn.Embedding: paddingIndex \(paddingIndex) out of range for \(numEmbeddings) embeddings")
      w = w.indexFill(dim: 0, index: Tensor([(paddingIndex + numEmbeddings) % numEmbeddings]), value: 0)
    }
    weight = w
    self.paddingIndex = paddingIndex
  }

  /// A table with the given weight.
  /// - Precondition: a 2-d weight.
  public init(weight: Tensor, paddingIndex: Int? = nil) {
    check(weight.rank == 2, "nn.Embedding: the weight must be [numEmbeddings, embeddingDim], got \(weight.shape)")
    self.weight = weight
    self.paddingIndex = paddingIndex
  }

  /// The rows at `input`.
  public mutating func forward(_ input: Tensor) -> Tensor { NN.embedding(input, weight: weight, paddingIndex: paddingIndex) }

  /// The parameter `weight`.
  public mutating func visit(_ visitor: inout ModuleVisitor) { visitor.parameter("weight", &weight) }
}
