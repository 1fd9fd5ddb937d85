// The text of --help: a summary of backoff(1).
#pragma once

namespace cli {

extern const char kUsageText[];

} // namespace cli
