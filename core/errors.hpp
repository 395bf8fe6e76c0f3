// Errors of the core. Every public entry point validates its input and throws bp::Error (an
// std::invalid_argument) whose message names the field and the bad value; the bindings turn it into a
// JS Error, the CLIs into a message on stderr and exit code 2.
#pragma once

#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

namespace bp {

class Error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

namespace detail {
inline void put(std::ostringstream&) {}
template <class T, class... Rest>
void put(std::ostringstream& os, const T& v, const Rest&... rest) {
  if constexpr (std::is_floating_point_v<T>) {
    // NaN and infinities print as the words JS users know; finite values with full precision.
    if (std::isnan(v)) os << "NaN";
    else if (std::isinf(v)) os << (v > 0 ? "Infinity" : "-Infinity");
    else os << v;
  } else {
    os << v;
  }
  put(os, rest...);
}
}  // namespace detail

// fail("layers[", i, "] must be ≥ 1, got ", v) throws bp::Error with the pieces concatenated.
template <class... Args>
[[noreturn]] void fail(const Args&... args) {
  std::ostringstream os;
  os.precision(std::numeric_limits<double>::max_digits10);
  detail::put(os, args...);
#if defined(__cpp_exceptions)
  throw Error(os.str());
#else
  // The training loop (network.cpp) is compiled without exception support in wasm for speed; it only
  // runs on input validated before it is called, so reaching this is a bug.
  std::abort();
#endif
}

}  // namespace bp
