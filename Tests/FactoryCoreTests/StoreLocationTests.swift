import Testing

@testable import FactoryCore

@Suite struct StoreLocationTests {
    @Test func defaultsToDotFactoryInWorkingDirectory() {
        #expect(StoreLocation.resolve(environment: [:], workingDirectory: "/work/project") == "/work/project/.factory")
    }

    @Test func environmentOverrides() {
        #expect(StoreLocation.resolve(environment: ["FACTORY_STORE": "/data/store"], workingDirectory: "/w") == "/data/store")
        #expect(StoreLocation.resolve(environment: ["FACTORY_STORE": "store"], workingDirectory: "/w") == "/w/store")
    }
}
