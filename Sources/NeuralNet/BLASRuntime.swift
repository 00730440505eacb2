import CBLAS
import CPlatform
import Foundation

/// Facts about the OpenBLAS library in use and the choice of its CPU kernels.
///
/// Debian's OpenBLAS 0.3.21 does not recognise recent Intel CPUs and falls back to its generic
/// "Prescott" kernels, about five times slower than the AVX-512 ones. OpenBLAS picks its kernels
/// when the library loads, from `OPENBLAS_CORETYPE`; an executable therefore calls
/// `restartWithFastKernelsIfNeeded()` first thing, which sets the variable and re-executes the
/// program when `recommendedCoreType` returns a value.
public enum BLASRuntime {
    /// The kernel family OpenBLAS is using, e.g. "SkylakeX" or "Prescott".
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// OpenBLAS's build configuration line.
    public static var configuration: String {
        guard let text = openblas_get_config() else { return "unknown" }
        return String(cString: text)
    }

    /// Threads OpenBLAS uses for one call.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(newValue)) }
    }

    /// Generic kernel families that OpenBLAS falls back to on a CPU it does not know.
    static let genericCores: Set<String> = ["Prescott", "Core2", "Penryn", "Dunnington", "Nehalem",
                                            "Atom", "Katmai", "Coppermine", "Northwood", "Banias"]

    /// The `OPENBLAS_CORETYPE` value to set before OpenBLAS loads, or nil when nothing should
    /// change: the user set the variable, or the library already uses fitting kernels.
    /// - Parameter environment: the process environment (injectable for tests).
    public static func recommendedCoreType(environment: [String: String],
                                           loadedCore: String = coreName,
                                           hasAVX512: Bool = cs_cpu_has_avx512() != 0,
                                           hasAVX2: Bool = cs_cpu_has_avx2() != 0) -> String? {
        if environment["OPENBLAS_CORETYPE"] != nil { return nil }
        guard genericCores.contains(loadedCore) else { return nil }
        if hasAVX512 { return "SkylakeX" }
        if hasAVX2 { return "Haswell" }
        return nil
    }

    /// Sets `OPENBLAS_CORETYPE` and executes this program again, once, when `recommendedCoreType`
    /// asks for other kernels: the variable is then set, so the next start leaves it alone (as it
    /// does any value the user chose). Returns when nothing needs to change, or when the restart
    /// failed (the program then carries on with the kernels already loaded).
    public static func restartWithFastKernelsIfNeeded() {
        guard let core = recommendedCoreType(environment: ProcessInfo.processInfo.environment) else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
    }
}
