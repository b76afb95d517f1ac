import Inference

/// `GET /metrics`: the engine's statistics in Prometheus' text exposition format (0.0.4).
enum PrometheusMetrics {
    /// The exposition text for `statistics`.
    static func text(_ statistics: EngineStatistics) -> String {
        let s = statistics
        var lines = [String]()
        func metric(_ name: String, _ type: String, _ help: String, _ value: Double) {
            lines.append("# HELP factory_\(name) \(help)")
            lines.append("# TYPE factory_\(name) \(type)")
            lines.append("factory_\(name) \(format(value))")
        }
        metric("queue_length", "gauge", "Requests waiting for a slot.", Double(s.queued))
        metric("batch_size", "gauge", "Requests in the decode batch now.", Double(s.running))
        metric("cached_tokens", "gauge", "Positions held in the running requests' KV caches.", Double(s.cachedTokens))
        metric("cache_bytes", "gauge", "Bytes held by the running requests' KV caches.", Double(s.cacheBytes))
        metric("requests_finished_total", "counter", "Requests finished since start.", Double(s.requestsFinished))
        metric("prompt_tokens_total", "counter", "Prompt tokens prefilled since start.", Double(s.promptTokens))
        metric("generation_tokens_total", "counter", "Tokens generated since start.", Double(s.generatedTokens))
        metric("decode_steps_total", "counter", "Batched decode steps run since start.", Double(s.decodeSteps))
        metric(
            "mean_batch_size", "gauge", "Sequences per decode step since start.",
            s.decodeSteps > 0 ? Double(s.decodedSequences) / Double(s.decodeSteps) : 0)
        metric(
            "prefill_tokens_per_second", "gauge", "Prompt tokens per second of prefill since start.",
            s.prefillSeconds > 0 ? Double(s.promptTokens) / s.prefillSeconds : 0)
        metric(
            "decode_tokens_per_second", "gauge", "Tokens per second of decode steps since start.",
            s.decodeSeconds > 0 ? Double(s.decodedSequences) / s.decodeSeconds : 0)
        lines.append("# HELP factory_time_to_first_token_seconds Time from submission to first token.")
        lines.append("# TYPE factory_time_to_first_token_seconds summary")
        lines.append("factory_time_to_first_token_seconds_sum \(format(s.timeToFirstTokenSum))")
        lines.append("factory_time_to_first_token_seconds_count \(s.timeToFirstTokenCount)")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }
}
