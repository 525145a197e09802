/*
 * Loaded with LD_PRELOAD into a server process (see fsync-fault.ts): its fsync and fdatasync,
 * SQLite's and Node's alike, are held back or fail on the test's word, as a slow or failing
 * disk would make them.
 *   FSYNC_FAULT_HOLD  a path: while that file exists, each sync waits; FSYNC_FAULT_HOLD.held
 *                     is created once one does, so the test knows a sync is under way.
 *   FSYNC_FAULT_FAIL  a path: while that file exists, each sync fails with EIO.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int exists(const char *setting) {
  const char *path = getenv(setting);
  return path && access(path, F_OK) == 0;
}

/* Returns -1 (errno EIO) for a failed sync, 0 to let it through. */
static int fault(void) {
  if (exists("FSYNC_FAULT_HOLD")) {
    char held[4096];
    snprintf(held, sizeof held, "%s.held", getenv("FSYNC_FAULT_HOLD"));
    close(open(held, O_CREAT | O_WRONLY, 0644));
    const struct timespec pause = {0, 1000000};
    while (exists("FSYNC_FAULT_HOLD")) nanosleep(&pause, NULL);
  }
  if (exists("FSYNC_FAULT_FAIL")) {
    errno = EIO;
    return -1;
  }
  return 0;
}

int fsync(int fd) {
  static int (*real)(int);
  if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  return fault() ? -1 : real(fd);
}

int fdatasync(int fd) {
  static int (*real)(int);
  if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
  return fault() ? -1 : real(fd);
}
