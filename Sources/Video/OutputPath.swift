import Foundation

/// Checks on a video's output path that can run before any photo is read.
public enum OutputPath {
    /// Throws `VideoError.outputIsInput` when `output` names the same file as any of `inputs`
    /// (same path after resolving symbolic links, or same device and inode), and
    /// `VideoError.cannotWrite` when its directory is missing or not writable, or it is a directory.
    public static func check(_ output: String, inputs: [String]) throws {
        let resolved = canonical(output)
        let outputID = fileID(output)
        for input in inputs where canonical(input) == resolved || (outputID != nil && fileID(input) == outputID) {
            throw VideoError.outputIsInput(path: output)
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), isDirectory.boolValue {
            throw VideoError.cannotWrite(path: output, reason: "it is a directory")
        }
        let directory = (resolved as NSString).deletingLastPathComponent
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw VideoError.cannotWrite(path: output, reason: "directory \(directory) does not exist")
        }
        guard access(directory, W_OK) == 0 else {
            throw VideoError.cannotWrite(path: output, reason: "directory \(directory) is not writable")
        }
    }

    /// A temporary path in the same directory as `output`, keeping its extension.
    static func temporarySibling(of output: String) -> String {
        let url = URL(fileURLWithPath: output)
        let name = ".\(url.deletingPathExtension().lastPathComponent).partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let ext = url.pathExtension
        return url.deletingLastPathComponent().appendingPathComponent(ext.isEmpty ? name : "\(name).\(ext)").path
    }

    private static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    private static func fileID(_ path: String) -> [UInt64]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }
}
