import FactoryCore
import Tensors

/// The per-matrix part of a Muon step as pure functions: cut a matrix out of a parameter's
/// look-ahead, orthogonalize it. Nothing here reads optimizer state, so the matrices of
/// `ParameterGroups.muonMatrices` can be orthogonalized anywhere (other threads now, other
/// replicas by `ParameterGroups.replicaAssignment`) and the results gathered in matrix order.
public enum MuonUpdate {
    /// Five quintic Newton–Schulz steps (a = 3.4445, b = −4.7750, c = 2.0315) on the matrix
    /// divided by its Frobenius norm + 1e-7, tall matrices transposed.
    public static let newtonSchulz = NewtonSchulzKernel.Settings.muon

    /// The orthogonalized `matrix` (rank 2), unscaled.
    public static func orthogonalize(_ matrix: Tensor, pool: ThreadPool = .serial) throws -> Tensor {
        try NewtonSchulzKernel.orthogonalize(matrix, settings: newtonSchulz, pool: pool)
    }

    /// Orthogonalizes many matrices at once on `pool` (each single-threaded, so the results do
    /// not depend on the thread count).
    public static func orthogonalize(_ matrices: [Tensor], pool: ThreadPool) throws -> [Tensor] {
        try NewtonSchulzKernel.orthogonalize(matrices, settings: newtonSchulz, pool: pool)
    }

    /// The `rows × columns` matrix `matrix` names inside `tensor` (its parameter, or a tensor
    /// shaped like it).
    public static func extract(_ matrix: ParameterGroups.MuonMatrix, from tensor: Tensor) throws -> Tensor {
        let count = matrix.rows * matrix.columns
        guard tensor.rank == (matrix.expert == nil ? 2 : 3), matrix.offset + count <= tensor.count,
            Array(tensor.shape.suffix(2)) == [matrix.rows, matrix.columns]
        else {
            throw FactoryError.invalidArgument(
                name: matrix.parameter,
                message:
                    "shape \(tensor.shape) does not hold a \(matrix.rows)×\(matrix.columns) matrix\(matrix.expert.map { " for expert \($0)" } ?? "")")
        }
        return try Tensor(shape: [matrix.rows, matrix.columns], storage: Array(tensor.storage[matrix.offset..<(matrix.offset + count)]))
    }
}
