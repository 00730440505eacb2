import XCTest
@testable import Morph
@testable import Pipeline

/// The lines `morph detect` and `morph` end with.
final class SummaryTests: XCTestCase {
    func testADetectSummaryCountsListsThePhotosWithoutAFaceAndTheFailures() {
        let report = DetectReport(analysed: [("a.jpg", 2), ("b.jpg", 0)], failed: [PhotoProblem(path: "c.jpg", reason: "not a photo")],
                                  contactSheet: "out/contact-sheet.jpg", peopleSheet: nil, recurringPeople: 0,
                                  medianTimings: (12.4, 30.6, 8))
        XCTAssertEqual(report.summary(folder: "out"), [
            "2 photos analysed, 2 faces; results in out/",
            "median per photo: decode 12 ms, find 31 ms, keypoints 8 ms",
            "contact sheet: out/contact-sheet.jpg",
            "no face: b.jpg",
            "1 photo(s) failed:",
            "  c.jpg: not a photo",
        ])
    }

    func testAVideoSummaryNamesTheVideoTheManifestAndTheSkippedPhotos() {
        let smoothness = Smoothness(meanColourSteps: [1, 3], pixelSteps: [2], blackShare: 0)
        let report = MorphVideoReport(used: ["a.jpg", "b.jpg"], skipped: [PhotoProblem(path: "c.jpg", reason: "c.jpg: no face")],
                                      frames: 75, duration: 2.5, note: nil, smoothness: smoothness)
        let lines = report.summary(output: "v.mp4", seconds: 4.25, manifest: "v.json")
        XCTAssertEqual(lines[0], "wrote v.mp4: 2 photos, 75 frames, 2.5 s of video, in 4.2 s")
        XCTAssertEqual(lines[1], smoothness.summary)
        XCTAssertEqual(Array(lines.dropFirst(2)), ["manifest: v.json", "skipped 1 photo(s):", "  c.jpg: no face"])
        XCTAssertEqual(report.summary(output: "v.mp4", seconds: 1, manifest: nil).count, 4)
        XCTAssertTrue(smoothness.summary.hasPrefix("colour steps between neighbouring photos (face, CIE76): mean colour 2.00 (max 3.00)"))
    }
}
