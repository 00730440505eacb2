/* Function forms of FFmpeg's error macros, which Swift cannot import. */
#ifndef CFFMPEGSHIM_H
#define CFFMPEGSHIM_H

/** AVERROR(EAGAIN). */
int cs_averror_eagain(void);
/** AVERROR_EOF. */
int cs_averror_eof(void);

#endif
