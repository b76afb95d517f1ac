import FactoryCore
import Testing

@testable import Tensors

@Suite struct TensorTests {
    @Test func rowMajorIndexing() throws {
        var tensor = try Tensor(shape: [2, 3, 4])
        tensor[1, 2, 3] = 7
        #expect(tensor.storage[1 * 12 + 2 * 4 + 3] == 7)
        #expect(tensor.count == 24)
        #expect(tensor.rank == 3)
    }

    @Test func badShapesAreRejected() throws {
        #expect { try Tensor(shape: [2, -1]) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "tensor shape" && message.contains("[2, -1] has a negative extent")
        }
        #expect(throws: FactoryError.invalidArgument(name: "tensor storage", message: "shape [2, 2] needs 4 elements, got 3")) {
            try Tensor(shape: [2, 2], storage: [1, 2, 3])
        }
        #expect { try Tensor(shape: [2, 3]).reshaped([4, 2]) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "tensor storage" && message.contains("shape [4, 2] needs 8 elements, got 6")
        }
        #expect(try Tensor(shape: [2, 3]).reshaped([3, 2]).shape == [3, 2])
    }
}
