import Foundation
import Plumbing

/// Checks on a video's output path that can run before any photo is read.
public enum OutputPath {
    /// Throws `VideoError.outputIsInput` when `output` names the same file as any of `inputs`
    /// (same path after resolving symbolic links, or same device and inode), and
    /// `VideoError.cannotWrite` when its directory is missing or not writable, its name is over 255
    /// bytes or not UTF-8, or it is a directory, a device, a pipe or a socket (renaming the video onto
    /// it would replace it).
    public static func check(_ output: String, inputs: [String]) throws {
        let target = FileIdentity(output)
        if inputs.contains(where: { FileIdentity($0).isSame(as: target) }) {
            throw VideoError.outputIsInput(path: output)
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), isDirectory.boolValue {
            throw VideoError.cannotWrite(path: output, reason: "it is a directory")
        }
        let name = (output as NSString).lastPathComponent
        guard !output.contains("\u{FFFD}") else {
            // Arguments reach Swift decoded as UTF-8, with U+FFFD for bytes that are not: the file
            // written would not be the one named.
            throw VideoError.cannotWrite(path: output, reason: "the name is not valid UTF-8 (choose a UTF-8 name)")
        }
        guard name.utf8.count <= 255 else {
            throw VideoError.cannotWrite(path: output, reason: "the file name is too long (\(name.utf8.count) bytes; at most 255)")
        }
        if RegularFile.isSpecial(output) {
            throw VideoError.cannotWrite(path: output, reason: "not a regular file (a device, pipe or socket)")
        }
        let directory = (target.path as NSString).deletingLastPathComponent
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw VideoError.cannotWrite(path: output, reason: "directory \(directory) does not exist")
        }
        guard access(directory, W_OK) == 0 else {
            throw VideoError.cannotWrite(path: output, reason: "directory \(directory) is not writable")
        }
    }

    /// Whether two paths name one file: the same path after resolving symbolic links, or the same
    /// device and inode.
    public static func sameFile(_ a: String, _ b: String) -> Bool {
        FileIdentity(a).isSame(as: FileIdentity(b))
    }
}

/// A path resolved once: its canonical form (symbolic links resolved) and, when it exists, its
/// device and inode.
private struct FileIdentity {
    let path: String
    let id: [UInt64]?

    init(_ path: String) {
        self.path = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        var info = stat()
        id = stat(path, &info) == 0 ? [UInt64(info.st_dev), UInt64(info.st_ino)] : nil
    }

    /// Whether both name one file: the same canonical path, or the same device and inode.
    func isSame(as other: FileIdentity) -> Bool {
        path == other.path || (id != nil && id == other.id)
    }
}
