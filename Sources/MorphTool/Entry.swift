import ArgumentParser
import Foundation
import NeuralNet
import Plumbing

/// Process entry: make sure OpenBLAS runs its fast kernels, arrange for temporary files to go when
/// a signal ends the process, then hand over to the argument parser. Messages are printed with
/// control characters escaped: file names and file contents must not drive the terminal.
@main
enum Entry {
    static func main() {
        BLASRuntime.restartWithFastKernelsIfNeeded()
        TemporaryFile.removeOnSignals()
        do {
            var command = try MorphCommand.parseAsRoot()
            try command.run()
        } catch {
            let message = MorphCommand.fullMessage(for: error)
            if !message.isEmpty {
                let code = MorphCommand.exitCode(for: error)
                let stream = code == .success ? FileHandle.standardOutput : FileHandle.standardError
                stream.write(Data((TerminalText.escaped(message) + "\n").utf8))
            }
            MorphCommand.exit(withError: ExitCode(MorphCommand.exitCode(for: error).rawValue))
        }
    }
}
