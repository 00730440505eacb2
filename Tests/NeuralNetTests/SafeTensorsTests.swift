import ConvNet
import Foundation
import XCTest
@testable import NeuralNet

final class SafeTensorsTests: XCTestCase {
    let a = Tensor(shape: [2, 3], values: [1, -2.5, 3.25, 0, 1e-3, 65504])
    let b = Tensor(shape: [3], values: [0.1, 0.2, 0.3])

    func testRoundTripF32KeepsValuesAndMetadata() throws {
        let data = try SafeTensors.encode([("a", a), ("b", b)], metadata: ["epoch": "3", "note": "quote \" ok"])
        XCTAssertEqual((data.count - 9 * 4) % 8, 0, "the header is padded to a multiple of 8 bytes")
        let contents = try SafeTensors.decode(data, source: "memory")
        XCTAssertEqual(contents.metadata, ["epoch": "3", "note": "quote \" ok"])
        XCTAssertEqual(contents.tensors["a"]?.shape, [2, 3])
        XCTAssertEqual(contents.tensors["a"]?.array, a.array)
        XCTAssertEqual(contents.tensors["b"]?.array, b.array)
    }

    func testRoundTripF16RoundsToHalfPrecision() throws {
        let contents = try SafeTensors.decode(try SafeTensors.encode([("b", b), ("a", a)], dtype: .f16), source: "memory")
        assertClose(contents.tensors["a"]!.array, a.array, absolute: 1e-6, relative: 1e-3, "a")
        XCTAssertEqual(contents.tensors["b"]!.array, b.array.map { Float(Float16($0)) })
        XCTAssertNotEqual(contents.tensors["b"]!.array, b.array, "F16 loses precision")
    }

    func testHeaderLayout() throws {
        let data = try SafeTensors.encode([("a", a)], metadata: ["k": "v"])
        let length = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + length))) as! [String: Any]
        let entry = header["a"] as! [String: Any]
        XCTAssertEqual(entry["dtype"] as? String, "F32")
        XCTAssertEqual(entry["shape"] as? [Int], [2, 3])
        XCTAssertEqual(entry["data_offsets"] as? [Int], [0, 24])
        XCTAssertEqual(header["__metadata__"] as? [String: String], ["k": "v"])
        XCTAssertEqual(data.count, 8 + length + 24)
    }

    func testMalformedFilesAreNamed() {
        XCTAssertThrowsError(try SafeTensors.decode(Data([1, 2, 3]), source: "bad.safetensors")) {
            XCTAssertTrue("\($0)".contains("bad.safetensors"))
        }
        var data = try! SafeTensors.encode([("a", a)])
        data.removeLast(4)
        XCTAssertThrowsError(try SafeTensors.decode(data, source: "short.safetensors")) {
            XCTAssertTrue("\($0)".contains("'a'"), "\($0)")
        }
        XCTAssertThrowsError(try SafeTensors.read(contentsOf: URL(fileURLWithPath: "/nonexistent/x.safetensors"))) {
            XCTAssertTrue("\($0)".contains("/nonexistent/x.safetensors"))
        }
    }

    func testModelSaveLoadAndStrictErrors() throws {
        var g = SplitMix64(seed: 1)
        let model = Sequential([Conv2d(inputChannels: 1, outputChannels: 2, kernelSize: 3, generator: &g),
                                BatchNorm2d(channels: 2)])
        _ = model.forward(randomTensor([2, 1, 4, 4], seed: 2), training: true)  // moves running stats
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nn-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try model.save(to: url, metadata: ["model": "test"])
        var h = SplitMix64(seed: 9)
        let other = Sequential([Conv2d(inputChannels: 1, outputChannels: 2, kernelSize: 3, generator: &h),
                                BatchNorm2d(channels: 2)])
        XCTAssertEqual(try other.load(contentsOf: url), ["model": "test"])
        for (mine, theirs) in zip(model.stateDict, other.stateDict) {
            XCTAssertEqual(mine.name, theirs.name)
            XCTAssertEqual(mine.tensor.array, theirs.tensor.array, mine.name)
        }
        XCTAssertEqual(model.stateDict.map(\.name),
                       ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var"])

        var state = Dictionary(uniqueKeysWithValues: model.stateDict.map { ($0.name, $0.tensor) })
        state["1.num_batches_tracked"] = Tensor(shape: [], values: [1])
        XCTAssertNoThrow(try other.load(stateDict: state), "PyTorch's batch counter is ignored")
        state["extra.weight"] = b
        XCTAssertThrowsError(try other.load(stateDict: state, source: "f.safetensors")) {
            XCTAssertEqual($0 as? StateDictError, .unexpectedKey(key: "extra.weight", source: "f.safetensors"))
            XCTAssertTrue("\($0)".contains("extra.weight") && "\($0)".contains("f.safetensors"))
        }
        XCTAssertNoThrow(try other.load(stateDict: state, strict: false))
        state["extra.weight"] = nil
        state["1.running_var"] = nil
        XCTAssertThrowsError(try other.load(stateDict: state)) {
            XCTAssertEqual($0 as? StateDictError, .missingKey(key: "1.running_var", source: "state dict"))
        }
        state["1.running_var"] = a
        XCTAssertThrowsError(try other.load(stateDict: state)) {
            XCTAssertEqual($0 as? StateDictError,
                           .shapeMismatch(key: "1.running_var", expected: [2], found: [2, 3], source: "state dict"))
        }
    }
}
