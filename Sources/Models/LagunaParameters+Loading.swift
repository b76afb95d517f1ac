import FactoryCore
import Tensors

extension LagunaParameters {
    /// The parameters of `config` taken from `tensors` by Hugging Face name, in layout order.
    ///
    /// Sparse layers may be stored fused (the in-memory names) or per expert, as `save_pretrained`
    /// writes them (`LagunaHubLayout`). Names and shapes must then match the layout exactly: a
    /// missing tensor, a tensor of the wrong shape, or a tensor that is not a parameter of
    /// `config` is a `FactoryError.corrupt` naming `source` (the file) and the tensor.
    public static func parameters(of config: LagunaConfig, from tensors: [String: Tensor], source: String) throws -> ParameterSet {
        let tensors = try LagunaHubLayout.fusedTensors(tensors, config: config, source: source)
        var parameters = ParameterSet()
        for (name, shape) in layout(of: config) {
            guard let tensor = tensors[name] else {
                throw FactoryError.corrupt(path: source, reason: "missing tensor \(name) (shape \(shape))")
            }
            guard tensor.shape == shape else {
                throw FactoryError.corrupt(path: source, reason: "tensor \(name) has shape \(tensor.shape), expected \(shape)")
            }
            parameters.append(name, tensor)
        }
        if let unknown = tensors.keys.sorted().first(where: { !parameters.contains($0) }) {
            throw FactoryError.corrupt(path: source, reason: "unknown tensor \(unknown) (not a parameter of this config)")
        }
        return parameters
    }
}
