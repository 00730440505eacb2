import CPlatform
import Foundation

/// Hidden temporary files beside an output, `.NAME.partial-PID-RANDOM.EXT`: unique per write (the
/// same output written twice at once does not share one), removed on SIGINT, SIGTERM, SIGHUP and SIGPIPE
/// (after `removeOnSignals()`), and removed by a later run when the process that made them is gone.
public enum TemporaryFile {
    /// A new temporary path in the same folder as `path`, keeping its extension. Long names are
    /// shortened so the temporary name stays within the 255-byte limit whenever `path`'s does.
    public static func sibling(of path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let ext = shortened(url.pathExtension, bytes: 16)
        let stem = shortened(url.deletingPathExtension().lastPathComponent, bytes: 120)
        let name = ".\(stem)\(marker)\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))"
        return url.deletingLastPathComponent().appendingPathComponent(ext.isEmpty ? name : "\(name).\(ext)").path
    }

    /// Remembers `path` for removal if a signal ends the process; pass the result to `forget`.
    public static func remember(_ path: String) -> Int32 {
        cs_cleanup_register(path)
    }

    /// Stops remembering a path (`token` from `remember`), once it is renamed or removed.
    public static func forget(_ token: Int32) {
        cs_cleanup_unregister(token)
    }

    /// Installs the handler that removes the remembered files on SIGINT, SIGTERM, SIGHUP and SIGPIPE, then
    /// lets the signal end the process as it would have.
    public static func removeOnSignals() {
        cs_cleanup_install()
    }

    /// Removes every remembered file now: what the signal handler does before the signal ends the process.
    static func removeRemembered() {
        cs_cleanup_remove_all()
    }

    /// Removes the temporary files in `folder` left by processes that no longer run (killed before
    /// they could clean up); returns their paths. Files of running processes are left alone.
    @discardableResult
    public static func removeStale(inFolder folder: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.compactMap { name -> String? in
            guard let pid = ownerPID(of: name), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { return nil }
            let path = (folder as NSString).appendingPathComponent(name)
            return unlink(path) == 0 ? path : nil
        }
    }

    private static let marker = ".partial-"

    /// The process id in a name made by `sibling(of:)`, or nil for any other name.
    static func ownerPID(of name: String) -> pid_t? {
        guard name.hasPrefix("."), let range = name.range(of: marker, options: .backwards) else { return nil }
        let rest = name[range.upperBound...].split(separator: ".", maxSplits: 1)[0].split(separator: "-")
        guard rest.count == 2, let pid = pid_t(rest[0]), pid > 0, UInt64(rest[1], radix: 16) != nil else { return nil }
        return pid
    }

    /// `text` cut to at most `bytes` UTF-8 bytes on a character boundary.
    private static func shortened(_ text: String, bytes: Int) -> String {
        var result = ""
        for character in text {
            guard result.utf8.count + character.utf8.count <= bytes else { break }
            result.append(character)
        }
        return result
    }
}
