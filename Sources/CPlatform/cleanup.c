/* Temporary files removed when SIGINT, SIGTERM, SIGHUP or SIGPIPE ends the process. The handler only calls
 * async-signal-safe functions (unlink, sigaction, raise) on paths copied into static slots. */
#include "CPlatform.h"

#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

enum { CS_SLOTS = 64, CS_PATH_MAX = 4096 };
enum { SLOT_FREE = 0, SLOT_FILLING = 1, SLOT_READY = 2 };

static _Atomic int slot_state[CS_SLOTS];
static char slot_path[CS_SLOTS][CS_PATH_MAX];

int cs_cleanup_register(const char *path) {
    size_t length = strlen(path);
    if (length >= CS_PATH_MAX) return -1;
    for (int slot = 0; slot < CS_SLOTS; slot++) {
        int expected = SLOT_FREE;
        if (atomic_compare_exchange_strong(&slot_state[slot], &expected, SLOT_FILLING)) {
            memcpy(slot_path[slot], path, length + 1);
            atomic_store(&slot_state[slot], SLOT_READY);
            return slot;
        }
    }
    return -1;
}

void cs_cleanup_unregister(int slot) {
    if (slot >= 0 && slot < CS_SLOTS) atomic_store(&slot_state[slot], SLOT_FREE);
}

void cs_cleanup_remove_all(void) {
    for (int slot = 0; slot < CS_SLOTS; slot++) {
        if (atomic_load(&slot_state[slot]) == SLOT_READY) unlink(slot_path[slot]);
    }
}

static void cs_cleanup_handler(int signal_number) {
    cs_cleanup_remove_all();
    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(signal_number, &fallback, NULL);
    raise(signal_number);
}

void cs_cleanup_install(void) {
    static const int signals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = cs_cleanup_handler;
        sigemptyset(&action.sa_mask);
        sigaction(signals[i], &action, NULL);
    }
}
