/*
 * For cancel tests (C and C++): wait until another thread is really asleep
 * in the kernel, so that a trigger lands inside its sleep, not just before
 * it (a token checked before sleeping would hide a trigger that never wakes
 * a sleeper). Linux: the thread's state comes from /proc.
 */
#ifndef BACKOFF_TESTS_SLEEPING_THREAD_H
#define BACKOFF_TESTS_SLEEPING_THREAD_H

#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Seconds on the monotonic clock. */
static inline double sleeping_thread_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The calling thread's kernel id, for sleeping_thread_wait. */
static inline long sleeping_thread_self(void) {
  return (long)syscall(SYS_gettid);
}

/* Waits until thread `tid` of this process is asleep ('S': blocked on a
 * futex, a timer …). 1 when it is, 0 if it was not within `timeout` seconds.
 * Call it once the thread has nothing left to block on but the sleep. */
static inline int sleeping_thread_wait(long tid, double timeout) {
  const double deadline = sleeping_thread_now() + timeout;
  const struct timespec pause = {0, 1000000L};
  char path[64], stat[512];
  snprintf(path, sizeof path, "/proc/self/task/%ld/stat", tid);
  for (;;) {
    FILE *f = fopen(path, "r");
    if (f != NULL) {
      const size_t n = fread(stat, 1, sizeof stat - 1, f);
      const char *state;
      fclose(f);
      stat[n] = '\0';
      /* "tid (name) S ...": the name may hold spaces and parentheses. */
      state = strrchr(stat, ')');
      if (state != NULL && state[1] == ' ' && state[2] == 'S')
        return 1;
    }
    if (sleeping_thread_now() > deadline)
      return 0;
    nanosleep(&pause, NULL);
  }
}

#endif
