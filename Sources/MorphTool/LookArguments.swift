import ArgumentParser
import Foundation
import Morph
import Pipeline

/// The options that shape how the video looks beyond the faces: background fill and colour harmonisation.
struct LookArguments: ParsableArguments {
    /// Whether colours are harmonised.
    enum Harmonize: String, CaseIterable, ExpressibleByArgument { case auto, off }

    @Option(help: ArgumentHelp(
        "Fill where an aligned photo does not cover the frame: blur (the photo mirrored at its edges, blurred), extend (mirrored, sharp) or black.",
        valueName: "blur|extend|black"))
    var background = Background.blur

    @Option(help: ArgumentHelp(
        "Colour harmonisation: auto brings each photo's face colour, brightness and contrast part-way towards those of its neighbours in the order; off leaves the photos as they are.",
        discussion: "Measured on the face in CIE Lab. Differences under 3 (CIE76) are left alone, so a consistent collection is not changed; a grey or sepia photo gains little colour.",
        valueName: "auto|off"))
    var harmonize = Harmonize.auto

    @Option(help: ArgumentHelp(
        "Caption in the bottom-right corner of each photo: none, date (EXIF capture date, YYYY-MM-DD), year, name (file name), or a template with {date}, {year} and {name}.",
        discussion: "Drawn in DejaVu Sans (Debian's fonts-dejavu-core) through FreeType; it fades with the cross-dissolve. A photo without a capture date gets no caption where the template asks for one.",
        valueName: "none|date|year|name|template"))
    var caption = "none"

    /// Sets the look options of a job.
    func apply(to options: inout MorphVideoOptions) {
        options.background = background
        options.harmonize = harmonize == .auto
        options.caption = CaptionStyle(argument: caption)
    }
}

extension Background: ExpressibleByArgument {}
