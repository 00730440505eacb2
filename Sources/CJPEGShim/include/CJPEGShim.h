/* libjpeg-turbo behind an error manager Swift cannot express (setjmp/longjmp): every function
 * reports failure through its return value and a caller-supplied message buffer; none of them
 * exits or prints (libjpeg's default handler calls exit()). */
#ifndef CJPEGSHIM_H
#define CJPEGSHIM_H

#include <stddef.h>
#include <stdint.h>

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

#endif
