import Foundation
import Imaging
import XCTest
@testable import FaceData

final class DlibXMLTests: XCTestCase {
    let base = URL(fileURLWithPath: "/data/ibug")

    func parse(_ xml: String) throws -> DlibDataset {
        try DlibDataset(parsing: Data(xml.utf8), file: "faces.xml", baseURL: base)
    }

    func testReadsBoxesPartsIgnoredBoxesAndBoxOnlyImages() throws {
        let xml = """
        <?xml version='1.0' encoding='ISO-8859-1'?>
        <?xml-stylesheet type='text/xsl' href='image_metadata_stylesheet.xsl'?>
        <dataset>
        <name>test</name>
        <images>
          <image file='lfpw/testset/image_0001.png'>
            <box top='10' left='20' width='100' height='110'>
              <part name='01' x='30' y='40'/>
              <part name='00' x='25.5' y='35'/>
              <part name='02' x='35' y='45'/>
            </box>
            <box top='1' left='2' width='3' height='4' ignore='1'>
              <part name='00' x='1' y='1'/>
            </box>
          </image>
          <image file='/abs/group.jpg'>
            <box top='5' left='6' width='7' height='8'/>
            <box top='50' left='60' width='70' height='80'><label>face</label></box>
          </image>
        </images>
        </dataset>
        """
        let dataset = try parse(xml)
        XCTAssertEqual(dataset.images.map(\.imageURL.path), ["/data/ibug/lfpw/testset/image_0001.png", "/abs/group.jpg"])
        let face = dataset.images[0].faces
        XCTAssertEqual(face.count, 1, "the ignored box is skipped")
        XCTAssertEqual(face[0].box, Box(x: 20, y: 10, width: 100, height: 110))
        XCTAssertEqual(face[0].points(count: 3), [Point(x: 25.5, y: 35), Point(x: 30, y: 40), Point(x: 35, y: 45)])
        XCTAssertNil(face[0].points(count: 4))
        XCTAssertEqual(dataset.images[1].faces.map(\.box), [Box(x: 6, y: 5, width: 7, height: 8), Box(x: 60, y: 50, width: 70, height: 80)])
        XCTAssertTrue(dataset.images[1].faces.allSatisfy(\.parts.isEmpty))

        let samples = dataset.samples(pointCount: 3)
        XCTAssertEqual(samples.count, 1)
        XCTAssertEqual(samples[0].box, face[0].box)
        XCTAssertEqual(samples[0].subset, "lfpw/testset")
        XCTAssertEqual(dataset.images[1].subset, "/abs")
        XCTAssertEqual(dataset.entry(for: URL(fileURLWithPath: "/abs/./group.jpg"))?.faces.count, 2)
        XCTAssertNil(dataset.entry(for: URL(fileURLWithPath: "/abs/other.jpg")))
    }

    func testReadsFromFileRelativeToTheXML() throws {
        let folder = try TemporaryFolder()
        let url = try folder.write("<dataset><images><image file='a/b.jpg'><box top='1' left='2' width='3' height='4'/></image></images></dataset>",
                                   to: "sub/faces.xml")
        let dataset = try DlibDataset(contentsOf: url)
        XCTAssertEqual(dataset.images[0].imageURL.standardizedFileURL.path,
                       folder.url.appendingPathComponent("sub/a/b.jpg").standardizedFileURL.path)
    }

    func testMalformedFilesNameTheReason() {
        func check(_ xml: String, line: Int?, _ mentions: String, at: UInt = #line) {
            assertMalformed(try parse(xml), name: "faces.xml", line: line, mentions: mentions, at: at)
        }
        check("<dataset><images><image file='a.jpg'>\n<box top='1' left='2' width='3'/></image></images></dataset>",
              line: 2, "lacks the 'height' attribute")
        check("<dataset><images><image file='a.jpg'>\n<box top='1' left='x' width='3' height='4'/></image></images></dataset>",
              line: 2, "left='x' is not a number")
        check("<dataset><images><image file='a.jpg'><box top='1' left='1' width='-3' height='4'/></image></images></dataset>",
              line: 1, "negative")
        check("<dataset><images><image>\n</image></images></dataset>", line: 1, "lacks the 'file' attribute")
        check("<dataset><images><image file='a.jpg'>\n\n<part name='0' x='1' y='2'/></image></images></dataset>",
              line: 3, "<part> outside a <box>")
        check("<dataset><images><image file='a.jpg'><box top='1' left='1' width='3' height='4'>\n<part name='nose' x='1' y='2'/></box></image></images></dataset>",
              line: 2, "name='nose'")
        check("<dataset><images><image file='a.jpg'><box top='1' left='1' width='3' height='4'><part name='0' x='1' y='2'/>\n<part name='00' x='1' y='2'/></box></image></images></dataset>",
              line: 2, "appears twice")
        check("<dataset><box top='1' left='1' width='3' height='4'/></dataset>", line: 1, "<box> outside an <image>")
        check("<dataset><images>\n<image file='a.jpg'></images></dataset>", line: 2, "ends inside")
        check("<dataset><images><image file='a.jpg'></image></wrong></dataset>", line: 1, "closing tag does not match")
        check("<dataset><images>", line: 1, "ends inside")
        check("<dataset>", line: 1, "ends inside")
        check("not xml at all", line: 1, "not well-formed XML")
        check("<images/>", line: nil, "no <dataset> element")
    }
}
