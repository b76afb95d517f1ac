import ArgumentParser
import FactoryCore
import Inference
import Logging
import Server

/// `factory serve`: the OpenAI-compatible API over a checkpoint folder, until SIGTERM or SIGINT
/// (running requests finish first).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a checkpoint folder over the OpenAI API (/v1/completions, /v1/chat/completions, /v1/models, /health, /metrics).")

    @OptionGroup var engine: EngineOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 8000

    @Option(help: "The model name the API lists and requests give (default: the folder's name).")
    var servedName: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port)") }
    }

    func run() async throws {
        let (folder, service) = try engine.load()
        let model = ServedModel(folder: folder, name: servedName)
        var logger = Logger(label: "factory.serve")
        logger.logLevel = .notice
        print("serving \(model.name) (\(folder.directory)) on http://\(host):\(port)/v1 — SIGTERM or Ctrl-C drains and stops")
        try await OpenAIServer(model: model, service: service).serve(host: host, port: port, logger: logger)
        print("drained; stopped")
    }
}
