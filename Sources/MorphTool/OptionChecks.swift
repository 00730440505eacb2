import ArgumentParser
import FaceAnalysis

/// Range checks of numeric options, run in `validate()` before any file is read.
enum OptionCheck {
    /// Throws a `ValidationError` naming `option` unless `value` lies in `range` (NaN never does).
    static func require<T: Comparable>(_ value: T, in range: ClosedRange<T>, _ option: String, unit: String = "") throws {
        guard range.contains(value) else {
            let suffix = unit.isEmpty ? "" : " \(unit)"
            throw ValidationError("\(option) must be between \(range.lowerBound) and \(range.upperBound)\(suffix), not \(value)")
        }
    }

    /// The same check for an option that may be absent.
    static func require<T: Comparable>(_ value: T?, in range: ClosedRange<T>, _ option: String, unit: String = "") throws {
        if let value { try require(value, in: range, option, unit: unit) }
    }

    /// The face finder's pyramid levels in `text` ("512,256,128"), or a `ValidationError` naming `option`.
    @discardableResult
    static func pyramidLevels(_ text: String, _ option: String = "--levels") throws -> [Int] {
        guard let levels = FaceFinder.levels(parsing: text) else {
            throw ValidationError("\(option): pyramid sides of 16 to 4096 pixels separated by commas, got \"\(text)\"")
        }
        return levels
    }
}
