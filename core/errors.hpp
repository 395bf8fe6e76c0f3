// Errors of the core. Every public entry point validates its input and throws bp::Error (an
// std::invalid_argument) whose message names the field and the bad value; the bindings turn it into a
// JS Error, the CLIs into a message on stderr and exit code 2.
#pragma once

#include <cmath>
#include <cstdlib>
#include <limits>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace bp {

class Error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// A number as the user would write it: the shortest of %.15g / %.17g that reads back exactly, and NaN,
// Infinity, -Infinity as in JS. Defined in format.cpp, an archive member of its own, so that one module can
// bring its own definition: the lab page's engine (bindings.cpp, BP_PAGE) formats with JS's Number → String,
// because libc's printf and strtod alone are ~12 KB of its gzipped wasm.
std::string format_number(double v);

namespace detail {
inline void put(std::string&) {}
template <class T, class... Rest>
void put(std::string& out, const T& v, const Rest&... rest) {
  if constexpr (std::is_floating_point_v<T>) out += format_number(double(v));
  else if constexpr (std::is_integral_v<T>) out += std::to_string(v);
  else out += v;  // strings and string literals
  put(out, rest...);
}
}  // namespace detail

// Throws bp::Error(message). Defined once, in config.cpp, which is compiled with exceptions: the hot
// training loop (network.cpp) is compiled without them in wasm, and contains no `throw` of its own.
[[noreturn]] void throw_error(const std::string& message);

// fail("layers[", i, "] must be ≥ 1, got ", v) throws bp::Error with the pieces concatenated.
template <class... Args>
[[noreturn]] void fail(const Args&... args) {
  std::string message;
  detail::put(message, args...);
  throw_error(message);
}

}  // namespace bp
