import Synchronization

/// Zeroes elements at random in training mode, like `torch.nn.Dropout`
/// (``NN/dropout(_:p:training:using:)``); the identity in evaluation mode.
///
/// The layer owns a random stream: a ``SeededGenerator`` when given a seed (reproducible
/// masks), else the system's generator. Like PyTorch's generator, the stream is state outside
/// the parameters and buffers: it advances on every training-mode call, and copies of the
/// layer (and of models holding it) share it, so successive calls draw new masks. Under
/// ``vmap(of:inDim:outDim:chunkSize:randomness:)`` a training-mode dropout follows `vmap`'s
/// `randomness` (an error by default, as PyTorch).
public struct Dropout: Module, Sendable {
  /// The probability of zeroing an element, in [0, 1].
  public var p: Double
  /// Whether the layer is in training mode (the default).
  public var isTraining = true
  var stream: DropoutStream

  /// A layer dropping with probability `p`.
  /// - Parameters:
  ///   - p: the probability of zeroing, in [0, 1].
  ///   - seed: the seed of the layer's random stream, or `nil` for the system's generator.
  /// - Precondition: `p` in [0, 1].
  public init(p: Double = 0.5, seed: UInt64? = nil) {
    check(p >= 0 && p <= 1, "nn.Dropout: p must be in [0, 1], got \(p)")
    self.p = p
    stream = DropoutStream(seed: seed)
  }

  /// Restarts the random stream from `seed` (for this layer and the copies sharing it).
  public func reseed(_ seed: UInt64) { stream.state.withLock { $0 = SeededGenerator(seed: seed) } }

  /// The input with elements zeroed and the rest scaled by `1/(1 − p)` in training mode;
  /// the input in evaluation mode.
  public mutating func forward(_ input: Tensor) -> Tensor {
    guard isTraining && p > 0 else { return input }
    if stream.system {
      var g = SystemRandomNumberGenerator()
      return NN.dropout(input, p: p, training: true, using: &g)
    }
    return stream.state.withLock { NN.dropout(input, p: p, training: true, using: &$0) }
  }

  /// The training flag.
  public mutating func visit(_ visitor: inout ModuleVisitor) { visitor.trainingFlag(&isTraining) }
}

/// A dropout layer's random stream, shared by its copies.
final class DropoutStream: Sendable {
  let state: Mutex<SeededGenerator>
  let system: Bool

  init(seed: UInt64?) {
    state = Mutex(SeededGenerator(seed: seed ?? 0))
    system = seed == nil
  }
}
