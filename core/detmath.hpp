// Deterministic transcendental functions.
//
// glibc's and musl's libm (native vs wasm) may differ in the last ulp of log/exp/sin/cos, which would make
// datasets and random numbers differ between the two builds. These functions use only IEEE-754 basic
// operations (+ - * /, comparisons) and exact ones (std::frexp, std::ldexp, std::floor), so with
// -ffp-contract=off (no FMA fusion) they give bit-identical results on every conforming platform.
// Accuracy: a few ulps (relative error well below 1e-14; absolute ~1e-17 near the zeros of sin/cos).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

namespace bp {

namespace detmath_detail {
// ln 2 split (fdlibm): kLn2Hi has its 21 low mantissa bits zero, so k*kLn2Hi is exact for |k| < 2^21.
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kInvLn2 = 1.44269504088896338700e+00;
// pi/2 split into three 33-bit parts (fdlibm) plus a tail: k*kPio2_i is exact for |k| < 2^20.
constexpr double kPio2_1 = 1.57079632673412561417e+00;
constexpr double kPio2_2 = 6.07710050630396597660e-11;
constexpr double kPio2_3 = 2.02226624871116645580e-21;
constexpr double kPio2_3t = 8.47842766036889956997e-32;
constexpr double kTwoOverPi = 6.36619772367581382433e-01;
constexpr double kSqrtHalf = 7.07106781186547524401e-01;

// sin(r) and cos(r) for |r| <= pi/4 (Taylor series, Horner; truncation error < 1e-19).
inline double kernel_sin(double r) {
  const double z = r * r;
  double p = 1.0 / 51090942171709440000.0;  // 1/21!
  p = p * z - 1.0 / 121645100408832000.0;   // 1/19!
  p = p * z + 1.0 / 355687428096000.0;      // 1/17!
  p = p * z - 1.0 / 1307674368000.0;        // 1/15!
  p = p * z + 1.0 / 6227020800.0;           // 1/13!
  p = p * z - 1.0 / 39916800.0;             // 1/11!
  p = p * z + 1.0 / 362880.0;               // 1/9!
  p = p * z - 1.0 / 5040.0;                 // 1/7!
  p = p * z + 1.0 / 120.0;                  // 1/5!
  p = p * z - 1.0 / 6.0;                    // 1/3!
  return r + r * (z * p);
}
inline double kernel_cos(double r) {
  const double z = r * r;
  double p = 1.0 / 2432902008176640000.0;   // 1/20!
  p = p * z - 1.0 / 6402373705728000.0;     // 1/18!
  p = p * z + 1.0 / 20922789888000.0;       // 1/16!
  p = p * z - 1.0 / 87178291200.0;          // 1/14!
  p = p * z + 1.0 / 479001600.0;            // 1/12!
  p = p * z - 1.0 / 3628800.0;              // 1/10!
  p = p * z + 1.0 / 40320.0;                // 1/8!
  p = p * z - 1.0 / 720.0;                  // 1/6!
  p = p * z + 1.0 / 24.0;                   // 1/4!
  const double hz = 0.5 * z;
  const double w = 1.0 - hz;                // exact-ish main part; the correction below restores the rest
  return w + (((1.0 - w) - hz) + z * (z * p));
}

// Reduces x to r in [-pi/4, pi/4] with x = q*pi/2 + r; returns q mod 4.
// Cody-Waite with a 3-part pi/2: accurate for |x| < 2^19 * pi/2 (~8e5); beyond that the result stays
// deterministic but loses accuracy (the engine never needs such arguments).
inline int reduce_pio2(double x, double& r) {
  const double k = std::floor(x * kTwoOverPi + 0.5);
  double t = x - k * kPio2_1;   // exact (Sterbenz) for the k range above
  double w = k * kPio2_2;
  double t2 = t - w;
  w = k * kPio2_3 - ((t - t2) - w);  // recover the rounding error of t - w
  t = t2 - w;
  r = t - k * kPio2_3t;
  const double km = k - 4.0 * std::floor(k * 0.25);  // k mod 4 in {0,1,2,3}, exact
  return static_cast<int>(km);
}
}  // namespace detmath_detail

// Natural logarithm. log(0) = -inf, log(x<0) = NaN, log(inf) = inf.
inline double det_log(double x) {
  using namespace detmath_detail;
  if (std::isnan(x) || x < 0.0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0.0) return -std::numeric_limits<double>::infinity();
  if (std::isinf(x)) return x;
  int e = 0;
  double m = std::frexp(x, &e);  // x = m * 2^e, m in [0.5, 1)
  if (m < kSqrtHalf) {
    m = m * 2.0;                 // exact
    e -= 1;
  }
  // m in [sqrt(1/2), sqrt(2)): log(m) = 2 atanh(s), s = (m-1)/(m+1), |s| <= 0.1716.
  const double f = m - 1.0;      // exact (Sterbenz)
  const double s = f / (2.0 + f);
  const double z = s * s;
  double p = 1.0 / 27.0;
  p = p * z + 1.0 / 25.0;
  p = p * z + 1.0 / 23.0;
  p = p * z + 1.0 / 21.0;
  p = p * z + 1.0 / 19.0;
  p = p * z + 1.0 / 17.0;
  p = p * z + 1.0 / 15.0;
  p = p * z + 1.0 / 13.0;
  p = p * z + 1.0 / 11.0;
  p = p * z + 1.0 / 9.0;
  p = p * z + 1.0 / 7.0;
  p = p * z + 1.0 / 5.0;
  p = p * z + 1.0 / 3.0;
  // log(m) = 2s + 2s*z*p: the leading term 2s carries most of the value, the rest is a small correction.
  const double two_s = 2.0 * s;
  const double lm = two_s + two_s * (z * p);
  const double de = static_cast<double>(e);
  return de * kLn2Hi + (lm + de * kLn2Lo);
}

// Exponential. Overflows to inf above ~709.78, underflows to 0 below ~-745.13.
inline double det_exp(double x) {
  using namespace detmath_detail;
  if (std::isnan(x)) return x;
  if (x > 709.782712893384) return std::numeric_limits<double>::infinity();
  if (x < -745.1332191019412) return 0.0;
  const double k = std::floor(x * kInvLn2 + 0.5);
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;  // |r| <= ~0.347
  // Taylor to r^15 (truncation < 1e-19 relative).
  double p = 1.0 / 1307674368000.0;  // 1/15!
  p = p * r + 1.0 / 87178291200.0;   // 1/14!
  p = p * r + 1.0 / 6227020800.0;    // 1/13!
  p = p * r + 1.0 / 479001600.0;     // 1/12!
  p = p * r + 1.0 / 39916800.0;      // 1/11!
  p = p * r + 1.0 / 3628800.0;       // 1/10!
  p = p * r + 1.0 / 362880.0;        // 1/9!
  p = p * r + 1.0 / 40320.0;         // 1/8!
  p = p * r + 1.0 / 5040.0;          // 1/7!
  p = p * r + 1.0 / 720.0;           // 1/6!
  p = p * r + 1.0 / 120.0;           // 1/5!
  p = p * r + 1.0 / 24.0;            // 1/4!
  p = p * r + 1.0 / 6.0;             // 1/3!
  p = p * r + 0.5;                   // 1/2!
  const double er = 1.0 + (r + r * (r * p));
  return std::ldexp(er, static_cast<int>(k));  // exact scaling (one correct rounding if subnormal)
}

inline double det_sin(double x) {
  using namespace detmath_detail;
  if (!std::isfinite(x)) return std::numeric_limits<double>::quiet_NaN();
  if (x > -1e-9 && x < 1e-9) return x;  // sin x = x to within 2e-19 relative (< half an ulp); keeps sin(-0) = -0
  // Beyond the range where reduce_pio2 is accurate its remainder is no longer in [−π/4, π/4] and the
  // polynomial returns values far outside [−1, 1] (the sinx1 feature of x1 = 1e18 overflowed float32).
  // std::fmod is exact, hence deterministic: the result stays in [−1, 1], but with ulp(x) ≥ 1e-10 here it
  // is no longer sin of the exact x.
  if (!(x > -823549.0 && x < 823549.0)) x = std::fmod(x, 6.283185307179586);
  double r = 0.0;
  switch (reduce_pio2(x, r)) {
    case 0: return kernel_sin(r);
    case 1: return kernel_cos(r);
    case 2: return -kernel_sin(r);
    default: return -kernel_cos(r);
  }
}

inline double det_cos(double x) {
  using namespace detmath_detail;
  if (!std::isfinite(x)) return std::numeric_limits<double>::quiet_NaN();
  double r = 0.0;
  switch (reduce_pio2(x, r)) {
    case 0: return kernel_cos(r);
    case 1: return -kernel_sin(r);
    case 2: return -kernel_cos(r);
    default: return kernel_sin(r);
  }
}

}  // namespace bp
