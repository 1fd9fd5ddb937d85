// Policy specs: the one-line text form of a policy, e.g.
//   expo(base=2,factor=0.5,max=30) jitter=full tries=5 time=60 seed=7
// used by the command and by configuration files. The formatted form is
// canonical, and parsing it gives back an identical policy.
#pragma once

#include <cstddef>
#include <string_view>

#include "policy.hpp"

namespace backoff {

// Applies `spec` to p. All or nothing: on BACKOFF_E_PARSE p is unchanged,
// *error_offset (if not NULL) is the byte offset of the offending token and
// errmsg (if not NULL and errmsg_size > 0) names it, NUL-terminated. May
// throw std::bad_alloc, always before p is touched.
backoff_status parse_policy_spec(backoff_policy &p, std::string_view spec,
                                 std::size_t *error_offset, char *errmsg,
                                 std::size_t errmsg_size);

// Writes p's canonical spec into buf (size bytes, NUL-terminated when size >
// 0) and its length into *needed (if not NULL). BACKOFF_E_UNSUPPORTED when p
// holds a custom wait, jitter, classifier or limit function. May throw
// std::bad_alloc.
backoff_status format_policy_spec(const backoff_policy &p, char *buf,
                                  std::size_t size, std::size_t *needed);

} // namespace backoff
