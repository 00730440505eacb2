// nnbench: speed of the NeuralNet engine on the issue's workloads, one per invocation, printed as
// machine-readable `key value` lines (tools/bench-neuralnet.sh compares them with tools/torch/bench.py).
//
//   nnbench resnet18-train [--profile] | resnet18-infer | resnet18-latency [--profile] | cnn58-train | sgemm
//     --profile: CPU and wall time of every layer's forward and backward pass, of the loss and of
//                the optimiser, per image; --batch N (32) and --steps N (3) change the workload
//                (a small one for valgrind --tool=callgrind). With resnet18-latency: forward passes
//                on one image, --steps of them
//   nnbench roundtrip IN OUT   (tools/torch/interop.py: load a PyTorch ResNet18 state dict strictly,
//                               write the engine's state dict and its eval output on a fixed input)
import Benchmarks
import Foundation
import NeuralNet

// OpenBLAS picks its kernels when it loads: re-execute with the right core type when needed.
BLASRuntime.restartWithFastKernelsIfNeeded()

let arguments = Array(CommandLine.arguments.dropFirst())

/// The integer after `name` on the command line, if any.
func option(_ name: String) -> Int? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return Int(arguments[index + 1])
}

EngineBenchmark.headerLines.forEach { print($0) }
if let name = arguments.first,
   let lines = EngineBenchmark.lines(name, profile: arguments.contains("--profile"), batch: option("--batch") ?? 32,
                                     steps: option("--steps") ?? 3) {
    lines.forEach { print($0) }
} else if arguments.count == 3, arguments[0] == "roundtrip" {
    do {
        try EngineBenchmark.roundTrip(input: URL(fileURLWithPath: arguments[1]), output: URL(fileURLWithPath: arguments[2]))
    } catch {
        FileHandle.standardError.write("\(error)\n".data(using: .utf8)!)
        exit(1)
    }
} else {
    let usage = "usage: nnbench \(EngineBenchmark.workloads.joined(separator: " | ")) [--profile --batch N --steps N] | roundtrip IN OUT\n"
    FileHandle.standardError.write(usage.data(using: .utf8)!)
    exit(2)
}
