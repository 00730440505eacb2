import Foundation
import NeuralNet

/// Process entry: make sure OpenBLAS runs its fast kernels, then hand over to the argument parser.
@main
enum Entry {
    static func main() {
        restartWithFastBLASIfNeeded()
        MorphCommand.main()
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
