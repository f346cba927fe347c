import CFFmpeg
import MatteCore

/// Human wording for libav status codes, and the log hook that keeps libav's last error line.
public enum LibAV {
    /// libav's text for a negative status code, e.g. "Invalid data found when processing input".
    public static func describe(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        av_strerror(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Routes libav's log through vmatte: errors are kept for messages, and printed only when
    /// `verbose` (then warnings too). Call once at start-up, before any libav work.
    public static func configureLogging(verbose: Bool) {
        vm_log_install(verbose ? AV_LOG_WARNING : AV_LOG_QUIET)
    }

    /// The last error line libav logged since the previous call, if any.
    public static func takeLastLogLine() -> String? {
        var buffer = [CChar](repeating: 0, count: 512)
        vm_log_take_last(&buffer, buffer.count)
        let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return line.isEmpty ? nil : line
    }

    /// An error naming the file and stage, with libav's reason in words.
    public static func error(_ kind: VMatteError.Kind, _ context: String, code: Int32) -> VMatteError {
        var reason = describe(code)
        if let detail = takeLastLogLine(), !detail.isEmpty, detail != reason { reason += " (\(detail))" }
        return VMatteError(kind, "\(context): \(reason)")
    }

    public static var eof: Int32 { vm_averror_eof() }
    public static var again: Int32 { vm_averror_eagain() }
    public static var noPTS: Int64 { vm_nopts_value() }
}
