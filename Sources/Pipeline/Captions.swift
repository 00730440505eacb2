import Foundation
import Imaging
import Morph

/// What the caption of each photo says: nothing, or a template over the photo's capture date and name.
public enum CaptionStyle: Equatable, Sendable {
    /// No caption.
    case none
    /// Text where `{date}` (YYYY-MM-DD), `{year}` and `{name}` (the file name without extension) are replaced.
    case template(String)

    /// `none`, `date`, `year`, `name`, or any other text as a template.
    public init(argument: String) {
        switch argument {
        case "none": self = .none
        case "date", "year", "name": self = .template("{\(argument)}")
        default: self = .template(argument)
        }
    }

    /// The caption of the photo at `path` with EXIF `exif`; empty when it names a date the photo lacks.
    public func text(path: String, exif: EXIFInfo) -> String {
        guard case .template(let template) = self else { return "" }
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let stamp = exif.dateTimeOriginal.map { String($0.prefix(10)).replacingOccurrences(of: ":", with: "-") }
        if stamp == nil && (template.contains("{date}") || template.contains("{year}")) { return "" }
        return template.replacingOccurrences(of: "{date}", with: stamp ?? "")
            .replacingOccurrences(of: "{year}", with: String((stamp ?? "").prefix(4)))
            .replacingOccurrences(of: "{name}", with: name)
    }
}

/// Captions drawn in the bottom-right corner of the frames, white on a soft dark halo, each faded
/// with its photo's weight in the cross-dissolve.
public struct Captions {
    /// Debian's DejaVu Sans (package fonts-dejavu-core).
    public static let defaultFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

    /// One photo's rendered caption: text coverage, halo coverage, and the top-left corner in the frame.
    struct Rendered {
        var text: [UInt8], halo: [UInt8], width: Int, height: Int, x: Int, y: Int
    }

    private let rendered: [Rendered?]

    /// Captions of `texts` (one per photo, empty for none) for frames of `width` x `height`: text 4.5% of
    /// the smaller side high (32 px at 720, 49 px at 1080), 3.5% of it from the corner.
    public init(_ texts: [String], width: Int, height: Int, font: String = Captions.defaultFont) throws {
        let face = try FontFace(path: font)
        let side = Double(min(width, height))
        let size = Int((0.045 * side).rounded()), margin = Int((0.035 * side).rounded()), halo = max(1, size / 12)
        rendered = texts.map { text in
            guard !text.isEmpty else { return nil }
            let glyphs = face.render(text, pixelHeight: size)
            guard glyphs.width > 1 else { return nil }
            let (w, h) = (glyphs.width + 2 * halo, glyphs.height + 2 * halo)
            var padded = [UInt8](repeating: 0, count: w * h)
            for row in 0..<glyphs.height {
                padded[(row + halo) * w + halo..<(row + halo) * w + halo + glyphs.width] =
                    glyphs.coverage[row * glyphs.width..<(row + 1) * glyphs.width]
            }
            return Rendered(text: padded, halo: Self.dilated(padded, width: w, height: h, radius: halo), width: w, height: h,
                            x: width - margin - w, y: height - margin - h)
        }
    }

    /// `frame` with the captions of the photos it shows, faded by their weights (`easing` applied to a transition's progress).
    public func draw(on frame: Image, showing scheduled: ScheduledFrame, easing: Easing) -> Image {
        let weights: [(Int, Double)]
        switch scheduled {
        case .hold(let photo): weights = [(photo, 1)]
        case .transition(let pair, let t): weights = [(pair, 1 - easing.apply(t)), (pair + 1, easing.apply(t))]
        }
        var out = frame
        for (photo, weight) in weights {
            guard let c = rendered[photo] else { continue }
            out.blend(Color(r: 0, g: 0, b: 0), coverage: c.halo, width: c.width, height: c.height, x: c.x, y: c.y, opacity: 0.55 * weight)
            out.blend(.white, coverage: c.text, width: c.width, height: c.height, x: c.x, y: c.y, opacity: weight)
        }
        return out
    }

    /// The maximum of `mask` over a square of `radius` around each pixel.
    static func dilated(_ mask: [UInt8], width: Int, height: Int, radius: Int) -> [UInt8] {
        var out = mask
        for y in 0..<height {
            for x in 0..<width {
                var m: UInt8 = 0
                for v in max(0, y - radius)...min(height - 1, y + radius) {
                    for u in max(0, x - radius)...min(width - 1, x + radius) { m = max(m, mask[v * width + u]) }
                }
                out[y * width + x] = m
            }
        }
        return out
    }
}
