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

    func testATrainingShareIsEvenlySpacedSoEverySubsetKeepsItsShare() {
        let photos = Array(0..<10)
        XCTAssertEqual(LandmarkDataset.evenlySpaced(photos, share: 0.5), [0, 2, 4, 6, 8])
        XCTAssertEqual(LandmarkDataset.evenlySpaced(photos, share: 0.3), [0, 3, 6])
        XCTAssertEqual(LandmarkDataset.evenlySpaced(photos, share: 1), photos)
        XCTAssertEqual(LandmarkDataset.evenlySpaced(photos, share: 0.01), [0])
        XCTAssertEqual(LandmarkDataset.evenlySpaced([Int](), share: 0.5), [])
        // Three subsets of 40, 20 and 40 photos, sorted by folder: a quarter keeps 10, 5 and 10.
        let subsets = Array(repeating: "afw", count: 40) + Array(repeating: "helen", count: 20) + Array(repeating: "lfpw", count: 40)
        let kept = LandmarkDataset.evenlySpaced(subsets, share: 0.25)
        XCTAssertEqual(["afw", "helen", "lfpw"].map { name in kept.filter { $0 == name }.count }, [10, 5, 10])
    }
}
