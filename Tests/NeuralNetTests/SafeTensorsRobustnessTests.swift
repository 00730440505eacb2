import Foundation
import XCTest
@testable import NeuralNet

/// Model files that lie in their header: refused with the file named, before anything is allocated.
final class SafeTensorsRobustnessTests: XCTestCase {
    /// A file from a JSON header and `payload` bytes.
    private func file(header: String, payload: Int = 0) -> Data {
        var bytes = withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian, Array.init)
        bytes += Array(header.utf8) + [UInt8](repeating: 0, count: payload)
        return Data(bytes)
    }

    private func assertRefused(_ data: Data, _ expected: SafeTensorsError, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try SafeTensors.decode(data, source: "m.safetensors"), file: file, line: line) {
            XCTAssertEqual("\($0)", expected.description, file: file, line: line)
            XCTAssertTrue("\($0)".hasPrefix("m.safetensors: "), file: file, line: line)
        }
    }

    func testHeaderLengthWithTheTopBitSetIsRefused() {
        // Read as a signed Int this was negative and passed the size check (SIGILL in the release build).
        assertRefused(Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) + Data("{}".utf8),
                      .malformedHeader(file: "m.safetensors", reason: "header length 18446744073709551615 exceeds the 2 bytes that follow"))
        assertRefused(Data([0x10, 0, 0, 0, 0, 0, 0, 0x80]) + Data("{}".utf8),
                      .malformedHeader(file: "m.safetensors", reason: "header length 9223372036854775824 exceeds the 2 bytes that follow"))
    }

    func testShapesAreCheckedAgainstTheBytesBeforeAllocating() {
        for shape in ["[1099511627776, 1099511627776]", "[9223372036854775807, 2]", "[-1, 4]"] {
            assertRefused(file(header: #"{"w":{"dtype":"F32","shape":\#(shape),"data_offsets":[0,16]}}"#, payload: 16),
                          .badExtent(file: "m.safetensors", key: "w", reason: "its shape \(shape) has a negative or impossibly large size"))
        }
        assertRefused(file(header: #"{"w":{"dtype":"F32","shape":[4294967296],"data_offsets":[0,16]}}"#, payload: 16),
                      .badExtent(file: "m.safetensors", key: "w", reason: "its shape [4294967296] needs more than the file's 16 bytes of data"))
    }

    func testOffsetsOutsideTheFileOrReversedAreRefused() {
        for offsets in ["[0, 4611686018427387904]", "[16, 0]", "[-16, 0]", "[9223372036854775800, 9223372036854775807]"] {
            assertRefused(file(header: #"{"w":{"dtype":"F32","shape":[4],"data_offsets":\#(offsets)}}"#, payload: 16),
                          .badExtent(file: "m.safetensors", key: "w", reason: "its data offsets \(offsets) lie outside the file's 16 bytes of data"))
        }
        assertRefused(file(header: #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}}"#, payload: 16),
                      .badExtent(file: "m.safetensors", key: "w", reason: "its data offsets [0, 16] hold 16 bytes, its shape [3] needs 12"))
    }

    func testNaNAndInfiniteWeightsAreRefused() throws {
        for value in [Float.nan, .infinity, -.infinity] {
            let data = try SafeTensors.encode([("ok", Tensor(shape: [2], values: [1, 2])), ("layer.weight", Tensor(shape: [3], values: [0, value, 1]))])
            assertRefused(data, .nonFinite(file: "m.safetensors", key: "layer.weight"))
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nan-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafeTensors.write([("w", Tensor(shape: [1], values: [.nan]))], to: url)
        XCTAssertThrowsError(try SafeTensors.read(contentsOf: url)) {
            XCTAssertEqual("\($0)", "\(url.path): tensor 'w' holds NaN or infinite values (written by a training run that diverged?)")
        }
    }

    func testPipesAndMissingFilesAreRefusedWithAReason() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("faces.safetensors")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        XCTAssertThrowsError(try SafeTensors.read(contentsOf: fifo)) {
            XCTAssertEqual("\($0)", "\(fifo.path): cannot read: not a regular file (a pipe, device or socket)")
        }
        let missing = folder.appendingPathComponent("missing.safetensors")
        XCTAssertThrowsError(try SafeTensors.read(contentsOf: missing)) {
            XCTAssertEqual("\($0)", "\(missing.path): cannot read: no such file")
        }
    }

    func testRandomDamageNeverCrashes() throws {
        let clean = try SafeTensors.encode([("a", Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])), ("b", Tensor(shape: [1], values: [7]))],
                                           metadata: ["k": "v"])
        var generator = SplitMix64(seed: 21)
        var refused = 0
        for round in 0..<400 {
            var bytes = [UInt8](clean)
            for _ in 0...(round % 4) { bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next()) }
            if round % 7 == 0 { bytes.removeLast(Int(generator.next() % UInt64(bytes.count))) }
            do {
                _ = try SafeTensors.decode(Data(bytes), source: "fuzz.safetensors")
            } catch {
                XCTAssertTrue("\(error)".hasPrefix("fuzz.safetensors: "), "\(error)")
                refused += 1
            }
        }
        XCTAssertGreaterThan(refused, 100)
    }
}
