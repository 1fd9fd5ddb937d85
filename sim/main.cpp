// backoff-sim: a fleet of clients on virtual time, each retrying through
// libbackoff's public C API. See docs/simulation.md.
#include <chrono>
#include <cstdio>
#include <exception>

#include "contention.hpp"
#include "load.hpp"
#include "options.hpp"

namespace {

// An output file, or standard output for "-"; nullptr for "" (not wanted).
std::FILE *open_output(const std::string &path) {
  if (path.empty())
    return nullptr;
  if (path == "-")
    return stdout;
  std::FILE *f = std::fopen(path.c_str(), "w");
  if (!f)
    std::perror(("backoff-sim: " + path).c_str());
  return f;
}

bool close_output(std::FILE *f, const std::string &path) {
  if (!f)
    return true;
  const bool ok = std::ferror(f) == 0 && (f == stdout ? std::fflush(f) == 0
                                                       : std::fclose(f) == 0);
  if (!ok)
    std::fprintf(stderr, "backoff-sim: cannot write %s\n", path.c_str());
  return ok;
}

} // namespace

int main(int argc, char **argv) {
  sim::Options options;
  int status = 0;
  if (!sim::parse_options(argc, argv, &options, &status))
    return status;

  std::FILE *runs_file = open_output(options.runs_path);
  std::FILE *intervals_file = open_output(options.intervals_path);
  if (!runs_file || (!options.intervals_path.empty() && !intervals_file))
    return 1;

  try {
    sim::CsvWriter runs(runs_file);
    sim::CsvWriter intervals(intervals_file);
    const auto started = std::chrono::steady_clock::now();
    const std::uint64_t client_runs =
        options.scenario == sim::Scenario::kContention
            ? sim::write_contention(options.policies, options.contention, runs,
                                    intervals)
            : sim::write_load(options.policies, options.load, runs, intervals);
    const std::chrono::duration<double> took =
        std::chrono::steady_clock::now() - started;
    if (options.timing)
      std::fprintf(stderr,
                   "backoff-sim: %llu client-runs in %.3f s (%.0f per s)\n",
                   static_cast<unsigned long long>(client_runs), took.count(),
                   static_cast<double>(client_runs) / took.count());
  } catch (const std::exception &e) {
    std::fprintf(stderr, "backoff-sim: %s\n", e.what());
    return 1;
  }
  const bool ok = close_output(runs_file, options.runs_path) &&
                  close_output(intervals_file, options.intervals_path);
  return ok ? 0 : 1;
}
