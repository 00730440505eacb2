import Foundation

/// Opt-in timing of every layer's forward and backward pass (`nnbench resnet18-train --profile`).
///
/// Off by default: containers (`Sequential`, and ConvNet's `BasicBlock` and `ResNet18`) run their
/// children through `forward(_:training:as:)` and `backward(_:as:)`, which cost one nil check when
/// no profiler is active. An active profiler records, per dotted path (`layer1.0.conv1`), the wall
/// time and the CPU time (user + system, all threads of the process) of each call; the CPU time is
/// the figure that other processes on the machine disturb least.
public final class LayerProfiler {
    /// One phase of a layer: what it cost summed over calls.
    public struct Cost {
        /// Calls recorded.
        public var calls = 0
        /// Wall-clock and CPU seconds summed over the calls.
        public var wallSeconds = 0.0, cpuSeconds = 0.0
        /// No calls yet.
        public init() {}
    }

    /// The profiler in use, or nil (the default) for no timing.
    nonisolated(unsafe) public static var active: LayerProfiler?

    /// Forward and backward costs per dotted path.
    public private(set) var forward: [String: Cost] = [:], backward: [String: Cost] = [:]
    /// The paths in the order their forward passes first ran (parents before their children).
    public private(set) var order: [String] = []
    private var path: [String] = []

    /// Creates an empty profiler; set it as `active` to record.
    public init() {}

    /// Forgets what was recorded (after warm-up steps, say).
    public func reset() { forward = [:]; backward = [:]; order = [] }

    /// Runs `body` as the part `name` of the current path, recording its cost.
    func measure<T>(_ name: String, backward isBackward: Bool, _ body: () -> T) -> T {
        path.append(name)
        defer { path.removeLast() }
        let key = path.joined(separator: ".")
        let wall = DispatchTime.now().uptimeNanoseconds, cpu = LayerProfiler.cpuSeconds()
        let result = body()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - wall) / 1e9, used = LayerProfiler.cpuSeconds() - cpu
        func add(_ costs: inout [String: Cost]) {
            if costs[key] == nil, !isBackward { order.append(key) }
            costs[key, default: Cost()].calls += 1
            costs[key]!.wallSeconds += elapsed
            costs[key]!.cpuSeconds += used
        }
        if isBackward { add(&backward) } else { add(&forward) }
        return result
    }

    /// Runs `body` as the part `name` (a step that is not a layer, such as a residual sum) when a
    /// profiler is active, else just runs it.
    package static func measure<T>(_ name: String, backward: Bool, _ body: () -> T) -> T {
        guard let profiler = active else { return body() }
        return profiler.measure(name, backward: backward, body)
    }

    /// CPU seconds (user + system, all threads) this process has used.
    public static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}

extension Layer {
    /// `forward(_:training:)`, recorded as the child `name` when a profiler is active.
    package func forward(_ input: Tensor, training: Bool, as name: String) -> Tensor {
        LayerProfiler.measure(name, backward: false) { forward(input, training: training) }
    }

    /// `backward(_:)`, recorded as the child `name` when a profiler is active.
    package func backward(_ gradOutput: Tensor, as name: String) -> Tensor {
        LayerProfiler.measure(name, backward: true) { backward(gradOutput) }
    }
}
