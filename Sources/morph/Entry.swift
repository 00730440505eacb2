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
        restartWithFastBLASIfNeeded()
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

    /// OpenBLAS chooses its kernels when it loads; on CPUs it does not recognise it falls back to
    /// slow generic ones. Set `OPENBLAS_CORETYPE` and execute this program again, once: the variable
    /// is then set, so the next start leaves it alone (as it does any value the user chose).
    static func restartWithFastBLASIfNeeded() {
        guard let core = BLASRuntime.recommendedCoreType(environment: ProcessInfo.processInfo.environment) else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // execv returns only on failure: carry on with the kernels already loaded.
    }
}
