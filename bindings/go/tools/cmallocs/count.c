/* An LD_PRELOAD shim that counts the C heap allocations of a process
 * (malloc, calloc, realloc, aligned allocations; C++ operator new goes
 * through malloc) into the file named by $CMALLOCS_FILE. Go's own
 * allocations never reach malloc, so in a Go benchmark the count is what
 * cgo code allocates. The counter lives in a shared mapping of that file
 * because a Go program exits without running C destructors. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* glibc's implementations, which the interposed names forward to. */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

/* Counts here until the file is mapped. */
static atomic_ulong early;
static atomic_ulong *counter = &early;

__attribute__((constructor)) static void map_counter(void) {
  const char *path = getenv("CMALLOCS_FILE");
  if (path == NULL)
    return;
  const int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || ftruncate(fd, sizeof(atomic_ulong)) != 0)
    return;
  void *shared = mmap(NULL, sizeof(atomic_ulong), PROT_READ | PROT_WRITE,
                      MAP_SHARED, fd, 0);
  close(fd);
  if (shared != MAP_FAILED)
    counter = shared;
}

void *malloc(size_t size) {
  atomic_fetch_add_explicit(counter, 1, memory_order_relaxed);
  return __libc_malloc(size);
}

void *calloc(size_t n, size_t size) {
  atomic_fetch_add_explicit(counter, 1, memory_order_relaxed);
  return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size) {
  atomic_fetch_add_explicit(counter, 1, memory_order_relaxed);
  return __libc_realloc(p, size);
}

int posix_memalign(void **out, size_t alignment, size_t size) {
  atomic_fetch_add_explicit(counter, 1, memory_order_relaxed);
  void *p = __libc_memalign(alignment, size);
  if (p == NULL)
    return 12; /* ENOMEM */
  *out = p;
  return 0;
}

void *aligned_alloc(size_t alignment, size_t size) {
  atomic_fetch_add_explicit(counter, 1, memory_order_relaxed);
  return __libc_memalign(alignment, size);
}
