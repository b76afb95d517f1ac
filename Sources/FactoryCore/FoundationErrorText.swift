import Foundation

/// Foundation's file errors (`NSCocoaErrorDomain`, `NSPOSIXErrorDomain`) as a user reads them: the
/// path and the operating system's reason, instead of a dump of the error's fields.
public enum FoundationErrorText {
    /// Whether `error` is one of Foundation's file-system errors.
    public static func isFoundationError(_ error: any Error) -> Bool {
        let domain = (error as NSError).domain
        return domain == NSCocoaErrorDomain || domain == NSPOSIXErrorDomain
    }

    /// The path the error names, if any.
    public static func path(_ error: any Error) -> String? {
        let info = (error as NSError).userInfo
        return info[NSFilePathErrorKey] as? String ?? (info[NSURLErrorKey] as? URL)?.path
    }

    /// Why it failed: the operating system's text for the underlying error when there is one
    /// ("Permission denied"), else a sentence for the Cocoa error code, else Foundation's own.
    public static func reason(_ error: any Error) -> String {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        guard error.domain == NSCocoaErrorDomain else { return error.localizedDescription }
        switch CocoaError.Code(rawValue: error.code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return String(cString: strerror(ENOENT))
        case .fileReadNoPermission, .fileWriteNoPermission: return String(cString: strerror(EACCES))
        case .fileWriteVolumeReadOnly: return String(cString: strerror(EROFS))
        case .fileWriteOutOfSpace: return String(cString: strerror(ENOSPC))
        case .fileWriteFileExists: return String(cString: strerror(EEXIST))
        case .fileReadTooLarge: return "the file is too large to read whole"
        case .fileReadInapplicableStringEncoding, .fileWriteInapplicableStringEncoding: return "the text is not in the expected encoding"
        default: return error.localizedDescription
        }
    }

    /// "PATH: REASON", or the reason alone when the error names no path.
    public static func message(_ error: any Error) -> String {
        path(error).map { "\($0): \(reason(error))" } ?? reason(error)
    }
}
