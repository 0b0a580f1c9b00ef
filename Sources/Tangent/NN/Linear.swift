import ComplexModule
import RealModule

extension NN {
  /// The affine map `input @ weightᵀ + bias`, like `torch.nn.functional.linear`.
  ///
  /// `input` is `[…, in]` and `weight` is `[out, in]`, giving `[…, out]`; a 1-d `weight`
  /// (`[in]`) gives `[…]`. The leading dims of `input` are flattened into one matrix product.
  ///
  /// Derivative: linear in `input`, `weight` and `bias`; the VJP is `ḡ @ weight` for `input`,
  /// `ḡᵀ @ input` for `weight` and `ḡ` summed to `bias`'s shape (the rules of matmul and add).
  /// - Parameters:
  ///   - input: the inputs, `[…, in]`, at least 1-d.
  ///   - weight: `[out, in]` or `[in]`, the dtype of `input`.
  ///   - bias: added to the product; broadcasts to the output (usually `[out]`).
  /// - Returns: `[…, out]` (`[…]` for a 1-d weight).
  /// - Precondition: `input` is at least 1-d, `weight` is 1-d or 2-d with the same dtype, and
  ///   the `in` sizes agree; `bias` broadcasts to the output.
  public static func linear(_ input: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
    check(
      input.rank >= 1 && (weight.rank == 1 || weight.rank == 2),
      "nn.functional.linear: expected an input of at least 1 dim and a 1-d or 2-d weight, got \(input.shape) and \(weight.shape)")
    let features = input.shape[input.rank - 1]
    check(
      weight.shape[weight.rank - 1] == features,
      "nn.functional.linear: input \(input.shape) has \(features) features but weight \(weight.shape) expects \(weight.shape[weight.rank - 1])")
    check(
      input.dtype == weight.dtype,
      "nn.functional.linear: dtypes differ: input \(input.dtype) \(input.shape), weight \(weight.dtype) \(weight.shape)")
    let batch = Array(input.shape.dropLast())
    var y: Tensor
    if weight.rank == 1 {
      y = input.matmul(weight)
    } else if input.rank <= 2 {
      y = input.matmul(weight.mT)
    } else {
      // One [N, in] @ [in, out] product rather than a batch of them.
      let n = batch.reduce(1, *)
      y = input.reshaped([n, features]).matmul(weight.mT).reshaped(batch + [weight.shape[0]])
    }
    guard let bias else { return y }
    check(
      Shape.broadcast(bias.shape, y.shape) == y.shape,
      "nn.functional.linear: bias \(bias.shape) does not broadcast to the output \(y.shape)")
    return y + bias
  }

  /// The bilinear map `y[…, o] = Σᵢⱼ input1[…, i]·weight[o, i, j]·input2[…, j] + bias[o]`, like
  /// `torch.nn.functional.bilinear`.
  ///
  /// Computed as one matrix product `[N, in1] @ [in1, out·in2]` followed by a product and a
  /// sum over `in2`.
  ///
  /// Derivative: linear in each of `input1`, `input2`, `weight` and `bias` (trilinear in the
  /// first three); the rules of matmul, mul, sum and add give the JVP and VJP.
  /// - Parameters:
  ///   - input1: `[…, in1]`.
  ///   - input2: `[…, in2]`, with the same leading dims.
  ///   - weight: `[out, in1, in2]`.
  ///   - bias: `[out]`, optional.
  /// - Returns: `[…, out]`.
  /// - Precondition: one dtype; the inputs have the same rank (at least 1) and leading dims;
  ///   `weight` is 3-d with sizes matching the inputs; `bias` is `[out]`.
  public static func bilinear(_ input1: Tensor, _ input2: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
    let shapes = "input1 \(input1.shape), input2 \(input2.shape), weight \(weight.shape)" + (bias.map { ", bias \($0.shape)" } ?? "")
    check(
      input1.dtype == input2.dtype && input1.dtype == weight.dtype && (bias == nil || bias!.dtype == input1.dtype),
      "nn.functional.bilinear: all tensors must have the same dtype (\(shapes))")
    check(
      input1.rank >= 1 && input1.rank == input2.rank && input1.shape.dropLast() == input2.shape.dropLast(),
      "nn.functional.bilinear: the inputs need the same rank and leading dims (\(shapes))")
    check(
      weight.rank == 3 && weight.shape[1] == input1.shape[input1.rank - 1] && weight.shape[2] == input2.shape[input2.rank - 1],
      "nn.functional.bilinear: weight must be [out, in1, in2] matching the inputs (\(shapes))")
    check(bias == nil || bias!.shape == [weight.shape[0]], "nn.functional.bilinear: bias must be [out] (\(shapes))")
    let (out, in1, in2) = (weight.shape[0], weight.shape[1], weight.shape[2])
    let batch = Array(input1.shape.dropLast())
    let n = batch.reduce(1, *)
    // t[n, o, j] = Σᵢ x1[n, i]·W[o, i, j]
    let t = input1.reshaped([n, in1]).matmul(weight.permuted([1, 0, 2]).reshaped([in1, out * in2])).reshaped([n, out, in2])
    let y = (t * input2.reshaped([n, 1, in2])).sum(dim: -1).reshaped(batch + [out])
    return bias.map { y + $0 } ?? y
  }
}
