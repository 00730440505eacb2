import Foundation
import Plumbing

/// A reason a safetensors file cannot be read or written; messages name the file.
public enum SafeTensorsError: Error, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case unwritable(file: String, reason: String)
    case malformedHeader(file: String, reason: String)
    case unsupportedType(file: String, key: String, dtype: String)
    case badExtent(file: String, key: String, reason: String)
    case nonFinite(file: String, key: String)

    /// A message naming the file and, where there is one, the key.
    public var description: String {
        switch self {
        case let .unreadable(file, reason): return "\(file): cannot read: \(reason)"
        case let .unwritable(file, reason): return "\(file): cannot write: \(reason)"
        case let .malformedHeader(file, reason): return "\(file): not a safetensors file: \(reason)"
        case let .unsupportedType(file, key, dtype): return "\(file): tensor '\(key)' has unsupported dtype \(dtype)"
        case let .badExtent(file, key, reason): return "\(file): tensor '\(key)': \(reason)"
        case let .nonFinite(file, key):
            return "\(file): tensor '\(key)' holds NaN or infinite values (written by a training run that diverged?)"
        }
    }
}

/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
/// mapping names to dtype, shape and byte offsets (plus an optional string map `__metadata__`),
/// padded with spaces to a multiple of 8, then the raw little-endian tensor bytes.
public enum SafeTensors {
    /// Element types written by the engine (reading also accepts BF16 and I64, as floats).
    public enum DType: String {
        case f32 = "F32", f16 = "F16"
        var size: Int { self == .f32 ? 4 : 2 }
    }

    /// The contents of a file: tensors by name and the `__metadata__` strings.
    public struct Contents {
        /// The tensors by name, converted to Float32.
        public var tensors: [String: Tensor]
        /// The `__metadata__` strings (empty when the file has none).
        public var metadata: [String: String]
    }

    /// The largest file read (4 GB), checked from its size before reading.
    public static let byteLimit = 4_000_000_000
    /// The largest JSON header accepted (100 MB; the format's own readers stop there too).
    public static let headerLimit = 100_000_000

    /// Reads the file at `url` (a regular file of at most `byteLimit` bytes).
    public static func read(contentsOf url: URL) throws -> Contents {
        let bytes: [UInt8]
        do { bytes = try RegularFile.read(url.path, limit: byteLimit) } catch let error as FileError {
            throw SafeTensorsError.unreadable(file: url.path, reason: error.reason)
        }
        return try decode(bytes, source: url.path)
    }

    /// Decodes the bytes of a file; `source` names it in errors.
    public static func decode(_ data: Data, source: String) throws -> Contents {
        try decode([UInt8](data), source: source)
    }

    /// Decodes the bytes of a file; `source` names it in errors. Every length, shape and offset in
    /// the header is checked against the bytes present (without overflow) before anything is
    /// allocated, and weights that are NaN or infinite are refused.
    static func decode(_ bytes: [UInt8], source: String) throws -> Contents {
        guard bytes.count >= 8 else { throw SafeTensorsError.malformedHeader(file: source, reason: "shorter than 8 bytes") }
        let declared = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard declared <= UInt64(min(bytes.count - 8, headerLimit)) else {
            throw SafeTensorsError.malformedHeader(file: source, reason: "header length \(declared) exceeds the \(bytes.count - 8) bytes that follow")
        }
        let headerLength = Int(declared)
        guard let header = try? JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + headerLength)])) as? [String: Any]
        else { throw SafeTensorsError.malformedHeader(file: source, reason: "header is not a JSON object") }
        let base = 8 + headerLength
        var contents = Contents(tensors: [:], metadata: [:])
        for (key, value) in header {
            if key == "__metadata__" {
                contents.metadata = value as? [String: String] ?? [:]
                continue
            }
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2
            else { throw SafeTensorsError.malformedHeader(file: source, reason: "entry '\(key)' lacks dtype, shape or data_offsets") }
            let sizes = ["F32": 4, "F16": 2, "BF16": 2, "I64": 8]
            guard let size = sizes[dtype] else { throw SafeTensorsError.unsupportedType(file: source, key: key, dtype: dtype) }
            let available = bytes.count - base
            guard let count = elementCount(shape) else {
                throw SafeTensorsError.badExtent(file: source, key: key, reason: "its shape \(shape) has a negative or impossibly large size")
            }
            guard count <= available / size else {
                throw SafeTensorsError.badExtent(file: source, key: key,
                                                 reason: "its shape \(shape) needs more than the file's \(available) bytes of data")
            }
            guard offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= available else {
                throw SafeTensorsError.badExtent(file: source, key: key,
                                                 reason: "its data offsets \(offsets) lie outside the file's \(available) bytes of data")
            }
            guard offsets[1] - offsets[0] == count * size else {
                throw SafeTensorsError.badExtent(file: source, key: key,
                                                 reason: "its data offsets \(offsets) hold \(offsets[1] - offsets[0]) bytes, its shape \(shape) needs \(count * size)")
            }
            let tensor = Tensor(shape: shape)
            bytes.withUnsafeBytes { raw in
                let start = raw.baseAddress! + base + offsets[0], out = tensor.data
                // One loop per type (not a type test per element: model files hold millions of values).
                switch dtype {
                case "F32": for i in 0..<count { out[i] = Float(bitPattern: UInt32(littleEndian: start.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
                case "F16": for i in 0..<count { out[i] = Float(Float16(bitPattern: UInt16(littleEndian: start.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))) }
                case "BF16": for i in 0..<count { out[i] = Float(bitPattern: UInt32(UInt16(littleEndian: start.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16) }
                default: for i in 0..<count { out[i] = Float(Int64(littleEndian: start.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self))) }
                }
            }
            guard UnsafeBufferPointer(start: tensor.data, count: count).allSatisfy(\.isFinite) else {
                throw SafeTensorsError.nonFinite(file: source, key: key)
            }
            contents.tensors[key] = tensor
        }
        return contents
    }

    /// The product of `shape`, or nil when a dimension is negative or the product overflows.
    static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            count = product
        }
        return count
    }

    /// Encodes `tensors` (in the given order) as `dtype`, with `metadata` as `__metadata__`.
    public static func encode(_ tensors: [NamedBuffer], metadata: [String: String] = [:], dtype: DType = .f32) throws -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        for (name, tensor) in tensors {
            header[name] = ["dtype": dtype.rawValue, "shape": tensor.shape, "data_offsets": [offset, offset + tensor.count * dtype.size]]
            offset += tensor.count * dtype.size
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))
        var bytes = [UInt8](repeating: 0, count: 8 + json.count + offset)
        for i in 0..<8 { bytes[i] = UInt8(truncatingIfNeeded: json.count >> (8 * i)) }
        bytes.replaceSubrange(8..<(8 + json.count), with: json)
        bytes.withUnsafeMutableBytes { raw in
            var position = 8 + json.count
            for (_, tensor) in tensors {
                for i in 0..<tensor.count {
                    switch dtype {
                    case .f32: raw.storeBytes(of: tensor.data[i].bitPattern.littleEndian, toByteOffset: position, as: UInt32.self)
                    case .f16: raw.storeBytes(of: Float16(tensor.data[i]).bitPattern.littleEndian, toByteOffset: position, as: UInt16.self)
                    }
                    position += dtype.size
                }
            }
        }
        return Data(bytes)
    }

    /// Writes `tensors` to `url` as `dtype`, with `metadata` as `__metadata__`.
    public static func write(_ tensors: [NamedBuffer], metadata: [String: String] = [:], dtype: DType = .f32,
                             to url: URL) throws {
        let data = try encode(tensors, metadata: metadata, dtype: dtype)
        do { try AtomicFile.write(data, to: url.path) } catch let error as FileError {
            throw SafeTensorsError.unwritable(file: url.path, reason: error.reason)
        }
    }
}

extension Layer {
    /// Saves the state dictionary (parameters and running statistics) to a safetensors file.
    public func save(to url: URL, metadata: [String: String] = [:], dtype: SafeTensors.DType = .f32) throws {
        try SafeTensors.write(stateDict, metadata: metadata, dtype: dtype, to: url)
    }

    /// Loads a state dictionary from a safetensors file (see `load(stateDict:strict:source:)`) and
    /// returns the file's metadata.
    @discardableResult
    public func load(contentsOf url: URL, strict: Bool = true) throws -> [String: String] {
        let contents = try SafeTensors.read(contentsOf: url)
        try load(stateDict: contents.tensors, strict: strict, source: url.path)
        return contents.metadata
    }
}
