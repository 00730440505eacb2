// nnbench: speed of the NeuralNet engine on the issue's workloads, one per invocation, printed as
// machine-readable `key value` lines (tools/bench-neuralnet.sh compares them with tools/torch/bench.py).
//
//   nnbench resnet18-train | resnet18-infer | resnet18-latency | cnn58-train
//   nnbench roundtrip IN OUT   (tools/torch/interop.py: load a PyTorch ResNet18 state dict strictly,
//                               write the engine's state dict and its eval output on a fixed input)
import Benchmarks
import Foundation
import NeuralNet

// OpenBLAS picks its kernels when it loads: re-execute with the right core type when needed.
BLASRuntime.restartWithFastKernelsIfNeeded()

let arguments = Array(CommandLine.arguments.dropFirst())
EngineBenchmark.headerLines.forEach { print($0) }
if let name = arguments.first, let lines = EngineBenchmark.lines(name) {
    lines.forEach { print($0) }
} else if arguments.count == 3, arguments[0] == "roundtrip" {
    do {
        try EngineBenchmark.roundTrip(input: URL(fileURLWithPath: arguments[1]), output: URL(fileURLWithPath: arguments[2]))
    } catch {
        FileHandle.standardError.write("\(error)\n".data(using: .utf8)!)
        exit(1)
    }
} else {
    FileHandle.standardError.write("usage: nnbench \(EngineBenchmark.workloads.joined(separator: " | ")) | roundtrip IN OUT\n".data(using: .utf8)!)
    exit(2)
}
