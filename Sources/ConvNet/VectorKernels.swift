import CPlatform

/// Whether this CPU runs the AVX2 and FMA kernels of CConvKernels (Winograd tile transforms, narrow
/// products). Layers choose them by default where it is true; tests compare them with the portable paths.
let cpuRunsVectorKernels = cs_cpu_has_avx2() != 0
