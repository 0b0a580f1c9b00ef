/// AdamW (Loshchilov and Hutter 2019): Adam with decoupled weight decay,
/// `torch.optim.AdamW`'s update and defaults.
///
/// The weight decay shrinks the parameter directly instead of entering the gradient (and so
/// the moments). With learning rate γ, betas (β₁, β₂), ε and weight decay λ, step t is
///
///     gₜ ← −gₜ                               (when maximizing)
///     θ′ = θₜ₋₁ (1 − γλ)
///     mₜ = β₁ mₜ₋₁ + (1 − β₁) gₜ
///     vₜ = β₂ vₜ₋₁ + (1 − β₂) gₜ²
///     v̂ₜ = max(v̂ₜ₋₁, vₜ) (AMSGrad),  vₜ (otherwise)
///     θₜ = θ′ − γ/(1 − β₁ᵗ) · mₜ / (√v̂ₜ / √(1 − β₂ᵗ) + ε)
///
/// The defaults are Adam's, except λ = 0.01. One implementation with ``Adam``
/// (``AdamOptimizer``); only the weight decay differs (``DecoupledWeightDecay``).
public typealias AdamW = AdamOptimizer<DecoupledWeightDecay>
