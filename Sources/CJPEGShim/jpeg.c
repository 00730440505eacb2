/* libjpeg wrappers with a setjmp-based error manager: libjpeg's default handler calls exit(). */
#include "CJPEGShim.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

typedef struct cs_error_manager {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    int truncated;
    int warnings;
    int end_marker_added; /* the data lacked its end marker and was given one */
} cs_error_manager;

static void cs_error_exit(j_common_ptr info) {
    cs_error_manager *manager = (cs_error_manager *)info->err;
    longjmp(manager->jump, 1);
}

/* Warnings (level -1) are counted, trace messages ignored; nothing is printed. */
static void cs_emit_message(j_common_ptr info, int level) {
    cs_error_manager *manager = (cs_error_manager *)info->err;
    if (level >= 0) return;
    if (info->err->msg_code == JWRN_JPEG_EOF) manager->truncated = 1;
    /* With an end marker added, meeting a marker inside the image data means the data ran out. */
    if (manager->end_marker_added && info->err->msg_code == JWRN_HIT_MARKER) manager->truncated = 1;
    manager->warnings++;
}

static void cs_output_message(j_common_ptr info) { (void)info; }

static void cs_install(struct jpeg_error_mgr *base) {
    jpeg_std_error(base);
    base->error_exit = cs_error_exit;
    base->emit_message = cs_emit_message;
    base->output_message = cs_output_message;
}

static void cs_copy_message(j_common_ptr info, char *message, size_t message_size) {
    char text[JMSG_LENGTH_MAX];
    if (message == NULL || message_size == 0) return;
    info->err->format_message(info, text);
    snprintf(message, message_size, "%s", text);
}

static void cs_set_message(char *message, size_t message_size, const char *text) {
    if (message != NULL && message_size > 0) snprintf(message, message_size, "%s", text);
}

int cs_jpeg_read_header(const uint8_t *data, size_t size, cs_jpeg_header *header,
                        char *message, size_t message_size) {
    struct jpeg_decompress_struct info;
    cs_error_manager manager = {0};
    info.err = &manager.base;
    cs_install(&manager.base);
    if (setjmp(manager.jump)) {
        int status = manager.truncated ? CS_JPEG_TRUNCATED : CS_JPEG_CORRUPT;
        cs_copy_message((j_common_ptr)&info, message, message_size);
        jpeg_destroy_decompress(&info);
        return status;
    }
    jpeg_CreateDecompress(&info, JPEG_LIB_VERSION, sizeof(info));
    jpeg_mem_src(&info, data, (unsigned long)size);
    jpeg_read_header(&info, TRUE);
    header->width = (int)info.image_width;
    header->height = (int)info.image_height;
    header->components = info.num_components;
    header->progressive = jpeg_has_multiple_scans(&info) ? 1 : 0;
    jpeg_destroy_decompress(&info);
    return CS_JPEG_OK;
}

void cs_jpeg_scaled_size(int width, int height, int scale_denominator, int *out_width, int *out_height) {
    *out_width = (width + scale_denominator - 1) / scale_denominator;
    *out_height = (height + scale_denominator - 1) / scale_denominator;
}

/* Adobe CMYK JPEGs store inverted values (255 = no ink): R = C * K / 255 on the stored bytes. */
static void cs_cmyk_row(const uint8_t *cmyk, uint8_t *out, int width, int channels) {
    for (int x = 0; x < width; x++) {
        int c = cmyk[4 * x], m = cmyk[4 * x + 1], y = cmyk[4 * x + 2], k = cmyk[4 * x + 3];
        int r = (c * k + 127) / 255, g = (m * k + 127) / 255, b = (y * k + 127) / 255;
        if (channels == 3) {
            out[3 * x] = (uint8_t)r;
            out[3 * x + 1] = (uint8_t)g;
            out[3 * x + 2] = (uint8_t)b;
        } else {
            out[x] = (uint8_t)((r * 77 + g * 150 + b * 29 + 128) >> 8);
        }
    }
}

int cs_jpeg_decode(const uint8_t *data, size_t size, int channels, int scale_denominator,
                   uint8_t *pixels, size_t capacity, int *warnings,
                   char *message, size_t message_size) {
    struct jpeg_decompress_struct info;
    cs_error_manager manager = {0};
    uint8_t *volatile cmyk_row = NULL;
    uint8_t *volatile completed = NULL;
    /* A file missing only its 2-byte end marker is complete: viewers show it, so it decodes. The
     * marker is added to a copy; data cut earlier then meets it inside the image and is truncated. */
    if (size >= 2 && !(data[size - 2] == 0xFF && data[size - 1] == 0xD9)) {
        completed = malloc(size + 2);
        if (completed == NULL) {
            cs_set_message(message, message_size, "out of memory");
            return CS_JPEG_CORRUPT;
        }
        memcpy(completed, data, size);
        completed[size] = 0xFF;
        completed[size + 1] = 0xD9;
        data = completed;
        size += 2;
        manager.end_marker_added = 1;
    }
    info.err = &manager.base;
    cs_install(&manager.base);
    if (setjmp(manager.jump)) {
        int status = manager.truncated ? CS_JPEG_TRUNCATED : CS_JPEG_CORRUPT;
        cs_copy_message((j_common_ptr)&info, message, message_size);
        jpeg_destroy_decompress(&info);
        free(cmyk_row);
        free(completed);
        return status;
    }
    jpeg_CreateDecompress(&info, JPEG_LIB_VERSION, sizeof(info));
    jpeg_mem_src(&info, data, (unsigned long)size);
    jpeg_read_header(&info, TRUE);
    int is_cmyk = info.jpeg_color_space == JCS_CMYK || info.jpeg_color_space == JCS_YCCK;
    if (is_cmyk) {
        info.out_color_space = JCS_CMYK;
    } else {
        info.out_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_EXT_RGB;
    }
    info.scale_num = 1;
    info.scale_denom = (unsigned int)scale_denominator;
    info.dct_method = JDCT_ISLOW;
    jpeg_start_decompress(&info);
    size_t stride = (size_t)info.output_width * (size_t)channels;
    if (stride * info.output_height > capacity) {
        jpeg_destroy_decompress(&info);
        free(completed);
        cs_set_message(message, message_size, "output buffer too small");
        return CS_JPEG_TOO_SMALL;
    }
    if (is_cmyk) cmyk_row = malloc((size_t)info.output_width * 4);
    while (info.output_scanline < info.output_height) {
        uint8_t *row = pixels + stride * info.output_scanline;
        if (is_cmyk) {
            JSAMPROW rows[1] = {cmyk_row};
            jpeg_read_scanlines(&info, rows, 1);
            cs_cmyk_row(cmyk_row, row, (int)info.output_width, channels);
        } else {
            JSAMPROW rows[1] = {row};
            jpeg_read_scanlines(&info, rows, 1);
        }
        if (manager.truncated) break;
    }
    int truncated = manager.truncated;
    if (truncated) {
        cs_set_message(message, message_size, "premature end of JPEG data");
        jpeg_abort_decompress(&info);
    } else {
        jpeg_finish_decompress(&info);
    }
    *warnings = manager.warnings;
    jpeg_destroy_decompress(&info);
    free(cmyk_row);
    free(completed);
    return truncated ? CS_JPEG_TRUNCATED : CS_JPEG_OK;
}

int cs_jpeg_encode(const uint8_t *pixels, int width, int height, int channels, int quality,
                   int progressive, uint8_t **out, size_t *out_size,
                   char *message, size_t message_size) {
    struct jpeg_compress_struct info;
    cs_error_manager manager = {0};
    unsigned char *volatile buffer = NULL;
    unsigned long buffer_size = 0;
    info.err = &manager.base;
    cs_install(&manager.base);
    if (setjmp(manager.jump)) {
        cs_copy_message((j_common_ptr)&info, message, message_size);
        jpeg_destroy_compress(&info);
        free(buffer);
        return CS_JPEG_CORRUPT;
    }
    jpeg_CreateCompress(&info, JPEG_LIB_VERSION, sizeof(info));
    jpeg_mem_dest(&info, (unsigned char **)&buffer, &buffer_size);
    info.image_width = (JDIMENSION)width;
    info.image_height = (JDIMENSION)height;
    info.input_components = channels;
    info.in_color_space = channels == 1 ? JCS_GRAYSCALE : channels == 4 ? JCS_CMYK : JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    if (channels == 4) {
        /* Written inverted, as Adobe applications do, with the Adobe marker that says so. */
        info.write_Adobe_marker = TRUE;
    }
    if (progressive) jpeg_simple_progression(&info);
    jpeg_start_compress(&info, TRUE);
    size_t stride = (size_t)width * (size_t)channels;
    while (info.next_scanline < info.image_height) {
        JSAMPROW rows[1] = {(JSAMPROW)(pixels + stride * info.next_scanline)};
        jpeg_write_scanlines(&info, rows, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    *out = buffer;
    *out_size = (size_t)buffer_size;
    return CS_JPEG_OK;
}

void cs_free(void *pointer) { free(pointer); }
