import FactoryCore
import Testing

/// Sizes are checked against the machine before anything is allocated.
@Suite struct MemoryBudgetTests {
    @Test func productsReportOverflow() {
        #expect(MemoryBudget.product(4, 1024, 1024) == 4 << 20)
        #expect(MemoryBudget.product(1 << 40, 1 << 40) == nil)
        #expect(MemoryBudget.product(-1, 8) == nil)
        #expect(MemoryBudget.sum(1 << 20, 3, 5) == (1 << 20) + 8)
        #expect(MemoryBudget.sum(Int.max, 1) == nil)
        #expect(MemoryBudget.sum(-1, 8) == nil)
    }

    @Test func refusalsNameTheSettingAndTheEstimate() throws {
        try MemoryBudget.require(1 << 20, for: "a small table", name: "x.toml: key 'size'", limit: 1 << 30)
        #expect(
            throws: FactoryError.invalidArgument(
                name: "x.toml: key 'size'", message: "the table needs about 4.0 GiB of memory; this machine has 1.0 GiB")
        ) { try MemoryBudget.require(4 << 30, for: "the table", name: "x.toml: key 'size'", limit: 1 << 30) }
        #expect(
            throws: FactoryError.invalidArgument(
                name: "--batch", message: "the batch needs more than 8 EiB of memory; this machine has 1.0 GiB")
        ) { try MemoryBudget.require(nil, for: "the batch", name: "--batch", limit: 1 << 30) }
        #expect(MemoryBudget.describe(512) == "512 B")
        #expect(MemoryBudget.describe(3 << 29) == "1.5 GiB")
    }
}
