// LD_PRELOAD shim for scripts/test-clock-ahead: moves the wall clock (CLOCK_REALTIME,
// gettimeofday, time) CLOCK_AHEAD_SECONDS ahead and leaves every other clock alone. Written
// for this project because libfaketime stalls Swift's test runner at random points.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

typedef int (*clock_gettime_fn)(clockid_t, struct timespec *);
typedef int (*gettimeofday_fn)(struct timeval *, void *);

static long ahead_seconds(void) {
    static long cached = -1;
    if (cached < 0) {
        const char *s = getenv("CLOCK_AHEAD_SECONDS");
        cached = s ? atol(s) : 0;
    }
    return cached;
}

static int is_wall(clockid_t id) {
    return id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE;
}

int clock_gettime(clockid_t id, struct timespec *ts) {
    static clock_gettime_fn real;
    if (!real) real = (clock_gettime_fn)dlsym(RTLD_NEXT, "clock_gettime");
    int rc = real(id, ts);
    if (rc == 0 && ts && is_wall(id)) ts->tv_sec += ahead_seconds();
    return rc;
}

int gettimeofday(struct timeval *tv, void *tz) {
    static gettimeofday_fn real;
    if (!real) real = (gettimeofday_fn)dlsym(RTLD_NEXT, "gettimeofday");
    int rc = real(tv, tz);
    if (rc == 0 && tv) tv->tv_sec += ahead_seconds();
    return rc;
}

time_t time(time_t *out) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (out) *out = ts.tv_sec;
    return ts.tv_sec;
}
