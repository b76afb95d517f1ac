import Testing

@testable import Tensors

@Suite struct WeightHashKernelTests {
    @Test func equalTensorsHashEqualAndEveryBitMatters() throws {
        let x = try Tensor(shape: [7], storage: [0.5, -1, 2, 3.25, 0, -0, 9])
        #expect(WeightHashKernel.hash(x) == WeightHashKernel.hash(try Tensor(shape: [7], storage: x.storage)))
        var seen = Set([WeightHashKernel.hash(x)])
        for element in 0..<x.count {
            for bit in 0..<32 {
                var storage = x.storage
                storage[element] = Float(bitPattern: storage[element].bitPattern ^ (1 << UInt32(bit)))
                seen.insert(WeightHashKernel.hash(try Tensor(shape: [7], storage: storage)))
            }
        }
        #expect(seen.count == 1 + 7 * 32)
    }

    /// Four whole 32-byte stripes (the four-lane part) and a tail of five elements.
    @Test func everyBitMattersAcrossLanesAndTail() throws {
        let x = try Tensor(shape: [37], storage: (0..<37).map { Float($0) * 0.37 - 5 })
        var seen = Set([WeightHashKernel.hash(x)])
        for element in 0..<x.count {
            for bit in 0..<32 {
                var storage = x.storage
                storage[element] = Float(bitPattern: storage[element].bitPattern ^ (1 << UInt32(bit)))
                seen.insert(WeightHashKernel.hash(try Tensor(shape: [37], storage: storage)))
            }
        }
        #expect(seen.count == 1 + 37 * 32)
        var swapped = x.storage
        swapped.swapAt(0, 2)
        #expect(WeightHashKernel.hash(try Tensor(shape: [37], storage: swapped)) != WeightHashKernel.hash(x), "order across lanes matters")
    }

    @Test func lengthSeedAndOrderMatter() throws {
        let a = try Tensor(shape: [2], storage: [1, 2])
        let b = try Tensor(shape: [3], storage: [1, 2, 0])
        #expect(WeightHashKernel.hash(a) != WeightHashKernel.hash(b))
        #expect(WeightHashKernel.hash(a, seed: 1) != WeightHashKernel.hash(a))
        #expect(WeightHashKernel.combine([1, 2]) != WeightHashKernel.combine([2, 1]))
        #expect(WeightHashKernel.combine([]) != WeightHashKernel.combine([0]))
    }
}
