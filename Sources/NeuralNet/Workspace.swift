import Foundation

/// Scratch buffers shared by the layers running on one thread (im2col columns and the like),
/// grown on demand and never shrunk, so a training loop stops allocating after its first step.
final class Workspace {
    private var buffers: [UnsafeMutablePointer<Float>] = []
    private var capacities: [Int] = []

    /// Scratch buffer number `slot` with room for at least `count` floats; its contents are
    /// unspecified and valid until the next request for the same slot.
    func buffer(_ slot: Int, count: Int) -> UnsafeMutablePointer<Float> {
        while buffers.count <= slot {
            buffers.append(.allocate(capacity: 1))
            capacities.append(1)
        }
        if capacities[slot] < count {
            buffers[slot].deallocate()
            buffers[slot] = .allocate(capacity: count)
            capacities[slot] = count
        }
        return buffers[slot]
    }

    deinit { buffers.forEach { $0.deallocate() } }

    /// The workspace of the calling thread.
    static var current: Workspace {
        let key = "NeuralNet.Workspace"
        if let existing = Thread.current.threadDictionary[key] as? Workspace { return existing }
        let created = Workspace()
        Thread.current.threadDictionary[key] = created
        return created
    }
}
