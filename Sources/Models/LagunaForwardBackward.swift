import Tensors

/// What one forward and backward pass of a `LagunaModel` produces for training.
public struct LagunaForwardBackward: Sendable {
    /// The loss minimized: mean next-token cross-entropy, plus `router_aux_loss_coef` × the
    /// auxiliary load-balancing loss when the config asks for it (`output_router_logits`).
    public let loss: Float
    /// The auxiliary load-balancing loss (unscaled), or `nil` when it is not part of the loss.
    public let auxiliaryLoss: Float?
    /// The gradient of `loss` with respect to every parameter (zero for the routing correction biases).
    public let gradients: ParameterSet
    /// The logits `[B·T, V]`.
    public let logits: Tensor
    /// Tokens routed to each expert of each sparse layer in this pass.
    public let expertLoads: LagunaExpertLoads
}
