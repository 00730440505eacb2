import ConvNet
import Foundation
import NeuralNet
import Plumbing

/// Speed of the NeuralNet engine on the NeuralNet issue's workloads, as machine-readable `key value`
/// lines (tools/bench-neuralnet.sh compares them with tools/torch/bench.py; `nnbench` prints them).
public enum EngineBenchmark {
    /// The workloads, by name.
    public static let workloads = ["resnet18-train", "resnet18-infer", "resnet18-latency", "cnn58-train", "sgemm"]

    /// The engine's and the BLAS kernels' lines, printed before any workload's.
    public static var headerLines: [String] { ["engine neuralnet", "blas_core \(BLASRuntime.coreName)"] }

    /// The `key value` lines of the workload `name`, or nil for a name not in `workloads`. With
    /// `profile`, `resnet18-train` runs `steps` profiled steps on `batch` images instead, and
    /// `resnet18-latency` `steps` profiled inference passes on one image (see `profileLines`).
    public static func lines(_ name: String, profile: Bool = false, batch size: Int = 32, steps: Int = 3) -> [String]? {
        switch name {
        case "resnet18-train" where profile:
            return profileLines(ResNet18(inputChannels: 1, outputs: 136), input: [size, 1, 160, 160], outputs: 136, steps: steps)
        case "resnet18-latency" where profile:
            return profileLines(frozenResNet18(), input: [1, 1, 160, 160], outputs: 136, steps: steps, training: false)
        case "resnet18-train":
            let model = ResNet18(inputChannels: 1, outputs: 136)
            let rate = trainingRate(model, input: [32, 1, 160, 160], outputs: 136, repeats: 5)
            return ["resnet18_train_gflop_per_img \(trainingFLOP(of: model, side: 160, outputs: 136, batch: 32) / 1e9)",
                    "resnet18_train_product_gflop_per_img \(trainingFLOP(of: model, side: 160, outputs: 136, batch: 32, products: true) / 1e9)",
                    "resnet18_train_img_per_s \(rate.perSecond)", "resnet18_train_cpu_s_per_img \(rate.cpuPerImage)",
                    "resnet18_train_peak_rss_mib \(peakRSSMiB())"]
        case "resnet18-infer":
            let model = frozenResNet18()
            let (x, _) = batch([32, 1, 160, 160], outputs: 136)
            let start = cpuSeconds()
            let seconds = medianSeconds(warmup: 2, repeats: 5) { _ = model.forward(x, training: false) }
            return ["resnet18_infer_img_per_s \(32 / seconds)", "resnet18_infer_cpu_s_per_img \((cpuSeconds() - start) / (7 * 32))"]
        case "resnet18-latency":
            let model = frozenResNet18()
            let (x, _) = batch([1, 1, 160, 160], outputs: 136)
            let start = cpuSeconds()
            let seconds = medianSeconds(warmup: 5, repeats: 31) { _ = model.forward(x, training: false) }
            return ["resnet18_latency_ms \(seconds * 1000)", "resnet18_latency_cpu_ms_per_call \((cpuSeconds() - start) * 1000 / 36)"]
        case "cnn58-train":
            let rate = trainingRate(cnn58(), input: [64, 1, 240, 320], outputs: 116, repeats: 5)
            return ["cnn58_train_img_per_s \(rate.perSecond)", "cnn58_train_cpu_s_per_img \(rate.cpuPerImage)"]
        case "sgemm":
            // The bound: 1024^3 sgemm on every core (OpenBLAS's own threads), and on one.
            return ["sgemm_gflop_per_s \(BLASBenchmark.sgemmGFLOPS(threads: ProcessInfo.processInfo.activeProcessorCount))",
                    "sgemm_1thread_gflop_per_s \(BLASBenchmark.sgemmGFLOPS(threads: 1))"]
        default:
            return nil
        }
    }

    /// Loads a PyTorch ResNet18 state dict from `input` strictly and writes the engine's state dict and
    /// its eval output on a fixed input to `output` (tools/torch/interop.py checks them).
    public static func roundTrip(input: URL, output: URL) throws {
        let model = ResNet18(inputChannels: 1, outputs: 136)
        let metadata = try model.load(contentsOf: input)
        let x = Tensor(shape: [2, 1, 64, 64])
        for i in 0..<x.count { x[i] = Float(sin(Double(i) * 0.01)) }
        let result = model.forward(x, training: false)
        try SafeTensors.write(model.stateDict + [(name: "eval_output", tensor: result)],
                              metadata: metadata.merging(["written_by": "nnbench"]) { $1 }, to: output)
    }

    /// The benchmarks' ResNet18 with its weights frozen for inference, as `morph` uses its models.
    static func frozenResNet18() -> ResNet18 {
        let model = ResNet18(inputChannels: 1, outputs: 136)
        model.freezeForInference()
        return model
    }

    /// Seconds since an arbitrary origin.
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Median of the durations of `repeats` calls of `body` after `warmup` untimed calls.
    static func medianSeconds(warmup: Int, repeats: Int, _ body: () -> Void) -> Double {
        for _ in 0..<warmup { body() }
        return (0..<repeats).map { _ -> Double in
            let start = now()
            body()
            return now() - start
        }.median
    }

    /// Peak resident memory of this process in MiB.
    static func peakRSSMiB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// A batch of deterministic pseudo-random inputs and targets.
    static func batch(_ shape: [Int], outputs: Int) -> (Tensor, Tensor) {
        var generator = SplitMix64(seed: 1)
        let x = Tensor(shape: shape), y = Tensor(shape: [shape[0], outputs])
        for i in 0..<x.count { x[i] = generator.uniform(-1, 1) }
        for i in 0..<y.count { y[i] = generator.uniform(-1, 1) }
        return (x, y)
    }

    /// CPU seconds (user + system, all threads) this process has used.
    static func cpuSeconds() -> Double { LayerProfiler.cpuSeconds() }

    /// Images per second of forward, MSE, backward and Adam on `model`, and CPU seconds per image
    /// (a figure that other processes on the machine disturb less than the wall clock).
    static func trainingRate(_ model: Layer, input: [Int], outputs: Int, repeats: Int) -> (perSecond: Double, cpuPerImage: Double) {
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
    static func cnn58() -> Sequential {
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
}
