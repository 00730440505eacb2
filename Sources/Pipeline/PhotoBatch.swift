import Dispatch
import Foundation
import Landmarks

/// A photo that could not be used, and why.
public struct PhotoProblem: Error, Sendable, CustomStringConvertible {
    /// The photo's path.
    public var path: String
    /// What went wrong, in words.
    public var reason: String

    /// "path: reason" (the reason alone when it already starts with the path, as the library errors do).
    public var description: String { reason.hasPrefix(path) ? reason : "\(path): \(reason)" }
}

/// Analyses many photos on all cores (one analyser per worker), keeping the input order.
public enum PhotoBatch {
    /// Runs `analyze` over `paths` on `workers` threads; each worker gets its own analyser from
    /// `makeAnalyzer`. Results (keep them small: not the decoded photos) come back in input order,
    /// failures as their error's description.
    public static func analyze<T>(_ paths: [String], workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                                  makeAnalyzer: () throws -> FaceAnalyzer, progress: ProgressReporter?,
                                  _ analyze: @escaping (FaceAnalyzer, String) throws -> T) throws -> [Result<T, PhotoProblem>] {
        let count = max(1, min(workers, paths.count))
        // Building an analyser reads and converts its model files: build them side by side.
        var built = [Result<FaceAnalyzer, Error>?](repeating: nil, count: count)
        built.withUnsafeMutableBufferPointer { slots in
            let slots = slots
            DispatchQueue.concurrentPerform(iterations: count) { slots[$0] = Result { try makeAnalyzer() } }
        }
        let analyzers = try built.map { try $0!.get() }
        var results = [Result<T, PhotoProblem>?](repeating: nil, count: paths.count)
        let lock = NSLock()
        var next = 0, done = 0
        let started = Date()
        DispatchQueue.concurrentPerform(iterations: count) { worker in
            while true {
                lock.lock()
                let index = next
                next += 1
                lock.unlock()
                guard index < paths.count else { return }
                let result: Result<T, PhotoProblem>
                do {
                    result = .success(try analyze(analyzers[worker], paths[index]))
                } catch let problem as PhotoProblem {
                    result = .failure(problem)
                } catch {
                    result = .failure(PhotoProblem(path: paths[index], reason: "\(error)"))
                }
                lock.lock()
                results[index] = result
                done += 1
                progress?.update("analysing photos", done: done, total: paths.count, detail: "", stepStart: started)
                lock.unlock()
            }
        }
        return results.map { $0! }
    }
}
