/* Process and CPU helpers Swift cannot express: temporary files removed by a signal handler that
 * calls only async-signal-safe functions, and CPU feature probes. None of them exits or prints. */
#ifndef CPLATFORM_H
#define CPLATFORM_H

/* ---- Temporary files removed on SIGINT, SIGTERM, SIGHUP, SIGPIPE ------------------------------- */

/** Remembers `path` for removal on those signals; returns its slot, or -1 when all 64 slots are taken
 *  or the path is too long (the file is then only cleaned up by the next run). */
int cs_cleanup_register(const char *path);
/** Forgets the path in `slot` (a slot from `cs_cleanup_register`; -1 is ignored). */
void cs_cleanup_unregister(int slot);
/** Removes every remembered file now (what the signal handler does before the signal ends the process). */
void cs_cleanup_remove_all(void);
/** Installs the handler for SIGINT, SIGTERM, SIGHUP and SIGPIPE: remove the files, then die of the signal. */
void cs_cleanup_install(void);

/* ---- CPU ------------------------------------------------------------------------------------ */

/** 1 when the CPU executes AVX-512F instructions. */
int cs_cpu_has_avx512(void);
/** 1 when the CPU executes AVX2 and FMA instructions. */
int cs_cpu_has_avx2(void);

#endif
