// format_number (errors.hpp): numbers in error messages, with libc's printf and strtod. Kept in a file of its
// own: a static library links an archive member only for a symbol nothing else defines, so the lab page's
// module (bindings/bindings.cpp under BP_PAGE) replaces it with a definition of its own and leaves libc's
// number formatting and parsing (~12 KB of gzipped wasm) out of the page.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/errors.hpp"

namespace bp {

// snprintf rather than iostreams: <sstream> alone adds ~100 KB to the wasm.
std::string format_number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  if (std::strtod(buf, nullptr) != v) std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace bp
