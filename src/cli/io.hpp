// Writing that does not give up on short writes or EINTR.
#pragma once

#include <cstddef>

namespace cli {

// Writes all `size` bytes; false with errno set on error (EPIPE included:
// SIGPIPE is ignored).
bool write_all(int fd, const char *data, std::size_t size) noexcept;

} // namespace cli
