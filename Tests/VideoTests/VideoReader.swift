import CFFmpeg
import Foundation

/// What the tests read back from an encoded file with libavformat / libavcodec.
struct VideoFacts {
    var codecID: AVCodecID
    var pixelFormat: Int32
    var width: Int32
    var height: Int32
    var streamDuration: Double
    var packetDurationSum: Double
    var decodedFrames: Int
    /// Mean of the luma, Cb and Cr planes of the first decoded frame (zeros unless yuv420p).
    var firstFrameMeans: (y: Double, cb: Double, cr: Double)
}

enum ReadError: Error { case failed(String) }

/// Opens `path`, reads every packet of its first stream and decodes them all.
func readVideo(_ path: String) throws -> VideoFacts {
    var opened: UnsafeMutablePointer<AVFormatContext>?
    guard avformat_open_input(&opened, path, nil, nil) >= 0, let input = opened else { throw ReadError.failed("open \(path)") }
    defer { avformat_close_input(&opened) }
    guard avformat_find_stream_info(input, nil) >= 0, input.pointee.nb_streams == 1, let stream = input.pointee.streams[0] else {
        throw ReadError.failed("stream info")
    }
    let parameters = stream.pointee.codecpar!
    let timeBase = av_q2d(stream.pointee.time_base)
    guard let decoder = avcodec_find_decoder(parameters.pointee.codec_id) else { throw ReadError.failed("no decoder") }
    var codec = avcodec_alloc_context3(decoder)
    defer { avcodec_free_context(&codec) }
    guard avcodec_parameters_to_context(codec, parameters) >= 0, avcodec_open2(codec, decoder, nil) >= 0 else {
        throw ReadError.failed("open decoder")
    }
    var packet = av_packet_alloc()
    var frame = av_frame_alloc()
    defer { av_packet_free(&packet); av_frame_free(&frame) }
    var facts = VideoFacts(codecID: parameters.pointee.codec_id, pixelFormat: parameters.pointee.format,
                           width: parameters.pointee.width, height: parameters.pointee.height,
                           streamDuration: Double(stream.pointee.duration) * timeBase, packetDurationSum: 0,
                           decodedFrames: 0, firstFrameMeans: (0, 0, 0))
    func receiveFrames() {
        while avcodec_receive_frame(codec, frame) >= 0 {
            if facts.decodedFrames == 0 && frame!.pointee.format == AV_PIX_FMT_YUV420P.rawValue { facts.firstFrameMeans = planeMeans(frame!) }
            facts.decodedFrames += 1
        }
    }
    while av_read_frame(input, packet) >= 0 {
        facts.packetDurationSum += Double(packet!.pointee.duration) * timeBase
        avcodec_send_packet(codec, packet)
        av_packet_unref(packet)
        receiveFrames()
    }
    avcodec_send_packet(codec, nil)
    receiveFrames()
    return facts
}

/// Means of the three planes of a yuv420p frame.
private func planeMeans(_ frame: UnsafeMutablePointer<AVFrame>) -> (y: Double, cb: Double, cr: Double) {
    let width = Int(frame.pointee.width), height = Int(frame.pointee.height)
    func mean(_ plane: UnsafeMutablePointer<UInt8>?, _ stride: Int32, _ w: Int, _ h: Int) -> Double {
        var sum = 0
        for y in 0..<h { for x in 0..<w { sum += Int(plane![y * Int(stride) + x]) } }
        return Double(sum) / Double(w * h)
    }
    let (data, lines) = (frame.pointee.data, frame.pointee.linesize)
    return (mean(data.0, lines.0, width, height), mean(data.1, lines.1, width / 2, height / 2),
            mean(data.2, lines.2, width / 2, height / 2))
}

/// Types of the top-level ISO-BMFF boxes of the file, in order.
func topLevelBoxes(_ path: String) throws -> [String] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    var boxes: [String] = []
    var offset = 0
    while offset + 8 <= data.count {
        let size = data[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        boxes.append(String(decoding: data[offset + 4..<offset + 8], as: UTF8.self))
        guard size >= 8 else { break }
        offset += size
    }
    return boxes
}
