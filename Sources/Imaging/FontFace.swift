import CFreeType

/// A TrueType/OpenType font loaded through FreeType, which rasterises text as antialiased coverage.
public final class FontFace {
    /// The font file.
    public let path: String
    private var library: FT_Library?
    private var face: FT_Face?

    /// Loads the font at `path`; throws `ImagingError.unreadable` naming the file when FreeType cannot.
    public init(path: String) throws {
        self.path = path
        guard FT_Init_FreeType(&library) == 0 else { throw ImagingError.unreadable(file: path, reason: "FreeType did not start") }
        let error = FT_New_Face(library, path, 0, &face)
        guard error == 0, face != nil else {  // deinit releases the library
            throw ImagingError.unreadable(file: path, reason: error == 1 ? "cannot open the font file" : "not a font FreeType can read")
        }
    }

    deinit {
        if let face { FT_Done_Face(face) }
        if let library { FT_Done_FreeType(library) }
    }

    /// `text` on one line at a size of `pixelHeight` pixels (em height) as a coverage mask (0: none,
    /// 255: full), row-major, as tall as the font's ascender to descender; glyphs the font lacks are skipped.
    public func render(_ text: String, pixelHeight: Int) -> (coverage: [UInt8], width: Int, height: Int) {
        guard let face, FT_Set_Pixel_Sizes(face, 0, FT_UInt(max(1, pixelHeight))) == 0 else { return ([], 0, 0) }
        let metrics = face.pointee.size.pointee.metrics
        let ascender = Int(metrics.ascender >> 6), height = max(1, Int((metrics.ascender - metrics.descender) >> 6))
        let width = max(1, forEachGlyph(text, face: face) { _, _ in })
        var coverage = [UInt8](repeating: 0, count: width * height)
        _ = forEachGlyph(text, face: face) { pen, glyph in
            let bitmap = glyph.bitmap
            guard let buffer = bitmap.buffer else { return }
            for row in 0..<Int(bitmap.rows) {
                let y = ascender - Int(glyph.bitmap_top) + row
                guard y >= 0 && y < height else { continue }
                for column in 0..<Int(bitmap.width) {
                    let x = pen + Int(glyph.bitmap_left) + column
                    guard x >= 0 && x < width else { continue }
                    let value = buffer[row * Int(bitmap.pitch) + column]
                    coverage[y * width + x] = max(coverage[y * width + x], value)
                }
            }
        }
        return (coverage, width, height)
    }

    /// Loads and renders each glyph of `text` in turn, calling `body(penX, glyph)`; returns the total advance in pixels.
    private func forEachGlyph(_ text: String, face: FT_Face, _ body: (Int, FT_GlyphSlotRec) -> Void) -> Int {
        var pen = 0
        for scalar in text.unicodeScalars {
            guard FT_Load_Char(face, FT_ULong(scalar.value), FT_Int32(FT_LOAD_RENDER)) == 0, let slot = face.pointee.glyph else { continue }
            body(pen, slot.pointee)
            pen += Int(slot.pointee.advance.x >> 6)
        }
        return pen
    }
}

extension Image {
    /// Blends `color` into this RGB image through `coverage` (`width` x `height`, 0-255) placed with its
    /// top-left corner at (`x`, `y`), at `opacity`; parts outside the image are clipped.
    public mutating func blend(_ color: Color, coverage: [UInt8], width: Int, height: Int, x: Int, y: Int, opacity: Double = 1) {
        precondition(channels == 3 && coverage.count == width * height, "RGB image and a full coverage mask")
        let channelsOfColor = [Double(color.r), Double(color.g), Double(color.b)]
        for row in stride(from: max(0, -y), to: min(height, self.height - y), by: 1) {
            for column in stride(from: max(0, -x), to: min(width, self.width - x), by: 1) where coverage[row * width + column] > 0 {
                let a = Double(coverage[row * width + column]) / 255 * opacity
                let i = ((y + row) * self.width + x + column) * 3
                for c in 0..<3 { pixels[i + c] = UInt8((Double(pixels[i + c]) * (1 - a) + channelsOfColor[c] * a).rounded()) }
            }
        }
    }
}
