import CFFmpeg
import CFFmpegShim
import Foundation
import Imaging
import Plumbing

/// What to encode: frame size, rate and quality of an H.264 video.
public struct VideoSettings: Equatable, Sendable {
    /// Frame width in pixels; must be even (yuv420p).
    public var width: Int
    /// Frame height in pixels; must be even (yuv420p).
    public var height: Int
    /// Frames per second (a fractional rate becomes a fraction: 29.97 is 2997/100).
    public var fps: Double
    /// x264 constant rate factor, 0 (lossless) ... 51 (worst); 18-23 looks good.
    public var crf: Int
    /// x264 speed preset ("ultrafast" ... "veryslow").
    public var preset: String

    /// Settings with the defaults 30 fps, CRF 20, preset "veryfast".
    public init(width: Int, height: Int, fps: Double = 30, crf: Int = 20, preset: String = "veryfast") {
        (self.width, self.height, self.fps, self.crf, self.preset) = (width, height, fps, crf, preset)
    }
}

/// Streams RGB frames into an H.264 (libx264, yuv420p) video in the container its extension names
/// (MP4 with `+faststart` for .mp4/.mov/.m4v), or into an animated GIF (fixed 252-colour palette,
/// ordered dithering, looping) when the path ends in `.gif`; CRF and preset apply to H.264 only.
///
/// The file is written to a hidden temporary sibling and renamed into place by `finish()`; a
/// failure, `cancel()` or releasing an unfinished encoder removes the temporary file and leaves
/// any existing output untouched. Frames are converted and encoded as they arrive, so memory does
/// not grow with their number. Frame `i` has timestamp `i / fps` and lasts `1 / fps`.
public final class VideoEncoder {
    /// The final output path.
    public let path: String
    /// The encoding settings.
    public let settings: VideoSettings
    /// Frames accepted so far.
    public private(set) var frameCount = 0

    /// The hidden sibling file being written until `finish()` renames it onto `path`; it is removed
    /// on SIGINT, SIGTERM, SIGHUP and SIGPIPE (see `TemporaryFile.removeOnSignals()`), and a later encoder
    /// writing into the same folder removes it if this process was killed outright.
    public let temporaryPath: String
    private var cleanupToken: Int32 = -1
    private var format: UnsafeMutablePointer<AVFormatContext>?
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private var stream: UnsafeMutablePointer<AVStream>
    private var frame: UnsafeMutablePointer<AVFrame>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private let codecKind: CodecKind
    private var scaler: OpaquePointer?
    private var scalerSource: AVPixelFormat?
    private var isOpen = true

    /// The x264 speed presets, fastest first.
    public static let presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo"]

    /// Opens `path` for writing; throws before any frame when the settings are invalid, the path
    /// names one of `inputs`, or the file cannot be created.
    public init(path: String, settings: VideoSettings, inputs: [String] = []) throws {
        self.path = path
        self.settings = settings
        try OutputPath.check(path, inputs: inputs)
        guard settings.width > 0, settings.height > 0, settings.width % 2 == 0, settings.height % 2 == 0 else {
            throw VideoError.invalidSettings(path: path, reason: "frame size \(settings.width)x\(settings.height) must be positive and even")
        }
        guard settings.fps.isFinite, settings.fps > 0, settings.fps <= 1000 else { throw VideoError.invalidSettings(path: path, reason: "frame rate \(settings.fps) is not in (0, 1000]") }
        guard (0...51).contains(settings.crf) else { throw VideoError.invalidSettings(path: path, reason: "CRF \(settings.crf) outside 0...51") }
        guard Self.presets.contains(settings.preset) else {
            throw VideoError.invalidSettings(path: path, reason: "unknown x264 preset \(settings.preset)")
        }
        TemporaryFile.removeStale(inFolder: URL(fileURLWithPath: path).deletingLastPathComponent().path)
        temporaryPath = TemporaryFile.sibling(of: path)
        // The container follows the final name; the context's URL is the temporary file, which
        // +faststart reopens to move the index to the front.
        var format: UnsafeMutablePointer<AVFormatContext>?
        guard let container = av_guess_format(nil, path, nil),
              avformat_alloc_output_context2(&format, container, nil, temporaryPath) >= 0, let format else {
            throw VideoError.invalidSettings(path: path, reason: "no container format for this file extension")
        }
        codecKind = String(cString: container.pointee.name) == "gif" ? .gif : .h264
        guard avformat_query_codec(container, codecKind.id, FF_COMPLIANCE_NORMAL) == 1 else {
            avformat_free_context(format)
            throw VideoError.invalidSettings(path: path, reason: "the \(String(cString: container.pointee.name)) container cannot hold H.264 (use .mp4 or .gif)")
        }
        self.format = format
        guard let encoder = avcodec_find_encoder_by_name(codecKind.encoderName) else {
            avformat_free_context(format)
            throw VideoError.encoderUnavailable(path: path, encoder: codecKind.encoderName)
        }
        guard let stream = avformat_new_stream(format, nil), let codec = avcodec_alloc_context3(encoder) else {
            avformat_free_context(format)
            throw VideoError.ffmpeg(path: path, operation: "allocating the stream", message: "out of memory")
        }
        self.stream = stream
        self.codec = codec
        do {
            try configure(encoder: encoder)
        } catch {
            release(removingTemporaryFile: true)
            throw error
        }
    }

    deinit {
        if isOpen { release(removingTemporaryFile: true) }
    }

    /// Sets up codec, stream, converter and the temporary file, and writes the container header.
    private func configure(encoder: UnsafePointer<AVCodec>) throws {
        guard let format, let codec else { return }
        let rate = av_d2q(settings.fps, 100_000)
        codec.pointee.width = Int32(settings.width)
        codec.pointee.height = Int32(settings.height)
        codec.pointee.time_base = av_inv_q(rate)
        codec.pointee.framerate = rate
        codec.pointee.pix_fmt = codecKind.pixelFormat
        if format.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 {
            codec.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER
        }
        if codecKind == .h264 {
            codec.pointee.gop_size = Int32(max(1, 2 * settings.fps.rounded()))
            codec.pointee.color_range = AVCOL_RANGE_MPEG
            codec.pointee.colorspace = AVCOL_SPC_BT709
            codec.pointee.color_primaries = AVCOL_PRI_BT709
            codec.pointee.color_trc = AVCOL_TRC_BT709
            try check(av_opt_set(codec.pointee.priv_data, "preset", settings.preset, 0), "setting preset \(settings.preset)")
            try check(av_opt_set(codec.pointee.priv_data, "crf", String(settings.crf), 0), "setting CRF")
        }
        try check(avcodec_open2(codec, encoder, nil), "opening the \(codecKind.encoderName) encoder")
        try check(avcodec_parameters_from_context(stream.pointee.codecpar, codec), "copying codec parameters")
        stream.pointee.time_base = codec.pointee.time_base
        stream.pointee.avg_frame_rate = codec.pointee.framerate

        frame = av_frame_alloc()
        packet = av_packet_alloc()
        guard let frame, packet != nil else { throw VideoError.ffmpeg(path: path, operation: "allocating frames", message: "out of memory") }
        frame.pointee.format = codecKind.pixelFormat.rawValue
        frame.pointee.width = codec.pointee.width
        frame.pointee.height = codec.pointee.height
        try check(av_frame_get_buffer(frame, 0), "allocating the frame buffer")

        cleanupToken = TemporaryFile.remember(temporaryPath)
        let opened = avio_open(&format.pointee.pb, temporaryPath, AVIO_FLAG_WRITE)
        guard opened >= 0 else { throw VideoError.cannotWrite(path: temporaryPath, reason: ffmpegMessage(opened)) }
        var options: OpaquePointer?
        av_dict_set(&options, "movflags", "+faststart", 0)
        defer { av_dict_free(&options) }
        try check(avformat_write_header(format, &options), "writing the container header")
    }

    /// Encodes one frame: an RGB (or grey) image of the configured size.
    public func append(_ image: Image) throws {
        precondition(isOpen, "append after finish, cancel or failure")
        precondition(image.width == settings.width && image.height == settings.height,
                     "frame is \(image.width)x\(image.height), the video \(settings.width)x\(settings.height)")
        guard let frame, let codec else { return }
        do {
            try convert(image, into: frame)
            frame.pointee.pts = Int64(frameCount)
            try check(avcodec_send_frame(codec, frame), "sending frame \(frameCount) to the encoder")
            try drain()
            frameCount += 1
        } catch {
            release(removingTemporaryFile: true)
            throw error
        }
    }

    /// Flushes the encoder, writes the trailer (moving the index to the front) and renames the
    /// temporary file onto `path`.
    public func finish() throws {
        precondition(isOpen, "finish after finish, cancel or failure")
        do {
            try check(avcodec_send_frame(codec, nil), "flushing the encoder")
            try drain()
            try check(av_write_trailer(format), "writing the container trailer")
            try check(avio_closep(&format!.pointee.pb), "closing the file")
            guard rename(temporaryPath, path) == 0 else {
                throw VideoError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
            release(removingTemporaryFile: false)
        } catch {
            release(removingTemporaryFile: true)
            throw error
        }
    }

    /// Abandons the video: frees the encoder and deletes the temporary file. Safe to call twice.
    public func cancel() {
        if isOpen { release(removingTemporaryFile: true) }
    }

    /// Converts `image` into `frame`: yuv420p (BT.709, limited range) for H.264, palette indices for GIF.
    private func convert(_ image: Image, into frame: UnsafeMutablePointer<AVFrame>) throws {
        try check(av_frame_make_writable(frame), "making the frame writable")
        if codecKind == .gif {
            PaletteQuantizer.quantize(image, into: frame.pointee.data.0!, stride: Int(frame.pointee.linesize.0))
            PaletteQuantizer.palette.withUnsafeBytes { frame.pointee.data.1!.update(from: $0.baseAddress!.assumingMemoryBound(to: UInt8.self), count: $0.count) }
            return
        }
        let source = image.channels == 3 ? AV_PIX_FMT_RGB24 : AV_PIX_FMT_GRAY8
        let (w, h) = (Int32(image.width), Int32(image.height))
        if scalerSource != source {
            sws_freeContext(scaler)
            scaler = sws_getContext(w, h, source, w, h, AV_PIX_FMT_YUV420P, SWS_BILINEAR, nil, nil, nil)
            let bt709 = sws_getCoefficients(SWS_CS_ITU709)
            sws_setColorspaceDetails(scaler, bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16)
            scalerSource = source
        }
        guard let scaler else { throw VideoError.ffmpeg(path: path, operation: "creating the colour converter", message: "unsupported conversion") }
        image.pixels.withUnsafeBufferPointer { pixels in
            var sourcePlanes: [UnsafePointer<UInt8>?] = [pixels.baseAddress, nil, nil, nil]
            var sourceStrides: [Int32] = [w * Int32(image.channels), 0, 0, 0]
            withUnsafeMutablePointer(to: &frame.pointee.data) { data in
                withUnsafeMutablePointer(to: &frame.pointee.linesize) { linesize in
                    data.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: Int(AV_NUM_DATA_POINTERS)) { planes in
                        linesize.withMemoryRebound(to: Int32.self, capacity: Int(AV_NUM_DATA_POINTERS)) { strides in
                            _ = sws_scale(scaler, &sourcePlanes, &sourceStrides, 0, h, planes, strides)
                        }
                    }
                }
            }
        }
    }

    /// Writes every packet the encoder has ready, each lasting one frame, in stream time.
    private func drain() throws {
        guard let codec, let packet, let format else { return }
        while true {
            let status = avcodec_receive_packet(codec, packet)
            if status == cs_averror_eagain() || status == cs_averror_eof() { return }
            try check(status, "encoding")
            if packet.pointee.duration == 0 { packet.pointee.duration = 1 }
            av_packet_rescale_ts(packet, codec.pointee.time_base, stream.pointee.time_base)
            packet.pointee.stream_index = stream.pointee.index
            try check(av_interleaved_write_frame(format, packet), "writing a packet")
        }
    }

    /// Throws a `VideoError.ffmpeg` with FFmpeg's message when `status` is negative.
    private func check(_ status: Int32, _ operation: String) throws {
        guard status >= 0 else { throw VideoError.ffmpeg(path: path, operation: operation, message: ffmpegMessage(status)) }
    }

    /// Frees every FFmpeg object; deletes the temporary file when asked.
    private func release(removingTemporaryFile: Bool) {
        isOpen = false
        TemporaryFile.forget(cleanupToken)
        cleanupToken = -1
        if let format, format.pointee.pb != nil { avio_closep(&format.pointee.pb) }
        if removingTemporaryFile { unlink(temporaryPath) }
        sws_freeContext(scaler)
        scaler = nil
        scalerSource = nil
        av_packet_free(&packet)
        av_frame_free(&frame)
        avcodec_free_context(&codec)
        avformat_free_context(format)
        format = nil
    }
}

/// The two encoders a container can get.
private enum CodecKind {
    case h264
    case gif

    var id: AVCodecID { self == .h264 ? AV_CODEC_ID_H264 : AV_CODEC_ID_GIF }
    var encoderName: String { self == .h264 ? "libx264" : "gif" }
    var pixelFormat: AVPixelFormat { self == .h264 ? AV_PIX_FMT_YUV420P : AV_PIX_FMT_PAL8 }
}
