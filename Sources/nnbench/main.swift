// nnbench: speed of the NeuralNet engine on the workloads, one per invocation, printed as
// machine-readable `key value` lines (tools/bench-neuralnet.sh compares them with tools/torch/bench.py).
//
//   nnbench resnet18-train [--profile] | resnet18-infer | resnet18-latency | cnn58-train | sgemm
//     --profile: CPU and wall time of every layer's forward and backward pass, of the loss and of
//                the optimiser, per image; --batch N (32) and --steps N (3) change the workload
//                (a small one for valgrind --tool=callgrind)
//   nnbench roundtrip IN OUT   (tools/torch/interop.py: load a PyTorch ResNet18 state dict strictly,
//                               write the engine's state dict and its eval output on a fixed input)
import Foundation
import NeuralNet

// OpenBLAS picks its kernels when it loads: re-execute with the right core type when needed.
if let core = BLASRuntime.recommendedCoreType(environment: ProcessInfo.processInfo.environment) {
    setenv("OPENBLAS_CORETYPE", core, 1)
    let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
    execv("/proc/self/exe", arguments)
}

/// Seconds since an arbitrary origin.
func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// Median of the durations of `repeats` calls of `body` after `warmup` untimed calls.
func medianSeconds(warmup: Int, repeats: Int, _ body: () -> Void) -> Double {
    for _ in 0..<warmup { body() }
    let times = (0..<repeats).map { _ -> Double in
        let start = now()
        body()
        return now() - start
    }
    return times.sorted()[repeats / 2]
}

/// Peak resident memory of this process in MiB.
func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// A batch of deterministic pseudo-random inputs and targets.
func batch(_ shape: [Int], outputs: Int) -> (Tensor, Tensor) {
    var generator = SplitMix64(seed: 1)
    let x = Tensor(shape: shape), y = Tensor(shape: [shape[0], outputs])
    for i in 0..<x.count { x[i] = generator.uniform(-1, 1) }
    for i in 0..<y.count { y[i] = generator.uniform(-1, 1) }
    return (x, y)
}

/// CPU seconds (user + system, all threads) this process has used.
func cpuSeconds() -> Double { LayerProfiler.cpuSeconds() }

/// Images per second of forward, MSE, backward and Adam on `model`, and CPU seconds per image
/// (a figure that other processes on the machine disturb less than the wall clock).
func trainingRate(_ model: Layer, input: [Int], outputs: Int, repeats: Int) -> (perSecond: Double, cpuPerImage: Double) {
    let (x, y) = batch(input, outputs: outputs)
    let optimizer = Adam(parameters: model.parameters.map(\.parameter), learningRate: 1e-4)
    var cpu = 0.0
    let seconds = medianSeconds(warmup: 2, repeats: repeats) {
        let start = cpuSeconds()
        model.zeroGrad()
        let (_, gradient) = Loss.mse(model.forward(x, training: true), y)
        _ = model.backward(gradient)
        optimizer.step()
        cpu = cpuSeconds() - start  // the last call's
    }
    return (Double(input[0]) / seconds, cpu / Double(input[0]))
}

/// The 5-conv 58-point CNN: [N, 1, 240, 320] -> [N, 116].
func cnn58() -> Sequential {
    var generator = SplitMix64(seed: 0)
    var layers: [Layer] = [], channels = 1
    for width in [18, 24, 30, 30, 25] {
        layers += [Conv2d(inputChannels: channels, outputChannels: width, kernelSize: 3, padding: 1, generator: &generator),
                   ReLU(), MaxPool2d(kernelSize: 2)]
        channels = width
    }
    layers += [Flatten(), Linear(inputFeatures: 25 * 7 * 10, outputFeatures: 128, generator: &generator), ReLU(),
               Linear(inputFeatures: 128, outputFeatures: 116, generator: &generator)]
    return Sequential(layers)
}

/// The integer after `name` on the command line, if any.
func option(_ name: String) -> Int? {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count else { return nil }
    return Int(CommandLine.arguments[index + 1])
}

let task = CommandLine.arguments.dropFirst().first ?? ""
print("engine neuralnet")
print("blas_core \(BLASRuntime.coreName)")
switch task {
case "resnet18-train" where CommandLine.arguments.contains("--profile"):
    profileTraining(ResNet18(inputChannels: 1, outputs: 136), input: [option("--batch") ?? 32, 1, 160, 160], outputs: 136,
                    steps: option("--steps") ?? 3)
case "resnet18-train":
    let model = ResNet18(inputChannels: 1, outputs: 136)
    let rate = trainingRate(model, input: [32, 1, 160, 160], outputs: 136, repeats: 5)
    print("resnet18_train_gflop_per_img \(trainingFLOP(of: model, side: 160, outputs: 136, batch: 32) / 1e9)")
    print("resnet18_train_product_gflop_per_img \(trainingFLOP(of: model, side: 160, outputs: 136, batch: 32, products: true) / 1e9)")
    print("resnet18_train_img_per_s \(rate.perSecond)")
    print("resnet18_train_cpu_s_per_img \(rate.cpuPerImage)")
    print("resnet18_train_peak_rss_mib \(peakRSSMiB())")
case "resnet18-infer":
    let model = ResNet18(inputChannels: 1, outputs: 136)
    let (x, _) = batch([32, 1, 160, 160], outputs: 136)
    let start = cpuSeconds()
    let seconds = medianSeconds(warmup: 2, repeats: 5) { _ = model.forward(x, training: false) }
    print("resnet18_infer_img_per_s \(32 / seconds)")
    print("resnet18_infer_cpu_s_per_img \((cpuSeconds() - start) / (7 * 32))")
case "resnet18-latency":
    let model = ResNet18(inputChannels: 1, outputs: 136)
    let (x, _) = batch([1, 1, 160, 160], outputs: 136)
    let start = cpuSeconds()
    let seconds = medianSeconds(warmup: 5, repeats: 31) { _ = model.forward(x, training: false) }
    print("resnet18_latency_ms \(seconds * 1000)")
    print("resnet18_latency_cpu_ms_per_call \((cpuSeconds() - start) * 1000 / 36)")
case "cnn58-train":
    let rate = trainingRate(cnn58(), input: [64, 1, 240, 320], outputs: 116, repeats: 5)
    print("cnn58_train_img_per_s \(rate.perSecond)")
    print("cnn58_train_cpu_s_per_img \(rate.cpuPerImage)")
case "sgemm":
    // The bound of the issue: 1024^3 sgemm on every core (OpenBLAS's own threads), and on one.
    print("sgemm_gflop_per_s \(BLASBenchmark.sgemmGFLOPS(threads: ProcessInfo.processInfo.activeProcessorCount))")
    print("sgemm_1thread_gflop_per_s \(BLASBenchmark.sgemmGFLOPS(threads: 1))")
case "roundtrip" where CommandLine.arguments.count == 4:
    let model = ResNet18(inputChannels: 1, outputs: 136)
    do {
        let metadata = try model.load(contentsOf: URL(fileURLWithPath: CommandLine.arguments[2]))
        let x = Tensor(shape: [2, 1, 64, 64])
        for i in 0..<x.count { x[i] = Float(sin(Double(i) * 0.01)) }
        let output = model.forward(x, training: false)
        try SafeTensors.write(model.stateDict + [(name: "eval_output", tensor: output)],
                              metadata: metadata.merging(["written_by": "nnbench"]) { $1 },
                              to: URL(fileURLWithPath: CommandLine.arguments[3]))
    } catch {
        FileHandle.standardError.write("\(error)\n".data(using: .utf8)!)
        exit(1)
    }
default:
    FileHandle.standardError.write("usage: nnbench resnet18-train [--profile] | resnet18-infer | resnet18-latency | cnn58-train | sgemm | roundtrip IN OUT\n".data(using: .utf8)!)
    exit(2)
}
