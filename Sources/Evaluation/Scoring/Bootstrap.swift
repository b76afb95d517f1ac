import FactoryCore
import Foundation

/// Bootstrap resampling of a task's documents, for standard errors.
///
/// Resample r of a task draws as many document indices as the task has, with replacement,
/// from the counter-based stream (seed, task name, r): the same indices on any machine, thread
/// count or evaluation order, and the same for every metric of the task, so a capability's
/// resampled score (the mean over its tasks of each task's resampled primary metric) pairs the
/// tasks' resamples r with r.
struct Bootstrap {
    let resamples: Int
    let seed: UInt64

    /// The document indices of resample `resample` of `task`, which has `count` documents.
    func indices(task: String, resample: Int, count: Int) -> [Int] {
        let stream = RandomStream(seed: seed).split(task, resample)
        return (0..<count).map { Int(stream.word(at: UInt64($0)).multipliedFullWidth(by: UInt64(count)).high) }
    }

    /// For each resample, the mean of `values` over its indices: `[resamples]`.
    func resampledMeans(_ values: [Double], task: String) -> [Double] {
        (0..<resamples).map { resample in
            let drawn = indices(task: task, resample: resample, count: values.count)
            return drawn.reduce(0.0) { $0 + values[$1] } / Double(values.count)
        }
    }

    /// The sample standard deviation (n − 1 in the denominator, as lm-evaluation-harness's
    /// bootstrap uses), summed in order.
    static func standardDeviation(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.reduce(0.0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
    }
}
