/* Function forms of FFmpeg's error macros, which Swift cannot import. */
#include "CFFmpegShim.h"

#include <errno.h>
#include <libavutil/error.h>

int cs_averror_eagain(void) { return AVERROR(EAGAIN); }
int cs_averror_eof(void) { return AVERROR_EOF; }
