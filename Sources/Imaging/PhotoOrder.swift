/// How a photo collection is put in sequence.
public enum PhotoOrder: String, CaseIterable, Sendable {
    /// By capture date when every photo has one, else by file name.
    case auto
    /// By EXIF DateTimeOriginal; photos without one follow, by file name.
    case date
    /// By natural file-name order (`img9` before `img10`).
    case name
    /// As given on the command line.
    case given

    /// `paths` in this order; `captureDate` returns a photo's EXIF DateTimeOriginal (or nil).
    public func sorted(_ paths: [String], captureDate: (String) -> String?) -> [String] {
        switch self {
        case .given:
            return paths
        case .name:
            return paths.sorted(by: PhotoOrder.naturalLess)
        case .auto, .date:
            let dated = paths.map { (path: $0, date: captureDate($0)) }
            if self == .auto && dated.contains(where: { $0.date == nil }) {
                return paths.sorted(by: PhotoOrder.naturalLess)
            }
            return dated.sorted { a, b in
                switch (a.date, b.date) {
                case let (x?, y?) where x != y: return x < y  // "YYYY:MM:DD HH:MM:SS" sorts as text
                case (_?, nil): return true
                case (nil, _?): return false
                default: return PhotoOrder.naturalLess(a.path, b.path)
                }
            }.map(\.path)
        }
    }

    /// Natural order of file names: digit runs compare as numbers, other text case-insensitively;
    /// the full path breaks ties.
    public static func naturalLess(_ a: String, _ b: String) -> Bool {
        let left = naturalKey(fileName(a)), right = naturalKey(fileName(b))
        for (x, y) in zip(left, right) where x != y {
            switch (x, y) {
            case let (.number(m), .number(n)): return m.count != n.count ? m.count < n.count : m < n
            case let (.text(s), .text(t)): return s < t
            case (.number, .text): return true
            case (.text, .number): return false
            }
        }
        return left.count != right.count ? left.count < right.count : a < b
    }

    private enum Run: Equatable {
        case number(String)  // digits without leading zeros: compare by length, then lexically
        case text(String)
    }

    private static func fileName(_ path: String) -> Substring {
        path.split(separator: "/", omittingEmptySubsequences: true).last ?? Substring(path)
    }

    private static func naturalKey(_ name: Substring) -> [Run] {
        var runs = [Run](), current = "", inDigits = false
        func flush() {
            guard !current.isEmpty else { return }
            if inDigits {
                let trimmed = current.drop(while: { $0 == "0" })
                runs.append(.number(trimmed.isEmpty ? "0" : String(trimmed)))
            } else {
                runs.append(.text(current.lowercased()))
            }
            current = ""
        }
        for character in name {
            let digit = character.isASCII && character.isNumber
            if digit != inDigits { flush(); inDigits = digit }
            current.append(character)
        }
        flush()
        return runs
    }
}
