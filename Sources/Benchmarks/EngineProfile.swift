import ConvNet
import Foundation
import NeuralNet

// Where a ResNet18 training step spends its time, per layer (`nnbench resnet18-train --profile`).
extension EngineBenchmark {
    /// A convolution of ResNet18 with its dotted path and its input and output sides for a square input.
    struct ConvolutionSite {
        let path: String
        let conv: Conv2d
        let inSide: Int, outSide: Int
        /// Multiply-adds of one image's forward pass, as a direct convolution.
        var forwardMACs: Int { conv.multiplyAdds(height: inSide, width: inSide, images: 1).direct }
        /// "3x3/1", "1x1/2" and so on.
        var kind: String { "\(conv.kernelSize)x\(conv.kernelSize)/\(conv.stride)" }
    }

    /// The convolutions of `model` for `side` x `side` inputs, in the order of the forward pass.
    static func convolutionSites(of model: ResNet18, side: Int) -> [ConvolutionSite] {
        func out(_ conv: Conv2d, _ side: Int) -> Int { (side + 2 * conv.padding - conv.kernelSize) / conv.stride + 1 }
        var sites = [ConvolutionSite(path: "conv1", conv: model.conv1, inSide: side, outSide: out(model.conv1, side))]
        var side = (sites[0].outSide + 2 - 3) / 2 + 1  // max pool 3x3/2, padding 1
        for (index, stage) in [model.layer1, model.layer2, model.layer3, model.layer4].enumerated() {
            for (number, layer) in stage.layers.enumerated() {
                guard let block = layer as? BasicBlock else { continue }
                let prefix = "layer\(index + 1).\(number)"
                let first = out(block.conv1, side)
                sites.append(ConvolutionSite(path: prefix + ".conv1", conv: block.conv1, inSide: side, outSide: first))
                sites.append(ConvolutionSite(path: prefix + ".conv2", conv: block.conv2, inSide: first, outSide: out(block.conv2, first)))
                if let projection = block.downsample?.layers.first as? Conv2d {
                    sites.append(ConvolutionSite(path: prefix + ".downsample.0", conv: projection, inSide: side,
                                                 outSide: out(projection, side)))
                }
                side = first
            }
        }
        return sites
    }

    /// Floating-point operations (2 per multiply-add) of one image's training step: each convolution's
    /// forward pass, weight gradient and (unless skipped) input gradient, and the same for `fc`. With
    /// `products`, the multiply-adds of the matrix products the engine runs (Winograd's convolutions
    /// need fewer on a batch of `batch` images), else those of direct convolutions (the usual count).
    static func trainingFLOP(of model: ResNet18, side: Int, outputs: Int, batch: Int, products: Bool = false) -> Double {
        let convolutions = convolutionSites(of: model, side: side).reduce(0) {
            let macs = $1.conv.multiplyAdds(height: $1.inSide, width: $1.inSide, images: batch)
            return $0 + (products ? macs.products : macs.direct) * ($1.conv.computesInputGradient ? 3 : 2)
        }
        return 2 * Double(convolutions + 3 * 512 * outputs)
    }

    /// The lines of `steps` profiled training steps (after two warm-up steps) of `model` on a batch of
    /// `input`, per image: each layer's forward and backward CPU and wall milliseconds, sums by
    /// kind of layer and by stage, and the loss and optimiser; then the convolutions' GFLOP/s. With
    /// `training` false, `steps` inference passes (forward only, after five warm-up passes) instead.
    static func profileLines(_ model: ResNet18, input: [Int], outputs: Int, steps: Int, training: Bool = true) -> [String] {
        var lines: [String] = []
        let (x, y) = batch(input, outputs: outputs)
        let optimizer = training ? Adam(parameters: model.parameters.map(\.parameter), learningRate: 1e-4) : nil
        let profiler = LayerProfiler()
        var phases: [String: (cpu: Double, wall: Double)] = [:]
        func phase<T>(_ name: String, _ body: () -> T) -> T {
            let cpu = cpuSeconds(), wall = now()
            let result = body()
            phases[name, default: (0, 0)].cpu += cpuSeconds() - cpu
            phases[name, default: (0, 0)].wall += now() - wall
            return result
        }
        let warmup = training ? 2 : 5
        for step in 0..<(steps + warmup) {
            if step == warmup { profiler.reset(); phases = [:]; LayerProfiler.active = profiler }
            guard training else { _ = phase("forward") { model.forward(x, training: false) }; continue }
            phase("zero_grad") { model.zeroGrad() }
            let prediction = phase("forward") { model.forward(x, training: true) }
            let (_, gradient) = phase("loss") { Loss.mse(prediction, y) }
            _ = phase("backward") { model.backward(gradient) }
            phase("optimizer") { optimizer?.step() }
        }
        LayerProfiler.active = nil
        let perImage = 1000 / Double(steps * input[0])  // seconds per step summed -> ms per image
        let leaves = profiler.order.filter { path in !profiler.order.contains { $0.hasPrefix(path + ".") } }
        let sites = Dictionary(uniqueKeysWithValues: convolutionSites(of: model, side: input[2]).map { ($0.path, $0) })
        func kind(_ path: String) -> String {
            if let site = sites[path] { return "conv \(site.kind)" }
            let name = path.split(separator: ".").last.map(String.init) ?? path
            if name == "bn1" { return "batchnorm+relu" }
            return name == "bn2" || path.hasSuffix("downsample.1") ? "batchnorm" : name
        }
        func line(_ first: String, _ second: String, _ row: [Double]) {
            lines.append(pad(first, 24) + " " + pad(second, 16) + row.map { String(format: " %9.3f", $0) }.joined())
        }
        lines.append("# milliseconds per image: CPU (user + system, all threads) and wall, forward and backward")
        lines.append(pad("profile", 24) + " " + pad("kind", 16) + ["fwd_cpu", "bwd_cpu", "fwd_wall", "bwd_wall"].map { " " + pad($0, 9) }.joined())
        var byKind: [String: [Double]] = [:], byStage: [String: [Double]] = [:]
        for path in leaves {
            let f = profiler.forward[path] ?? .init(), b = profiler.backward[path] ?? .init()
            let row = [f.cpuSeconds, b.cpuSeconds, f.wallSeconds, b.wallSeconds].map { $0 * perImage }
            line(path, kind(path), row)
            func add(_ table: inout [String: [Double]], _ key: String) {
                table[key] = zip(table[key] ?? [0, 0, 0, 0], row).map { $0 + $1 }
            }
            add(&byKind, kind(path))
            add(&byStage, path.hasPrefix("layer") ? String(path.prefix(6)) : "stem+head")
        }
        for (title, table) in [("by_kind", byKind), ("by_stage", byStage)] {
            for (key, row) in table.sorted(by: { $0.value[0] + $0.value[1] > $1.value[0] + $1.value[1] }) {
                line(title, key, row)
            }
        }
        for (name, cost) in phases.sorted(by: { $0.value.cpu > $1.value.cpu }) {
            line("phase", name, [cost.cpu * perImage, cost.wall * perImage])
        }
        // Convolution throughput by kind: multiply-adds of forward + both gradients over CPU time.
        var work: [String: (flop: Double, cpu: Double)] = [:]
        for site in sites.values {
            let f = profiler.forward[site.path]?.cpuSeconds ?? 0, b = profiler.backward[site.path]?.cpuSeconds ?? 0
            let passes = training ? (site.conv.computesInputGradient ? 3 : 2) : 1
            let flop = 2 * Double(site.forwardMACs * passes * input[0] * steps)
            work[site.kind, default: (0, 0)].flop += flop
            work[site.kind, default: (0, 0)].cpu += f + b
        }
        for (kind, w) in work.sorted(by: { $0.key < $1.key }) {
            lines.append("conv_gflop_per_cpu_s " + pad(kind, 6) + String(format: " %7.1f", w.flop / w.cpu / 1e9))
        }
        guard training else { return lines }
        lines.append("training_gflop_per_img \(trainingFLOP(of: model, side: input[2], outputs: outputs, batch: input[0]) / 1e9)")
        lines.append("training_product_gflop_per_img \(trainingFLOP(of: model, side: input[2], outputs: outputs, batch: input[0], products: true) / 1e9)")
        return lines
    }

    /// `text` padded with spaces to `width` characters.
    static func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0) }
}
