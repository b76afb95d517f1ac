import Models

/// A whole safetensors file through `SafeTensorsFile.read`: the 8-byte header length, the JSON
/// header (names, dtypes, shapes, offsets tiling the data) and the conversion of the data to `Float`.
enum SafeTensorsTarget {
    static func run(_ input: FuzzInput) -> Int32 {
        let path = FuzzScratchFile.store(input.bytes, target: "safetensors")
        return FuzzInput.expectingFactoryErrors { _ = try SafeTensorsFile.read(path: path) }
    }
}
