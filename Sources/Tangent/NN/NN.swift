/// The functional neural-network ops, like `torch.nn.functional`: `NN.linear(x, weight: w)`.
///
/// A namespace with no cases; each op is a static function written with differentiable
/// Tensor ops, so its derivatives of every order come from theirs.
public enum NN {}
