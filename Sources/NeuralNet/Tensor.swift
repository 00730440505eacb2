/// A dense Float32 tensor in row-major (C-contiguous) order; images are NCHW.
///
/// A tensor is a reference type that owns one buffer. Layers keep their outputs and input
/// gradients in tensors they own and overwrite them on the next call, so training allocates its
/// big buffers once; call `copy()` to keep a result beyond the next call of the layer.
public final class Tensor {
    /// The extent of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// The number of elements (the product of `shape`).
    public private(set) var count: Int
    /// The first element; valid for `count` elements until the next `resize(to:)`.
    public private(set) var data: UnsafeMutablePointer<Float>
    private var capacity: Int

    /// Creates a zero-filled tensor of `shape`.
    public init(shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        self.shape = shape
        count = shape.reduce(1, *)
        capacity = max(count, 1)
        data = .allocate(capacity: capacity)
        data.initialize(repeating: 0, count: capacity)
    }

    /// Creates a tensor of `shape` holding `values` in row-major order.
    public convenience init(shape: [Int], values: [Float]) {
        self.init(shape: shape)
        precondition(values.count == count, "\(values.count) values for shape \(shape)")
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
    }

    /// Creates a tensor of `shape` with every element `value`.
    public convenience init(shape: [Int], repeating value: Float) {
        self.init(shape: shape)
        data.update(repeating: value, count: count)
    }

    deinit { data.deallocate() }

    /// Changes the shape. The buffer is kept when it is large enough; the contents are kept when
    /// the element count is unchanged and are unspecified otherwise.
    public func resize(to newShape: [Int]) {
        if newShape == shape { return }
        let newCount = newShape.reduce(1, *)
        if newCount > capacity {
            data.deallocate()
            capacity = newCount
            data = .allocate(capacity: capacity)
            data.initialize(repeating: 0, count: capacity)
        }
        shape = newShape
        count = newCount
    }

    /// The elements as an array, row-major.
    public var array: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }

    /// The element at flat (row-major) `index`.
    public subscript(index: Int) -> Float {
        get { precondition(index >= 0 && index < count); return data[index] }
        set { precondition(index >= 0 && index < count); data[index] = newValue }
    }

    /// Sets every element to zero.
    public func zero() { data.update(repeating: 0, count: count) }

    /// Takes the shape and contents of `other`.
    public func assign(_ other: Tensor) {
        resize(to: other.shape)
        data.update(from: other.data, count: count)
    }

    /// A new tensor with the same shape and contents.
    public func copy() -> Tensor {
        let result = Tensor(shape: shape)
        result.data.update(from: data, count: count)
        return result
    }
}
