import Logging

/// Logging setup shared by the command-line tool and library users: swift-log, to standard error.
public enum FactoryLogging {
    /// Installs the standard-error handler at `level`. Call once, at program start.
    public static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// A logger for a factory component ("factory.data", "factory.train").
    public static func logger(_ component: String) -> Logger {
        Logger(label: "factory.\(component)")
    }
}
