import XCTest
@testable import Morph

final class ScheduleTests: XCTestCase {
    func testDefaultsForSeventeenPhotos() throws {
        let schedule = try FrameSchedule(photoCount: 17)
        XCTAssertEqual(schedule.holdFrames, 15)
        XCTAssertEqual(schedule.transitionFrames, 45)
        XCTAssertEqual(schedule.frameCount, 17 * 15 + 16 * 45)
        XCTAssertEqual(Array(schedule).count, schedule.frameCount)
        XCTAssertEqual(schedule.duration, 32.5, accuracy: 1e-12)
    }

    func testOrderAndProgressOfFrames() throws {
        let schedule = try FrameSchedule(photoCount: 3, transition: 0.3, hold: 0.2, fps: 10)
        let frames = Array(schedule)
        XCTAssertEqual(frames, [
            .hold(photo: 0), .hold(photo: 0),
            .transition(pair: 0, t: 0.25), .transition(pair: 0, t: 0.5), .transition(pair: 0, t: 0.75),
            .hold(photo: 1), .hold(photo: 1),
            .transition(pair: 1, t: 0.25), .transition(pair: 1, t: 0.5), .transition(pair: 1, t: 0.75),
            .hold(photo: 2), .hold(photo: 2),
        ])
    }

    func testSinglePhotoIsAtLeastOneSecondAndZeroHoldStillShowsEachPhoto() throws {
        XCTAssertEqual(try FrameSchedule(photoCount: 1).frameCount, 30)
        XCTAssertEqual(try FrameSchedule(photoCount: 1, hold: 2.5, fps: 24).frameCount, 60)
        let noHold = try FrameSchedule(photoCount: 4, transition: 1, hold: 0, fps: 25)
        XCTAssertEqual(noHold.frameCount, 4 * 1 + 3 * 25)
    }

    func testInvalidSettingsThrow() {
        XCTAssertThrowsError(try FrameSchedule(photoCount: 0)) { XCTAssertEqual($0 as? FrameScheduleError, .noPhotos) }
        XCTAssertThrowsError(try FrameSchedule(photoCount: 2, fps: 0))
        XCTAssertThrowsError(try FrameSchedule(photoCount: 2, hold: -1))
        XCTAssertThrowsError(try FrameSchedule(photoCount: 2, transition: .nan))
    }

    func testAbsurdDurationsAreRefusedNotOverflowed() {
        // --hold 1e300 overflowed the frame count (1-frame holds in the unchecked build); 1e12 s planned 3e13 frames.
        for (hold, transition) in [(1e300, 1.5), (0.5, 1e12), (0.5, 40_000)] {
            XCTAssertThrowsError(try FrameSchedule(photoCount: 3, transition: transition, hold: hold, fps: 30)) {
                guard case FrameScheduleError.tooManyFrames = $0 else { return XCTFail("\($0)") }
                XCTAssertTrue("\($0)".contains("shorten the holds or transitions"))
            }
        }
        XCTAssertThrowsError(try FrameSchedule(photoCount: 2, fps: 1e300))
        XCTAssertNoThrow(try FrameSchedule(photoCount: 17, transition: 600, hold: 600, fps: 30))
    }

    func testEasingFixesEndpoints() {
        for easing in Easing.allCases {
            XCTAssertEqual(easing.apply(0), 0)
            XCTAssertEqual(easing.apply(1), 1)
            XCTAssertEqual(easing.apply(0.5), 0.5, accuracy: 1e-12)
        }
        XCTAssertLessThan(Easing.smooth.apply(0.1), 0.1)
    }

    func testHoldAndVisibleRangesOfEachPhoto() throws {
        let schedule = try FrameSchedule(photoCount: 3, transition: 0.4, hold: 0.2, fps: 10)  // H 2, M 4: 14 frames
        XCTAssertEqual((0..<3).map(schedule.holdRange(of:)), [0...1, 6...7, 12...13])
        XCTAssertEqual((0..<3).map(schedule.visibleRange(of:)), [0...5, 2...11, 8...13])
        for photo in 0..<3 {
            for frame in schedule.holdRange(of: photo) { XCTAssertEqual(schedule[frame], .hold(photo: photo)) }
        }
        XCTAssertEqual(try FrameSchedule(photoCount: 1, fps: 10).visibleRange(of: 0), 0...9)
    }
}
