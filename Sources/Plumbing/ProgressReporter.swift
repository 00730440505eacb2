import Foundation

/// Progress of long work on standard error: a redrawn bar on a terminal, plain lines otherwise
/// (logs, CI), and every plain line also appended to an optional log file.
public final class ProgressReporter {
    private let isTerminal: Bool
    private let logFile: FileHandle?
    private let start = Date()
    private var lastPlainLine = Date.distantPast
    private var barVisible = false

    /// A reporter writing to standard error and, when given, to the log file at `logPath`.
    public init(logPath: String? = nil, forcePlain: Bool = false) {
        isTerminal = !forcePlain && isatty(STDERR_FILENO) != 0
        if let logPath {
            // A resumed run appends to its log; an unwritable log only loses the copy on disk.
            let exists = FileManager.default.fileExists(atPath: logPath)
                || FileManager.default.createFile(atPath: logPath, contents: nil)
            logFile = exists ? FileHandle(forWritingAtPath: logPath) : nil
            logFile?.seekToEndOfFile()
        } else {
            logFile = nil
        }
    }

    /// Shows `done` of `total` units of the current step with `detail`; the ETA assumes a steady pace
    /// since `stepStart`.
    public func update(_ label: String, done: Int, total: Int, detail: String, stepStart: Date) {
        let elapsed = Date().timeIntervalSince(stepStart)
        let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        if isTerminal {
            let width = 24, filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
            FileHandle.standardError.write("\r\u{1B}[K\(label) [\(bar)] \(done)/\(total) \(detail) ETA \(ProgressReporter.duration(eta))".data(using: .utf8)!)
            barVisible = true
        } else if Date().timeIntervalSince(lastPlainLine) >= 10 || done == total {
            lastPlainLine = Date()
            log("\(label) \(done)/\(total) \(detail) ETA \(ProgressReporter.duration(eta))", toLogFile: false)
        }
    }

    /// Prints a complete line (ending any bar) to standard error and to the log file, control
    /// characters escaped (file names and sidecar text must not drive the terminal).
    public func log(_ line: String, toLogFile: Bool = true) {
        let stamped = "[\(ProgressReporter.duration(Date().timeIntervalSince(start)))] \(TerminalText.escaped(line))\n"
        if barVisible {
            FileHandle.standardError.write("\r\u{1B}[K".data(using: .utf8)!)
            barVisible = false
        }
        FileHandle.standardError.write(stamped.data(using: .utf8)!)
        if toLogFile { logFile?.write(stamped.data(using: .utf8)!) }
    }

    /// "1h02m", "3m07s" or "12s".
    static func duration(_ seconds: TimeInterval) -> String {
        let total = Int(seconds.rounded())
        if total >= 3600 { return String(format: "%dh%02dm", total / 3600, total % 3600 / 60) }
        if total >= 60 { return String(format: "%dm%02ds", total / 60, total % 60) }
        return "\(total)s"
    }
}
