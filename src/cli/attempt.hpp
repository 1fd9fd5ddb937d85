// Everything one attempt involves besides the child process: its
// environment, the replayed stdin, the held output and where it goes, the
// output patterns and the hint file. A run's user data: the library's hooks
// and callbacks reach it through their data pointer.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "backoff/backoff.h"
#include "child.hpp"
#include "environment.hpp"
#include "exit_codes.hpp"
#include "hint_file.hpp"
#include "options.hpp"
#include "output_pattern.hpp"
#include "spool.hpp"

namespace cli {

class Attempt {
public:
  Attempt(const Options &options, const ExitRule &rule, Child &child)
      : options_(options), rule_(rule), child_(child) {}
  Attempt(const Attempt &) = delete;
  Attempt &operator=(const Attempt &) = delete;

  // Compiles the patterns, creates the spools and reads stdin when it is
  // replayed. False with *why set (and *exit, the status to stop with).
  bool prepare(std::string *why, int *exit);
  // Adds the hooks and callbacks this attempt's options need to p: the
  // environment's numbers (on_try), delivery of held output, the hint
  // file's reader, the classifier when `classify` says the library's own
  // cannot do.
  bool attach(backoff_policy *p, bool classify);

  // Runs the command once; its status.
  int run() noexcept;

  // 0, or the errno of failing to write the final attempt's held output.
  int output_error() const noexcept { return output_error_; }

private:
  static void on_try(const backoff_details *d, void *self);
  static void on_retry(const backoff_details *d, void *self);
  static void on_end(const backoff_details *d, void *self);
  static int classify(const backoff_details *d, void *self);
  static double hint(const backoff_details *d, void *self);
  void deliver(bool final) noexcept;
  bool output_matches(const std::vector<std::unique_ptr<OutputPattern>> &any)
      const noexcept;

  const Options &options_;
  const ExitRule &rule_;
  Child &child_;
  Environment environment_;
  Spool stdin_, stdout_, stderr_;
  std::unique_ptr<HintFile> hint_file_;
  std::vector<std::unique_ptr<OutputPattern>> retry_if_, until_;

  // From on_try: the attempt about to start.
  unsigned number_ = 0;
  double elapsed_ = 0.0, remaining_ = 0.0;
  bool output_pending_ = false;
  int output_error_ = 0;
};

} // namespace cli
