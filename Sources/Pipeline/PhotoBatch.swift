import FaceAnalysis
import Foundation
import Plumbing

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
        let analyzers = try self.analyzers(forPhotos: paths.count, workers: workers, makeAnalyzer: makeAnalyzer)
        return PhotoBatch.analyze(paths, analyzers: analyzers, progress: progress, analyze)
    }

    /// One analyser from `makeAnalyzer` per worker that `photos` photos keep busy (at most `workers`, at
    /// least one), built side by side (each reads and converts its model files).
    public static func analyzers(forPhotos photos: Int, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                                 makeAnalyzer: () throws -> FaceAnalyzer) throws -> [FaceAnalyzer] {
        let count = max(1, min(workers, photos))
        return try WorkerPool.map(count, states: [Void](repeating: (), count: count)) { _, _ in
            Result { try makeAnalyzer() }
        }.map { try $0.get() }
    }

    /// Runs `analyze` over `paths`, one worker per analyser of `analyzers` (at least one), in input order.
    public static func analyze<T>(_ paths: [String], analyzers: [FaceAnalyzer], progress: ProgressReporter?,
                                  _ analyze: @escaping (FaceAnalyzer, String) throws -> T) -> [Result<T, PhotoProblem>] {
        let started = Date()
        return WorkerPool.map(paths.count, states: analyzers, finished: {
            progress?.update("analysing photos", done: $0, total: paths.count, detail: "", stepStart: started)
        }) { analyzer, index in
            do {
                return .success(try analyze(analyzer, paths[index]))
            } catch let problem as PhotoProblem {
                return .failure(problem)
            } catch {
                return .failure(PhotoProblem(path: paths[index], reason: "\(error)"))
            }
        }
    }
}
