import Foundation
import Imaging
import XCTest
@testable import Training

final class LandmarkDatasetTests: XCTestCase {
    func testDlibXMLAndPTSTreesLoadTheSameFaces() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dataset-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var parts = "", pts = "version: 1\nn_points: 68\n{\n"
        for i in 0..<68 {
            parts += "<part name='\(String(format: "%02d", i))' x='\(10 + i)' y='\(20 + i % 7)'/>"
            pts += "\(11 + i) \(21 + i % 7)\n"  // 1-based in .pts
        }
        pts += "}\n"
        try ImageFile.write(Image(width: 100, height: 80, channels: 3, fill: 50), to: folder.appendingPathComponent("sub/a.png").path)
        try pts.write(to: folder.appendingPathComponent("sub/a.pts"), atomically: true, encoding: .utf8)
        let xml = "<dataset><images><image file='sub/a.png'><box top='15' left='5' width='80' height='20'>\(parts)</box></image></images></dataset>"
        try xml.write(to: folder.appendingPathComponent("faces.xml"), atomically: true, encoding: .utf8)

        let fromXML = try LandmarkDataset.load(.ibug68, root: folder.appendingPathComponent("faces.xml"))
        let fromTree = try LandmarkDataset.load(.ibug68, root: folder)
        let a = fromXML.train + fromXML.validation, b = fromTree.train + fromTree.validation
        XCTAssertEqual(a.count, 1)
        XCTAssertEqual(b.count, 1)
        XCTAssertEqual(a[0].points, b[0].points)
        XCTAssertEqual(a[0].landmarkBox, Box(x: 10, y: 20, width: 67, height: 6))
        XCTAssertEqual(a[0].image.channels, 1)
        XCTAssertThrowsError(try LandmarkDataset.load(.ibug68, root: folder.appendingPathComponent("missing")))
    }
}
