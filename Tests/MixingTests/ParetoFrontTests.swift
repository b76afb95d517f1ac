import Testing

@testable import Mixing

@Suite struct ParetoFrontTests {
    @Test func theFrontIsWhatNothingBeatsEverywhere() {
        let points: [[Double]] = [
            [0.1, 0.9],  // front
            [0.5, 0.5],  // front
            [0.4, 0.4],  // dominated by [0.5, 0.5]
            [0.9, 0.1],  // front
            [0.5, 0.5],  // a tie: neither dominates the other
            [0.9, 0.05],  // dominated by [0.9, 0.1]
            [.nan, 1],  // never on the front
        ]
        #expect(ParetoFront.nonDominated(points) == [true, true, false, true, true, false, false])
        #expect(ParetoFront.nonDominated([[1, 2, 3]]) == [true])
        #expect(ParetoFront.nonDominated([]) == [])
    }
}
