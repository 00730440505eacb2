import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Imaging

/// A dlib / imglab XML dataset: images, each with face boxes that may carry numbered parts.
///
/// Format: `<dataset><images><image file='..'><box top='' left='' width='' height=''>
/// <part name='00' x='' y=''/>...</box></image></images></dataset>`; coordinates are 0-based
/// pixels, file names relative to the XML file's folder. Boxes without parts are imglab's
/// face-box files (used for manual `--faces` boxes); boxes with `ignore='1'` are skipped.
/// Other elements and attributes (`name`, `comment`, `label`, `difficult`, ...) are ignored.
public struct DlibDataset: Equatable, Sendable {
    /// One face box and its parts.
    public struct Face: Equatable, Sendable {
        /// The box, from `left`, `top`, `width`, `height`.
        public var box: Box
        /// The parts by their numeric name (`'00'` -> 0); empty for a box-only file.
        public var parts: [Int: Point]

        /// The parts in order when they are exactly `0..<count`, else nil.
        public func points(count: Int) -> [Point]? {
            guard parts.count == count else { return nil }
            let ordered = (0..<count).compactMap { parts[$0] }
            return ordered.count == count ? ordered : nil
        }
    }

    /// One `<image>` element.
    public struct Entry: Equatable, Sendable {
        /// The image file, resolved against the XML file's folder.
        public var imageURL: URL
        /// The folder part of the `file` attribute as written (`lfpw/trainset` for
        /// `lfpw/trainset/image_0001.png`; empty for a bare name), for per-subset reports.
        public var subset: String
        /// The boxes that are not ignored, in file order.
        public var faces: [Face]
    }

    /// The images in file order.
    public var images: [Entry]
    /// The file the dataset was read from, for error messages.
    public var source: String

    /// Reads and parses the XML file at `url`.
    public init(contentsOf url: URL) throws {
        try self.init(parsing: readData(url), file: url.path, baseURL: url.deletingLastPathComponent())
    }

    /// Parses XML `data`; relative image names resolve against `baseURL`, `file` names the
    /// source in error messages.
    public init(parsing data: Data, file: String, baseURL: URL) throws {
        let parser = XMLParser(data: data)
        let reader = DlibXMLReader(file: file, baseURL: baseURL, parser: parser)
        parser.delegate = reader
        // swift-corelibs-foundation's parse() can return true and still set parserError (for
        // example on a document that ends inside an element), so check both.
        let finished = parser.parse()
        if let error = reader.error { throw error }
        if !finished || parser.parserError != nil {
            throw FaceDataError.malformed(file: file, line: parser.lineNumber,
                                          reason: "not well-formed XML (\(Self.explain(parser.parserError)))")
        }
        if let open = reader.openElements.last {
            throw FaceDataError.malformed(file: file, line: parser.lineNumber,
                                          reason: "not well-formed XML (the document ends inside <\(open)>)")
        }
        guard reader.sawDataset else {
            throw FaceDataError.malformed(file: file, line: nil, reason: "no <dataset> element")
        }
        images = reader.images
        source = file
    }

    /// A short reason for an XMLParser error. On Linux its `localizedDescription` is empty and
    /// its code is libxml2's `xmlParserErrors` value, so the common ones are spelled out here.
    private static func explain(_ error: Error?) -> String {
        let code = (error as NSError?)?.code ?? 0
        let reasons = [
            4: "no XML content", 5: "the document ends inside an element, or goes on after its end", 9: "a character that XML does not allow",
            23: "an entity reference lacks its ';'", 26: "an undefined entity such as &name;",
            38: "a '<' inside an attribute value", 39: "an attribute without a value", 40: "an attribute without a value",
            41: "an attribute without a value", 44: "an attribute value that is not closed", 46: "a malformed <? ?> instruction",
            64: "a name starting with 'xml' where XML reserves it", 65: "a space is missing between two parts of a tag",
            68: "a tag or attribute without a name", 73: "a tag that is not closed with '>'",
            76: "a closing tag does not match its opening tag", 77: "a tag that is not finished",
            85: "the tags are not balanced", 86: "text after the end of the document", 89: "an entity that refers to itself",
        ]
        return reasons[code] ?? "malformed XML (parser code \(code))"
    }

    /// The faces that have exactly `pointCount` parts, one sample each, with the box kept.
    public func samples(pointCount: Int) -> [LandmarkSample] {
        images.flatMap { entry in
            entry.faces.compactMap { face in
                face.points(count: pointCount).map {
                    LandmarkSample(imageURL: entry.imageURL, points: $0, box: face.box, subset: entry.subset)
                }
            }
        }
    }

    /// The face boxes for `photo`, a `width` x `height` photo (nil when the file does not list it);
    /// throws when a box has no size or lies outside the photo.
    public func boxes(for photo: URL, photoWidth width: Int, photoHeight height: Int) throws -> [Box]? {
        guard let entry = entry(for: photo) else { return nil }
        if let bad = entry.faces.first(where: { !$0.box.fits(photoWidth: width, photoHeight: height) }) {
            let box = bad.box
            throw FaceDataError.malformed(file: source, line: nil, reason: "the box (left \(box.x), top \(box.y), \(box.width)x\(box.height)) for \(photo.lastPathComponent) has no size or lies outside its \(width)x\(height) photo")
        }
        return entry.faces.map(\.box)
    }

    /// The entry for `photo` (compared by standardised path), e.g. to look up manual face boxes.
    public func entry(for photo: URL) -> Entry? {
        let path = photo.standardizedFileURL.path
        return images.first { $0.imageURL.standardizedFileURL.path == path }
    }
}

/// The XMLParser delegate that builds `DlibDataset` entries and records the first error.
private final class DlibXMLReader: NSObject, XMLParserDelegate {
    let file: String
    let baseURL: URL
    unowned let parser: XMLParser
    var images: [DlibDataset.Entry] = []
    var error: FaceDataError?
    var sawDataset = false
    /// Elements opened and not yet closed, outermost first.
    var openElements: [String] = []
    private var face: DlibDataset.Face?
    private var ignoringBox = false

    init(file: String, baseURL: URL, parser: XMLParser) {
        self.file = file
        self.baseURL = baseURL
        self.parser = parser
    }

    /// Records `reason` at the current line and stops parsing.
    private func fail(_ reason: String) {
        guard error == nil else { return }
        error = .malformed(file: file, line: parser.lineNumber, reason: reason)
        parser.abortParsing()
    }

    /// The attribute `name` of `element` as a finite number, or nil after recording an error.
    private func number(_ name: String, of element: String, in attributes: [String: String]) -> Double? {
        guard let text = attributes[name] else {
            fail("<\(element)> lacks the '\(name)' attribute")
            return nil
        }
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
            fail("<\(element)> attribute \(name)='\(text)' is not a number")
            return nil
        }
        return value
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        openElements.append(elementName)
        switch elementName {
        case "dataset":
            sawDataset = true
        case "image":
            guard let name = attributes["file"], !name.isEmpty else { return fail("<image> lacks the 'file' attribute") }
            let url = name.hasPrefix("/") ? URL(fileURLWithPath: name) : baseURL.appendingPathComponent(name)
            let folder = name.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            images.append(DlibDataset.Entry(imageURL: url, subset: folder, faces: []))
        case "box":
            guard !images.isEmpty else { return fail("<box> outside an <image>") }
            guard face == nil, !ignoringBox else { return fail("<box> inside another <box>") }
            guard let top = number("top", of: "box", in: attributes), let left = number("left", of: "box", in: attributes),
                  let width = number("width", of: "box", in: attributes), let height = number("height", of: "box", in: attributes)
            else { return }
            guard width >= 0, height >= 0 else { return fail("<box> has a negative width or height") }
            if attributes["ignore"] == "1" {
                ignoringBox = true
            } else {
                face = DlibDataset.Face(box: Box(x: left, y: top, width: width, height: height), parts: [:])
            }
        case "part":
            if ignoringBox { return }
            guard face != nil else { return fail("<part> outside a <box>") }
            guard let nameText = attributes["name"], let index = Int(nameText), index >= 0 else {
                return fail("<part> name='\(attributes["name"] ?? "")' is not a non-negative number")
            }
            guard let x = number("x", of: "part", in: attributes), let y = number("y", of: "part", in: attributes) else { return }
            guard face?.parts.updateValue(Point(x: x, y: y), forKey: index) == nil else {
                return fail("<part> name='\(nameText)' appears twice in one box")
            }
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        _ = openElements.popLast()
        guard elementName == "box" else { return }
        if let face {
            images[images.count - 1].faces.append(face)
        }
        face = nil
        ignoringBox = false
    }
}
