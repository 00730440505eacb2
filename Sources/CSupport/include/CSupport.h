/* C helpers for what Swift cannot express: libjpeg's setjmp/longjmp error handling, FFmpeg's
 * error macros, and CPU feature probes. Every function reports failure through its return value
 * and a caller-supplied message buffer; none of them exits or prints. */
#ifndef CSUPPORT_H
#define CSUPPORT_H

#include <stddef.h>
#include <stdint.h>

/* ---- JPEG (libjpeg-turbo) ---------------------------------------------------------------- */

/** Result codes of the JPEG helpers. */
enum cs_jpeg_status {
    CS_JPEG_OK = 0,
    CS_JPEG_CORRUPT = 1,   /* libjpeg rejected the data; the message says why */
    CS_JPEG_TRUNCATED = 2, /* the data ended before the image did */
    CS_JPEG_TOO_SMALL = 3  /* the caller's buffer cannot hold the image */
};

/** Header facts of a JPEG stream. */
typedef struct cs_jpeg_header {
    int width;
    int height;
    int components;  /* 1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK */
    int progressive;
} cs_jpeg_header;

/** Reads only the header of `data`: dimensions before any pixel buffer is allocated. */
int cs_jpeg_read_header(const uint8_t *data, size_t size, cs_jpeg_header *header,
                        char *message, size_t message_size);

/** Output dimensions of a decode at 1/`scale_denominator` (1, 2, 4 or 8). */
void cs_jpeg_scaled_size(int width, int height, int scale_denominator, int *out_width, int *out_height);

/** Decodes `data` into `pixels` (row-major, `channels` = 1 grey or 3 RGB interleaved, no padding),
 *  scaled by 1/`scale_denominator`; CMYK and YCCK are converted. `warnings` counts recoverable
 *  corrupt-data warnings. */
int cs_jpeg_decode(const uint8_t *data, size_t size, int channels, int scale_denominator,
                   uint8_t *pixels, size_t capacity, int *warnings,
                   char *message, size_t message_size);

/** Encodes interleaved pixels (`channels` 1 grey, 3 RGB or 4 CMYK) into a malloc'ed buffer that the
 *  caller releases with `cs_free`. */
int cs_jpeg_encode(const uint8_t *pixels, int width, int height, int channels, int quality,
                   int progressive, uint8_t **out, size_t *out_size,
                   char *message, size_t message_size);

/** Releases a buffer returned by a helper. */
void cs_free(void *pointer);

/* ---- FFmpeg macro shims -------------------------------------------------------------------- */

/** AVERROR(EAGAIN). */
int cs_averror_eagain(void);
/** AVERROR_EOF. */
int cs_averror_eof(void);

/* ---- Temporary files removed on SIGINT, SIGTERM, SIGHUP ------------------------------------ */

/** Remembers `path` for removal on those signals; returns its slot, or -1 when all 64 slots are taken
 *  or the path is too long (the file is then only cleaned up by the next run). */
int cs_cleanup_register(const char *path);
/** Forgets the path in `slot` (a slot from `cs_cleanup_register`; -1 is ignored). */
void cs_cleanup_unregister(int slot);
/** Removes every remembered file now (what the signal handler does before the signal ends the process). */
void cs_cleanup_remove_all(void);
/** Installs the handler for SIGINT, SIGTERM and SIGHUP: remove the files, then die of the signal. */
void cs_cleanup_install(void);

/* ---- CPU ------------------------------------------------------------------------------------ */

/** 1 when the CPU executes AVX-512F instructions. */
int cs_cpu_has_avx512(void);
/** 1 when the CPU executes AVX2 and FMA instructions. */
int cs_cpu_has_avx2(void);

#endif
