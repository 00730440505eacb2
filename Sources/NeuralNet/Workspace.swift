import Foundation

/// Scratch buffers shared by the layers running on one thread (im2col columns and the like),
/// grown on demand and never shrunk, so a training loop stops allocating after its first step.
package final class Workspace {
    private var buffers: [UnsafeMutablePointer<Float>] = []
    private var capacities: [Int] = []

    /// Scratch buffer number `slot` with room for at least `count` floats, aligned to 64 bytes; its
    /// contents are unspecified and valid until the next request for the same slot.
    package func buffer(_ slot: Int, count: Int) -> UnsafeMutablePointer<Float> {
        while buffers.count <= slot {
            buffers.append(Workspace.allocate(1))
            capacities.append(1)
        }
        if capacities[slot] < count {
            UnsafeMutableRawPointer(buffers[slot]).deallocate()
            buffers[slot] = Workspace.allocate(count)
            capacities[slot] = count
        }
        return buffers[slot]
    }

    /// Scratch buffer number `slot` viewed as `count` vectors of 16 floats.
    package func lanes(_ slot: Int, count: Int) -> UnsafeMutablePointer<SIMD16<Float>> {
        UnsafeMutableRawPointer(buffer(slot, count: 16 * count)).assumingMemoryBound(to: SIMD16<Float>.self)
    }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(byteCount: 4 * count, alignment: 64).bindMemory(to: Float.self, capacity: count)
    }

    deinit { buffers.forEach { UnsafeMutableRawPointer($0).deallocate() } }

    /// The workspace of the calling thread.
    package static var current: Workspace {
        let key = "NeuralNet.Workspace"
        if let existing = Thread.current.threadDictionary[key] as? Workspace { return existing }
        let created = Workspace()
        Thread.current.threadDictionary[key] = created
        return created
    }
}
