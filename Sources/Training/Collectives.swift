import FactoryCore
import Models
import Tensors

/// The communication one replica of data-parallel training needs, seen from that replica (one
/// rank of a group of `size`): every rank calls the same operations in the same order (SPMD), and
/// each call returns once every rank has made it.
///
/// `ReplicaTrainer`, the training loop, talks to the other replicas only through this protocol,
/// so where the replicas run is the implementation's business:
///
/// - `InProcessCollectives`: replicas as threads of one process (`Trainer` starts them; a single
///   replica is a group of one, whose all-reduce is the identity).
/// - Across machines (DESIGN section 6: over MPI, an existing standard engine, never a home-made
///   network protocol), an implementation would wrap an MPI communicator, with `rank` and `size`
///   from `MPI_Comm_rank`/`MPI_Comm_size`, and map the operations one to one:
///   `allGather` of plain values to `MPI_Allgather` (`MPI_BYTE`, `count × MemoryLayout<Element>.stride`
///   bytes), `broadcast` to `MPI_Bcast`, `barrier` to `MPI_Barrier`, the tensor variants to the same
///   calls over each tensor's `Float` storage (names and shapes are equal on every rank by
///   construction, except in `allGather(_: ParameterSet)`, whose sets are preceded by a byte header
///   of names and shapes with `MPI_Allgatherv`). `allReduceSum` must keep its fixed order, so not
///   `MPI_Allreduce` (whose reduction order is unspecified) but a chain: rank 0 folds its terms and
///   sends the partial sum to rank 1 (`MPI_Send`/`MPI_Recv`), which folds its own terms into it and
///   passes it on, and the last rank broadcasts the total. A failing rank calls `MPI_Abort`. Each
///   process would build one `ReplicaTrainer` with that implementation and run it (launched by
///   `mpirun -n R`); the trainer itself does not change.
public protocol Collectives: Sendable {
    /// This replica's index, `0..<size`.
    var rank: Int { get }
    /// The number of replicas.
    var size: Int { get }

    /// The sum of every rank's `terms` in one fixed order: rank 0's terms in order, then rank 1's,
    /// and so on, folded left (`((t₀ + t₁) + t₂) + …`, elementwise), so the result is bitwise that
    /// of summing the same terms in that order in one process, whatever the number of ranks. Every
    /// term of every rank has the same names and shapes; every rank gets the sum.
    func allReduceSum(_ terms: [ParameterSet], pool: ThreadPool) throws -> ParameterSet

    /// Every rank's `tensors`, in rank order (the sets may differ in names and shapes).
    func allGather(_ tensors: ParameterSet) throws -> [ParameterSet]

    /// Every rank's `values`, in rank order.
    func allGather<Element: BitwiseCopyable & Sendable>(_ values: [Element]) throws -> [[Element]]

    /// `root`'s `tensors` on every rank (the other ranks' argument, same names and shapes, is ignored).
    func broadcast(_ tensors: ParameterSet, from root: Int) throws -> ParameterSet

    /// `root`'s `values` on every rank (the other ranks' argument is ignored).
    func broadcast<Element: BitwiseCopyable & Sendable>(_ values: [Element], from root: Int) throws -> [Element]

    /// Returns once every rank has called it.
    func barrier() throws
}
