/// Lays images out in a grid, each scaled to fit its cell, for reviewing many results at once.
public enum ContactSheet {
    /// A sheet of `images` in `columns` columns of `cell` x `cell` pixel cells with `padding` between them.
    public static func make(_ images: [Image], columns: Int = 6, cell: Int = 240, padding: Int = 8,
                            background: UInt8 = 32) -> Image {
        precondition(!images.isEmpty && columns > 0 && cell > 0, "nothing to lay out")
        let cols = min(columns, images.count), rows = (images.count + cols - 1) / cols
        var sheet = Image(width: cols * cell + (cols + 1) * padding, height: rows * cell + (rows + 1) * padding,
                          channels: 3, fill: background)
        for (index, image) in images.enumerated() {
            let thumb = image.converted(to: .rgb).fitting(maxSide: cell)
            let col = index % cols, row = index / cols
            let x = padding + col * (cell + padding) + (cell - thumb.width) / 2
            let y = padding + row * (cell + padding) + (cell - thumb.height) / 2
            sheet.paste(thumb, x: x, y: y)
        }
        return sheet
    }
}
