import Inference
import Testing

@Suite struct GenerationRequestTests {
    @Test func greedyHasZeroTemperatureAndNoFilters() {
        let greedy = SamplingParameters.greedy
        #expect(greedy.temperature == 0)
        #expect(greedy.topK == 0 && greedy.topP == 1 && greedy.minP == 0 && greedy.repetitionPenalty == 1)
    }
}
