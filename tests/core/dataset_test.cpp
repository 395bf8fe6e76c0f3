// Tests for core/rng.hpp, core/detmath.hpp, core/features.hpp and core/dataset.{hpp,cpp}.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/dataset.hpp"
#include "core/detmath.hpp"
#include "core/features.hpp"
#include "core/rng.hpp"

namespace {

using testing::HasSubstr;

// ---------------------------------------------------------------------------------------------------
// Rng

// Independent, straightforward reference implementation of SplitMix64 seeding + xoshiro256**.
struct OracleXoshiro {
  std::uint64_t s[4];
  explicit OracleXoshiro(std::uint64_t seed) {
    std::uint64_t x = seed;
    for (int i = 0; i < 4; ++i) {
      x = x + 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = x;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      s[i] = z ^ (z >> 31);
    }
  }
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t next() {
    std::uint64_t result = rotl(s[1] * 5, 7) * 9;
    std::uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
  }
};

TEST(Rng, SplitMix64KnownValue) {
  // The first SplitMix64 output for seed 0 is the published reference value 0xe220a8397b1dcdaf.
  OracleXoshiro oracle(0);
  EXPECT_EQ(oracle.s[0], 0xe220a8397b1dcdafULL);
}

TEST(Rng, MatchesOracleForSeed42) {
  bp::Rng rng(42);
  OracleXoshiro oracle(42);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(rng.next_u64(), oracle.next()) << "at output " << i;
}

TEST(Rng, SameSeedSameSequence) {
  bp::Rng a(123), b(123);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(a.next_u64(), b.next_u64());
    ASSERT_EQ(a.uniform(), b.uniform());
    ASSERT_EQ(a.normal(), b.normal());
    ASSERT_EQ(a.below(17), b.below(17));
  }
}

TEST(Rng, DifferentSeedsDiffer) {
  bp::Rng a(1), b(2);
  int equal = 0;
  for (int i = 0; i < 100; ++i) equal += a.next_u64() == b.next_u64();
  EXPECT_EQ(equal, 0);
}

TEST(Rng, UniformInUnitInterval) {
  bp::Rng rng(7);
  double lo = 1.0, hi = 0.0, sum = 0.0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    sum += u;
  }
  EXPECT_LT(lo, 1e-3);
  EXPECT_GT(hi, 1.0 - 1e-3);
  EXPECT_NEAR(sum / n, 0.5, 0.01);
  for (int i = 0; i < 1000; ++i) {
    const double v = rng.uniform(-3.0, 5.0);
    ASSERT_GE(v, -3.0);
    ASSERT_LT(v, 5.0);
  }
}

TEST(Rng, NormalMoments) {
  bp::Rng rng(2024);
  const int n = 100000;
  double sum = 0.0, sum2 = 0.0;
  for (int i = 0; i < n; ++i) {
    const double z = rng.normal();
    ASSERT_TRUE(std::isfinite(z));
    sum += z;
    sum2 += z * z;
  }
  const double mean = sum / n, var = sum2 / n - mean * mean;
  EXPECT_NEAR(mean, 0.0, 0.015);  // 4.7 sigma of the sample mean
  EXPECT_NEAR(var, 1.0, 0.025);   // ~5 sigma of the sample variance
  bp::Rng r2(5);
  double s = 0.0;
  for (int i = 0; i < n; ++i) s += r2.normal(10.0, 2.0);
  EXPECT_NEAR(s / n, 10.0, 0.03);
}

TEST(Rng, BelowCoversRange) {
  bp::Rng rng(9);
  for (std::uint32_t n : {1u, 2u, 3u, 7u, 10u, 1000u}) {
    std::vector<int> hits(n, 0);
    for (std::uint32_t i = 0; i < 50 * n; ++i) {
      const std::uint32_t v = rng.below(n);
      ASSERT_LT(v, n);
      ++hits[v];
    }
    for (std::uint32_t v = 0; v < n; ++v) {
      EXPECT_GT(hits[v], 0) << "n=" << n << " v=" << v;
    }
  }
  EXPECT_LT(rng.below(0xFFFFFFFFu), 0xFFFFFFFFu);
  EXPECT_THROW(rng.below(0), std::invalid_argument);
}

TEST(Rng, ShuffleIsADeterministicPermutation) {
  std::vector<int> a(100), b(100);
  std::iota(a.begin(), a.end(), 0);
  std::iota(b.begin(), b.end(), 0);
  bp::Rng r1(3), r2(3);
  r1.shuffle(a.begin(), a.end());
  r2.shuffle(b.begin(), b.end());
  EXPECT_EQ(a, b);
  std::vector<int> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int> ident(100);
  std::iota(ident.begin(), ident.end(), 0);
  EXPECT_EQ(sorted, ident);
  EXPECT_NE(a, ident);
  std::vector<int> empty;
  r1.shuffle(empty.begin(), empty.end());  // no-op
}

// ---------------------------------------------------------------------------------------------------
// detmath

double rel_err(double got, double want) {
  if (want == got) return 0.0;
  return std::fabs(got - want) / std::max(std::fabs(want), std::numeric_limits<double>::min());
}

TEST(DetMath, LogMatchesStd) {
  bp::Rng rng(11);
  for (int i = 0; i < 200000; ++i) {
    const double x = std::ldexp(rng.uniform(0.5, 1.0), static_cast<int>(rng.below(2000)) - 1000);
    ASSERT_LT(rel_err(bp::det_log(x), std::log(x)), 1e-13) << "x=" << x;
  }
  for (int i = 0; i < 100000; ++i) {  // near 1, where log is near zero: absolute error
    const double x = rng.uniform(0.9, 1.1);
    ASSERT_NEAR(bp::det_log(x), std::log(x), 1e-16 + 1e-13 * std::fabs(std::log(x))) << "x=" << x;
  }
  EXPECT_EQ(bp::det_log(1.0), 0.0);
  EXPECT_EQ(bp::det_log(0.0), -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(bp::det_log(-1.0)));
  EXPECT_TRUE(std::isnan(bp::det_log(std::numeric_limits<double>::quiet_NaN())));
  EXPECT_EQ(bp::det_log(std::numeric_limits<double>::infinity()), std::numeric_limits<double>::infinity());
  EXPECT_LT(rel_err(bp::det_log(std::numeric_limits<double>::denorm_min()),
                    std::log(std::numeric_limits<double>::denorm_min())), 1e-13);
}

TEST(DetMath, ExpMatchesStd) {
  bp::Rng rng(12);
  for (int i = 0; i < 200000; ++i) {
    const double x = rng.uniform(-700.0, 700.0);
    ASSERT_LT(rel_err(bp::det_exp(x), std::exp(x)), 1e-13) << "x=" << x;
  }
  for (int i = 0; i < 100000; ++i) {
    const double x = rng.uniform(-2.0, 2.0);
    ASSERT_LT(rel_err(bp::det_exp(x), std::exp(x)), 1e-14) << "x=" << x;
  }
  EXPECT_EQ(bp::det_exp(0.0), 1.0);
  EXPECT_EQ(bp::det_exp(1000.0), std::numeric_limits<double>::infinity());
  EXPECT_EQ(bp::det_exp(-1000.0), 0.0);
  EXPECT_TRUE(std::isnan(bp::det_exp(std::numeric_limits<double>::quiet_NaN())));
  EXPECT_LT(rel_err(bp::det_exp(709.7), std::exp(709.7)), 1e-13);
}

TEST(DetMath, SinCosMatchStd) {
  bp::Rng rng(13);
  for (int i = 0; i < 200000; ++i) {
    const double x = rng.uniform(-500.0, 500.0);
    const double s = std::sin(x), c = std::cos(x);
    // Relative near the extrema, absolute near the zeros.
    ASSERT_LE(std::fabs(bp::det_sin(x) - s), 1e-13 * std::fabs(s) + 1e-16) << "x=" << x;
    ASSERT_LE(std::fabs(bp::det_cos(x) - c), 1e-13 * std::fabs(c) + 1e-16) << "x=" << x;
  }
  for (int i = 0; i < 100000; ++i) {
    const double x = rng.uniform(-1.0, 1.0) * std::ldexp(1.0, -static_cast<int>(rng.below(40)));
    ASSERT_LT(rel_err(bp::det_sin(x), std::sin(x)), 1e-14) << "x=" << x;
    ASSERT_LT(rel_err(bp::det_cos(x), std::cos(x)), 1e-14) << "x=" << x;
  }
  // Near multiples of pi/2, where range reduction matters most.
  for (int k = -300; k <= 300; ++k) {
    const double x = k * 1.5707963267948966;
    ASSERT_LE(std::fabs(bp::det_sin(x) - std::sin(x)), 1e-13 * std::fabs(std::sin(x)) + 1e-16) << "k=" << k;
    ASSERT_LE(std::fabs(bp::det_cos(x) - std::cos(x)), 1e-13 * std::fabs(std::cos(x)) + 1e-16) << "k=" << k;
  }
  EXPECT_EQ(bp::det_sin(0.0), 0.0);
  EXPECT_EQ(bp::det_cos(0.0), 1.0);
  EXPECT_TRUE(std::signbit(bp::det_sin(-0.0)));
  EXPECT_TRUE(std::isnan(bp::det_sin(std::numeric_limits<double>::infinity())));
  EXPECT_TRUE(std::isnan(bp::det_cos(std::numeric_limits<double>::quiet_NaN())));
}

// ---------------------------------------------------------------------------------------------------
// features

TEST(Features, CountNamesParse) {
  EXPECT_EQ(bp::feature_count(bp::kX1), 1);
  EXPECT_EQ(bp::feature_count(bp::kX1 | bp::kX2), 2);
  EXPECT_EQ(bp::feature_count(bp::kAllFeatures), 7);
  const bp::Feature all[] = {bp::kX1, bp::kX2, bp::kX1Sq, bp::kX2Sq, bp::kX1X2, bp::kSinX1, bp::kSinX2};
  const char* names[] = {"x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"};
  for (int i = 0; i < 7; ++i) {
    EXPECT_STREQ(bp::feature_name(all[i]), names[i]);
    EXPECT_EQ(bp::parse_feature(names[i]), static_cast<unsigned>(all[i]));
  }
}

TEST(Features, Errors) {
  try {
    bp::feature_count(0);
    FAIL() << "no throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("mask 0"));
  }
  try {
    bp::feature_count(128);
    FAIL() << "no throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("128"));
  }
  try {
    bp::parse_feature("sinx3");
    FAIL() << "no throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("'sinx3'"));
    EXPECT_THAT(e.what(), HasSubstr("x1sq"));
  }
  double pt[2] = {1.0, 2.0}, out[8];
  EXPECT_THROW(bp::expand_features(0u, pt, 1, out), std::invalid_argument);
  EXPECT_THROW(bp::expand_features(200u, pt, 1, out), std::invalid_argument);
  EXPECT_THROW(bp::feature_name(static_cast<bp::Feature>(3u)), std::invalid_argument);
}

TEST(Features, ExpandKnownPoints) {
  const double pts[4] = {0.5, -2.0, 3.0, 0.25};  // two points
  double out[14];
  bp::expand_features(bp::kAllFeatures, pts, 2, out);
  const double want[14] = {0.5,  3.0,  -2.0, 0.25, 0.25, 9.0,  4.0, 0.0625, -1.0, 0.75,
                           std::sin(0.5), std::sin(3.0), std::sin(-2.0), std::sin(0.25)};
  for (int i = 0; i < 14; ++i) EXPECT_NEAR(out[i], want[i], 1e-15) << "i=" << i;

  // Subset, float output: rows x2, x1x2, sinx1 (bit order).
  float sub[6];
  bp::expand_features(bp::kX2 | bp::kX1X2 | bp::kSinX1, pts, 2, sub);
  const float want_sub[6] = {-2.0f, 0.25f, -1.0f, 0.75f, static_cast<float>(std::sin(0.5)),
                             static_cast<float>(std::sin(3.0))};
  for (int i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(sub[i], want_sub[i]) << "i=" << i;
}

// ---------------------------------------------------------------------------------------------------
// datasets

bp::DatasetOptions opts(int n, double noise, std::uint64_t seed, double test_ratio = 0.0, int classes = 3) {
  bp::DatasetOptions o;
  o.n = n;
  o.noise = noise;
  o.seed = seed;
  o.test_ratio = test_ratio;
  o.classes = classes;
  return o;
}

TEST(Dataset, Names) {
  const std::vector<std::string> want = {"circle", "xor",     "gauss", "spiral",    "moons",
                                         "blobs",  "spiral3", "plane", "multigauss"};
  EXPECT_EQ(bp::dataset_names(), want);
}

void check_shapes_and_values(const bp::Dataset& d, std::size_t n) {
  ASSERT_EQ(d.n_train() + d.n_test(), n);
  ASSERT_EQ(d.train_inputs.size(), 2 * d.n_train());
  ASSERT_EQ(d.test_inputs.size(), 2 * d.n_test());
  ASSERT_EQ(d.train_targets.size(), d.n_train() * static_cast<std::size_t>(d.outputs));
  ASSERT_EQ(d.test_targets.size(), d.n_test() * static_cast<std::size_t>(d.outputs));
  for (const auto* v : {&d.train_inputs, &d.test_inputs})
    for (double x : *v) {
      ASSERT_TRUE(std::isfinite(x));
      ASSERT_GE(x, -6.0);
      ASSERT_LE(x, 6.0);
    }
  for (const auto* t : {&d.train_targets, &d.test_targets}) {
    const std::size_t rows = t->size() / static_cast<std::size_t>(d.outputs);
    for (std::size_t r = 0; r < rows; ++r) {
      const double* row = t->data() + r * static_cast<std::size_t>(d.outputs);
      switch (d.kind) {
        case bp::ProblemKind::binary:
          ASSERT_TRUE(row[0] == 0.0 || row[0] == 1.0) << row[0];
          break;
        case bp::ProblemKind::multiclass: {
          double sum = 0.0;
          for (int k = 0; k < d.outputs; ++k) {
            ASSERT_TRUE(row[k] == 0.0 || row[k] == 1.0);
            sum += row[k];
          }
          ASSERT_EQ(sum, 1.0);
          break;
        }
        case bp::ProblemKind::regression:
          ASSERT_TRUE(std::isfinite(row[0]));
          ASSERT_GE(row[0], -1.0);
          ASSERT_LE(row[0], 1.0);
          break;
      }
    }
  }
}

// Class index of each row (binary: the label; multiclass: the hot index).
std::vector<int> class_of_rows(const bp::Dataset& d, const std::vector<double>& targets) {
  std::vector<int> cls;
  const auto outs = static_cast<std::size_t>(d.outputs);
  for (std::size_t r = 0; r < targets.size() / outs; ++r) {
    const double* row = targets.data() + r * outs;
    if (d.kind == bp::ProblemKind::binary)
      cls.push_back(static_cast<int>(row[0]));
    else
      cls.push_back(static_cast<int>(std::max_element(row, row + outs) - row));
  }
  return cls;
}

TEST(Dataset, EveryNameShapesAndValues) {
  for (const std::string& name : bp::dataset_names()) {
    for (double noise : {0.0, 0.3, 1.0}) {
      SCOPED_TRACE(name + " noise " + std::to_string(noise));
      const bp::Dataset d = bp::make_dataset(name, opts(501, noise, 17, 0.2));
      EXPECT_EQ(d.name, name);
      check_shapes_and_values(d, 501);
      EXPECT_EQ(d.n_test(), 100u);
      EXPECT_EQ(d.n_train(), 401u);
      if (name == "blobs" || name == "spiral3") {
        EXPECT_EQ(d.kind, bp::ProblemKind::multiclass);
        EXPECT_EQ(d.classes, 3);
        EXPECT_EQ(d.outputs, 3);
      } else if (name == "plane" || name == "multigauss") {
        EXPECT_EQ(d.kind, bp::ProblemKind::regression);
        EXPECT_EQ(d.classes, 0);
        EXPECT_EQ(d.outputs, 1);
      } else {
        EXPECT_EQ(d.kind, bp::ProblemKind::binary);
        EXPECT_EQ(d.classes, 2);
        EXPECT_EQ(d.outputs, 1);
      }
      if (d.kind != bp::ProblemKind::regression) {
        // Balanced overall, and every class in both train and test.
        std::vector<int> all_counts(static_cast<std::size_t>(d.classes), 0);
        for (const auto* t : {&d.train_targets, &d.test_targets}) {
          std::vector<int> counts(static_cast<std::size_t>(d.classes), 0);
          for (int c : class_of_rows(d, *t)) ++counts[static_cast<std::size_t>(c)];
          for (int c = 0; c < d.classes; ++c) {
            EXPECT_GT(counts[static_cast<std::size_t>(c)], 0) << "class " << c;
            all_counts[static_cast<std::size_t>(c)] += counts[static_cast<std::size_t>(c)];
          }
        }
        const auto mm = std::minmax_element(all_counts.begin(), all_counts.end());
        EXPECT_LE(*mm.second - *mm.first, 1);
      } else {
        // Regression targets are not constant.
        const auto mm = std::minmax_element(d.train_targets.begin(), d.train_targets.end());
        EXPECT_GT(*mm.second - *mm.first, 0.5);
      }
    }
  }
}

TEST(Dataset, BlobsClasses) {
  for (int k = 3; k <= 5; ++k) {
    const bp::Dataset d = bp::make_dataset("blobs", opts(300, 0.1, 4, 0.0, k));
    EXPECT_EQ(d.classes, k);
    EXPECT_EQ(d.outputs, k);
    check_shapes_and_values(d, 300);
    std::set<int> seen;
    for (int c : class_of_rows(d, d.train_targets)) seen.insert(c);
    EXPECT_EQ(static_cast<int>(seen.size()), k);
  }
}

TEST(Dataset, DeterministicAndSeedDependent) {
  for (const std::string& name : bp::dataset_names()) {
    SCOPED_TRACE(name);
    const bp::Dataset a = bp::make_dataset(name, opts(300, 0.2, 99, 0.25));
    const bp::Dataset b = bp::make_dataset(name, opts(300, 0.2, 99, 0.25));
    const bp::Dataset c = bp::make_dataset(name, opts(300, 0.2, 100, 0.25));
    EXPECT_EQ(a.train_inputs, b.train_inputs);
    EXPECT_EQ(a.train_targets, b.train_targets);
    EXPECT_EQ(a.test_inputs, b.test_inputs);
    EXPECT_EQ(a.test_targets, b.test_targets);
    EXPECT_NE(a.train_inputs, c.train_inputs);
  }
}

TEST(Dataset, SplitSizes) {
  struct Case { int n; double ratio; std::size_t test; };
  for (const Case& c : {Case{500, 0.0, 0}, Case{500, 0.2, 100}, Case{10, 0.25, 3}, Case{10, 0.24, 2},
                        Case{1, 0.0, 0}, Case{1, 0.4, 0}, Case{100000, 0.5, 50000}, Case{7, 0.9, 6}}) {
    const bp::Dataset d = bp::make_dataset("circle", opts(c.n, 0.0, 1, c.ratio));
    EXPECT_EQ(d.n_test(), c.test) << c.n << " " << c.ratio;
    EXPECT_EQ(d.n_train(), static_cast<std::size_t>(c.n) - c.test) << c.n << " " << c.ratio;
  }
  // The split only partitions the same shuffled points: train+test is the same multiset for any ratio.
  const bp::Dataset whole = bp::make_dataset("xor", opts(200, 0.1, 5, 0.0));
  const bp::Dataset split = bp::make_dataset("xor", opts(200, 0.1, 5, 0.3));
  std::vector<double> joined = split.train_inputs;
  joined.insert(joined.end(), split.test_inputs.begin(), split.test_inputs.end());
  EXPECT_EQ(joined, whole.train_inputs);
}

TEST(Dataset, NoiseZeroGeometry) {
  const bp::Dataset circle = bp::make_dataset("circle", opts(400, 0.0, 3));
  for (std::size_t i = 0; i < circle.n_train(); ++i) {
    const double r = std::hypot(circle.train_inputs[2 * i], circle.train_inputs[2 * i + 1]);
    if (circle.train_targets[i] == 1.0) EXPECT_LE(r, 2.5 + 1e-12);
    else EXPECT_GE(r, 3.5 - 1e-12);
    EXPECT_LE(r, 5.0 + 1e-12);
  }
  const bp::Dataset x = bp::make_dataset("xor", opts(400, 0.0, 3));
  for (std::size_t i = 0; i < x.n_train(); ++i) {
    const double p = x.train_inputs[2 * i] * x.train_inputs[2 * i + 1];
    EXPECT_EQ(p > 0.0, x.train_targets[i] == 1.0);
  }
  const bp::Dataset plane = bp::make_dataset("plane", opts(400, 0.0, 3));
  for (std::size_t i = 0; i < plane.n_train(); ++i)
    EXPECT_NEAR(plane.train_targets[i], (plane.train_inputs[2 * i] + plane.train_inputs[2 * i + 1]) / 12.0, 1e-12);
}

std::string error_of(const std::string& name, const bp::DatasetOptions& o) {
  try {
    bp::make_dataset(name, o);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "<no exception>";
}

TEST(Dataset, BadOptionsThrow) {
  const std::string unknown = error_of("spirall", opts(10, 0, 1));
  EXPECT_THAT(unknown, HasSubstr("unknown name 'spirall'"));
  EXPECT_THAT(unknown, HasSubstr("circle, xor"));
  EXPECT_THAT(error_of("", opts(10, 0, 1)), HasSubstr("unknown name ''"));
  EXPECT_THAT(error_of("circle", opts(0, 0, 1)), HasSubstr("n must be an integer in [1, 100000], got 0"));
  EXPECT_THAT(error_of("circle", opts(-5, 0, 1)), HasSubstr("got -5"));
  EXPECT_THAT(error_of("circle", opts(100001, 0, 1)), HasSubstr("got 100001"));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_THAT(error_of("circle", opts(10, nan, 1)), HasSubstr("noise must be in [0, 1], got NaN"));
  EXPECT_THAT(error_of("circle", opts(10, -0.1, 1)), HasSubstr("noise"));
  EXPECT_THAT(error_of("circle", opts(10, 1.5, 1)), HasSubstr("got 1.5"));
  EXPECT_THAT(error_of("circle", opts(10, inf, 1)), HasSubstr("got Infinity"));
  EXPECT_THAT(error_of("circle", opts(10, 0, 1, 1.5)), HasSubstr("test_ratio must be in [0, 1), got 1.5"));
  EXPECT_THAT(error_of("circle", opts(10, 0, 1, 1.0)), HasSubstr("test_ratio"));
  EXPECT_THAT(error_of("circle", opts(10, 0, 1, -0.25)), HasSubstr("got -0.25"));
  EXPECT_THAT(error_of("circle", opts(10, 0, 1, nan)), HasSubstr("test_ratio must be in [0, 1), got NaN"));
  EXPECT_THAT(error_of("circle", opts(2, 0, 1, 0.8)), HasSubstr("test_ratio"));  // no training point left
  EXPECT_THAT(error_of("blobs", opts(10, 0, 1, 0, 7)), HasSubstr("classes must be in [3, 5], got 7"));
  EXPECT_THAT(error_of("blobs", opts(10, 0, 1, 0, 2)), HasSubstr("classes"));
  EXPECT_EQ(error_of("circle", opts(10, 0, 1, 0, 7)), "<no exception>");  // classes is for blobs only
  EXPECT_THAT(error_of("circle", opts(10, 0.1, 1)), HasSubstr("<no exception>"));
  for (const std::string& name : bp::dataset_names())
    EXPECT_THAT(error_of(name, opts(0, 0, 1)), HasSubstr("dataset: n")) << name;
}


// ---------------------------------------------------------------------------------------------------
// Golden fingerprints: FNV-1a over the exact bit patterns. These pin the generators; a native/wasm (or
// compiler/libm) divergence, or an accidental change of a generator, changes them. Update them only when
// a generator is changed on purpose (that also changes every seeded dataset users may have saved).

struct Fnv {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  void add(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= (v >> (8 * i)) & 0xffu;
      h *= 0x100000001b3ULL;
    }
  }
  void add(double d) {
    std::uint64_t bits = 0;
    static_assert(sizeof bits == sizeof d, "");
    std::memcpy(&bits, &d, sizeof d);
    add(bits);
  }
};

std::uint64_t rng_fingerprint() {
  Fnv f;
  bp::Rng rng(42);
  for (int i = 0; i < 1000; ++i) {
    f.add(rng.uniform());
    f.add(rng.normal());
    f.add(static_cast<std::uint64_t>(rng.below(1000)));
  }
  for (int i = -2000; i <= 2000; ++i) {
    const double x = i * 0.173;
    f.add(bp::det_sin(x));
    f.add(bp::det_cos(x));
    f.add(bp::det_exp(x * 0.5));
    f.add(bp::det_log(std::fabs(x) + 1e-3));
  }
  return f.h;
}

std::uint64_t dataset_fingerprint() {
  Fnv f;
  for (const std::string& name : bp::dataset_names()) {
    const bp::Dataset d = bp::make_dataset(name, opts(257, 0.3, 7, 0.2, 4));
    for (const auto* v : {&d.train_inputs, &d.train_targets, &d.test_inputs, &d.test_targets})
      for (double x : *v) f.add(x);
  }
  return f.h;
}

TEST(Golden, RngAndDetMath) { EXPECT_EQ(rng_fingerprint(), 0x9568d792c73c2046ULL) << std::hex << rng_fingerprint(); }
TEST(Golden, Datasets) { EXPECT_EQ(dataset_fingerprint(), 0x22f8ecd203e64799ULL) << std::hex << dataset_fingerprint(); }

}  // namespace
