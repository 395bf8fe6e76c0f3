// TensorFlow-Playground style input features of a 2D point (x1, x2).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

#include "core/detmath.hpp"
#include "core/errors.hpp"

namespace bp {

enum Feature : unsigned { kX1 = 1u, kX2 = 2u, kX1Sq = 4u, kX2Sq = 8u, kX1X2 = 16u, kSinX1 = 32u, kSinX2 = 64u };
constexpr unsigned kAllFeatures = 127u;

namespace features_detail {
constexpr int kFeatureCount = 7;
constexpr const char* kNames[kFeatureCount] = {"x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"};
inline void check_mask(unsigned mask) {
  if (mask == 0u || mask > kAllFeatures)
    fail("features: mask ", mask,
         mask == 0u ? " selects no feature" : " has bits outside 1..127 (x1|x2|x1sq|x2sq|x1x2|sinx1|sinx2)");
}
}  // namespace features_detail

// Number of selected features (popcount). mask must be in 1..127.
inline int feature_count(unsigned mask) {
  features_detail::check_mask(mask);
  int count = 0;
  for (unsigned m = mask; m != 0u; m &= m - 1u) ++count;
  return count;
}

// "x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2". Throws for a value that is not a single feature bit.
inline const char* feature_name(Feature f) {
  for (int i = 0; i < features_detail::kFeatureCount; ++i)
    if (static_cast<unsigned>(f) == (1u << i)) return features_detail::kNames[i];
  fail("features: ", static_cast<unsigned>(f), " is not a single feature bit (1, 2, 4, ..., 64)");
}

// Feature bit for a name (exact, case-sensitive).
inline unsigned parse_feature(const std::string& name) {
  for (int i = 0; i < features_detail::kFeatureCount; ++i)
    if (name == features_detail::kNames[i]) return 1u << i;
  std::string names;
  for (int i = 0; i < features_detail::kFeatureCount; ++i) names += std::string(i ? ", " : "") + features_detail::kNames[i];
  fail("features: unknown feature '", name, "' (expected one of ", names, ")");
}

// points: n rows of (x1, x2), row-major. out: feature_count(mask) rows x n columns, row-major:
// out[f*n + i] is selected feature f (in bit order) of point i. Computed in double, then converted to S.
template <class S>
void expand_features(unsigned mask, const double* points, std::size_t n, S* out) {
  features_detail::check_mask(mask);
  std::size_t row = 0;
  for (int f = 0; f < features_detail::kFeatureCount; ++f) {
    if ((mask & (1u << f)) == 0u) continue;
    S* dst = out + row * n;
    const double* p = points;
    switch (f) {
      case 0: for (std::size_t i = 0; i < n; ++i) dst[i] = static_cast<S>(p[2 * i]); break;
      case 1: for (std::size_t i = 0; i < n; ++i) dst[i] = static_cast<S>(p[2 * i + 1]); break;
      case 2: for (std::size_t i = 0; i < n; ++i) dst[i] = static_cast<S>(p[2 * i] * p[2 * i]); break;
      case 3: for (std::size_t i = 0; i < n; ++i) dst[i] = static_cast<S>(p[2 * i + 1] * p[2 * i + 1]); break;
      case 4: for (std::size_t i = 0; i < n; ++i) dst[i] = static_cast<S>(p[2 * i] * p[2 * i + 1]); break;
      case 5: for (std::size_t i = 0; i < n; ++i) dst[i] = static_cast<S>(det_sin(p[2 * i])); break;
      default: for (std::size_t i = 0; i < n; ++i) dst[i] = static_cast<S>(det_sin(p[2 * i + 1])); break;
    }
    ++row;
  }
}

}  // namespace bp
