/* Runs a fuzz target over its checked-in corpus, without libFuzzer: every
 * file under each directory (or each file) given is one input. This is how
 * the targets run in `meson test` with any compiler; a check that fails
 * aborts, and so fails the test. */
#define _POSIX_C_SOURCE 200809L

#include "fuzz.h"

#include <dirent.h>
#include <sys/stat.h>

static unsigned replayed;

static void replay_file(const char *path) {
  FILE *f = fopen(path, "rb");
  uint8_t *data = NULL;
  size_t size = 0, capacity = 0, n;
  CHECK(f != NULL, "cannot open %s", path);
  do {
    if (size == capacity) {
      capacity = capacity ? capacity * 2 : 4096;
      data = realloc(data, capacity);
      CHECK(data != NULL, "out of memory reading %s", path);
    }
    n = fread(data + size, 1, capacity - size, f);
    size += n;
  } while (n > 0);
  CHECK(!ferror(f), "cannot read %s", path);
  fclose(f);
  LLVMFuzzerTestOneInput(data, size);
  free(data);
  replayed++;
}

static void replay(const char *path) {
  struct stat st;
  DIR *dir;
  struct dirent *entry;
  CHECK(stat(path, &st) == 0, "no such file or directory: %s", path);
  if (!S_ISDIR(st.st_mode)) {
    replay_file(path);
    return;
  }
  dir = opendir(path);
  CHECK(dir != NULL, "cannot open directory %s", path);
  while ((entry = readdir(dir)) != NULL) {
    char child[4096];
    if (entry->d_name[0] == '.')
      continue;
    CHECK(snprintf(child, sizeof child, "%s/%s", path, entry->d_name) <
              (int)sizeof child,
          "path too long under %s", path);
    replay(child);
  }
  closedir(dir);
}

int main(int argc, char **argv) {
  int i;
  CHECK(argc > 1, "usage: %s CORPUS-DIR-OR-FILE...", argv[0]);
  for (i = 1; i < argc; ++i)
    replay(argv[i]);
  CHECK(replayed > 0, "no input found under %s", argv[1]);
  printf("%u inputs replayed: %u passed, 0 failed\n", replayed, replayed);
  return 0;
}
