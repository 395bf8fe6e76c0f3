#include "core/dataset.hpp"
#include "core/errors.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/detmath.hpp"
#include "core/rng.hpp"

namespace bp {

namespace {

constexpr double kPi = 3.141592653589793;
constexpr double kTwoPi = 6.283185307179586;
constexpr double kHalfSide = 6.0;  // every point is clamped to [-6, 6]^2
constexpr int kMaxPoints = 100000;

std::string format_double(double v) { return format_number(v); }

[[noreturn]] void fail(const std::string& message) { throw std::invalid_argument("dataset: " + message); }

double clamp_side(double v) { return std::min(kHalfSide, std::max(-kHalfSide, v)); }
double clamp_unit(double v) { return std::min(1.0, std::max(-1.0, v)); }

// Number of points of class c when n points are split as evenly as possible among k classes.
int class_count(int n, int k, int c) { return n / k + (c < n % k ? 1 : 0); }

// Points in generation order (class by class), before the shuffle and the split.
struct Builder {
  int outputs = 1;
  std::vector<double> xy;
  std::vector<double> targets;

  void add(double x, double y, const double* target) {
    xy.push_back(clamp_side(x));
    xy.push_back(clamp_side(y));
    targets.insert(targets.end(), target, target + outputs);
  }
  void add_binary(double x, double y, int label) {
    const double t = label;
    add(x, y, &t);
  }
  void add_class(double x, double y, int label) {
    std::vector<double> onehot(static_cast<std::size_t>(outputs), 0.0);
    onehot[static_cast<std::size_t>(label)] = 1.0;
    add(x, y, onehot.data());
  }
  void add_value(double x, double y, double value) {
    const double t = clamp_unit(value);
    add(x, y, &t);
  }
};

// circle: class 1 = disc of radius 2.5, class 0 = ring 3.5..5 (radius 5). Noise: uniform position jitter of
// +-noise*5 per coordinate.
void gen_circle(Rng& rng, int n, double noise, Builder& b) {
  const double radius = 5.0;
  for (int c = 0; c < 2; ++c) {
    for (int i = 0, m = class_count(n, 2, c); i < m; ++i) {
      const double r = c == 1 ? rng.uniform(0.0, 0.5 * radius) : rng.uniform(0.7 * radius, radius);
      const double a = rng.uniform(0.0, kTwoPi);
      const double nx = rng.uniform(-radius, radius) * noise;
      const double ny = rng.uniform(-radius, radius) * noise;
      b.add_binary(r * det_sin(a) + nx, r * det_cos(a) + ny, c);
    }
  }
}

// xor: quadrants of [-5, 5]^2 pushed 0.3 away from the axes; class 1 where x1*x2 > 0. Noise: uniform position
// jitter of +-noise*5 per coordinate (the label stays the one of the clean point).
void gen_xor(Rng& rng, int n, double noise, Builder& b) {
  const double half = 5.0, margin = 0.3;
  for (int c = 0; c < 2; ++c) {
    for (int i = 0, m = class_count(n, 2, c); i < m; ++i) {
      const double sx = rng.uniform() < 0.5 ? -1.0 : 1.0;
      const double sy = c == 1 ? sx : -sx;
      const double x = sx * (rng.uniform(0.0, half) + margin);
      const double y = sy * (rng.uniform(0.0, half) + margin);
      const double nx = rng.uniform(-half, half) * noise;
      const double ny = rng.uniform(-half, half) * noise;
      b.add_binary(x + nx, y + ny, c);
    }
  }
}

// gauss: class 1 around (2, 2), class 0 around (-2, -2); variance 0.5 + 7*noise (Playground: 0.5..4 for 0..50 %).
void gen_gauss(Rng& rng, int n, double noise, Builder& b) {
  const double sd = std::sqrt(0.5 + 7.0 * noise);
  for (int c = 0; c < 2; ++c) {
    const double centre = c == 1 ? 2.0 : -2.0;
    for (int i = 0, m = class_count(n, 2, c); i < m; ++i) {
      const double x = rng.normal(centre, sd);
      const double y = rng.normal(centre, sd);
      b.add_binary(x, y, c);
    }
  }
}

// Arms of a spiral of radius 5: arm c starts at angle c*2pi/k and turns `turns` times. Noise: uniform position
// jitter of +-noise per coordinate (as in Playground).
void spiral_arms(Rng& rng, int n, double noise, int k, double turns, Builder& b) {
  const double radius = 5.0;
  for (int c = 0; c < k; ++c) {
    const double offset = kTwoPi * c / k;
    const int m = class_count(n, k, c);
    for (int i = 0; i < m; ++i) {
      const double f = static_cast<double>(i) / m;
      const double r = radius * f;
      const double t = turns * kTwoPi * f + offset;
      const double x = r * det_sin(t) + rng.uniform(-1.0, 1.0) * noise;
      const double y = r * det_cos(t) + rng.uniform(-1.0, 1.0) * noise;
      if (k == 2)
        b.add_binary(x, y, c);
      else
        b.add_class(x, y, c);
    }
  }
}

// moons: two interleaving half circles of radius 1 (class 1 on top), scaled by 10/3 so they span [-5, 5] x
// [-2.5, 2.5]. Noise: gaussian jitter with standard deviation noise * (scaled radius).
void gen_moons(Rng& rng, int n, double noise, Builder& b) {
  const double scale = 10.0 / 3.0;
  for (int c = 0; c < 2; ++c) {
    for (int i = 0, m = class_count(n, 2, c); i < m; ++i) {
      const double t = rng.uniform(0.0, kPi);
      double x = 0.0, y = 0.0;
      if (c == 1) {
        x = det_cos(t);
        y = det_sin(t);
      } else {
        x = 1.0 - det_cos(t);
        y = 0.5 - det_sin(t);
      }
      const double nx = rng.normal() * noise;
      const double ny = rng.normal() * noise;
      b.add_binary((x - 0.5 + nx) * scale, (y - 0.25 + ny) * scale, c);
    }
  }
}

// blobs: k gaussian blobs centred on a circle of radius 4 (first one on top); sd 0.6 + 2.4*noise.
void gen_blobs(Rng& rng, int n, double noise, int k, Builder& b) {
  const double radius = 4.0, sd = 0.6 + 2.4 * noise;
  for (int c = 0; c < k; ++c) {
    const double a = 0.5 * kPi + kTwoPi * c / k;
    const double cx = radius * det_cos(a), cy = radius * det_sin(a);
    for (int i = 0, m = class_count(n, k, c); i < m; ++i) {
      const double x = rng.normal(cx, sd);
      const double y = rng.normal(cy, sd);
      b.add_class(x, y, c);
    }
  }
}

// plane: uniform in [-6, 6]^2, value (x1 + x2) / 12 in [-1, 1]. Noise: the value is taken at the point
// jittered by +-noise*6 per coordinate (then clamped to [-1, 1]).
void gen_plane(Rng& rng, int n, double noise, Builder& b) {
  for (int i = 0; i < n; ++i) {
    const double x = rng.uniform(-kHalfSide, kHalfSide);
    const double y = rng.uniform(-kHalfSide, kHalfSide);
    const double nx = rng.uniform(-kHalfSide, kHalfSide) * noise;
    const double ny = rng.uniform(-kHalfSide, kHalfSide) * noise;
    b.add_value(x, y, ((x + nx) + (y + ny)) / 12.0);
  }
}

// multigauss: uniform in [-6, 6]^2; value = sum of six gaussian bumps (sd 1.25) of amplitude +-1 on a 3 x 2
// checkerboard grid (x1 in {-4, 0, 4}, x2 in {-2.5, 2.5}), clamped to [-1, 1]. Noise as for plane.
void gen_multigauss(Rng& rng, int n, double noise, Builder& b) {
  struct Bump { double x, y, amplitude; };
  static const Bump bumps[] = {{-4.0, 2.5, 1.0},  {0.0, 2.5, -1.0},  {4.0, 2.5, 1.0},
                               {-4.0, -2.5, -1.0}, {0.0, -2.5, 1.0}, {4.0, -2.5, -1.0}};
  const double sd = 1.25;
  const double inv_two_var = 1.0 / (2.0 * sd * sd);
  for (int i = 0; i < n; ++i) {
    const double x = rng.uniform(-kHalfSide, kHalfSide);
    const double y = rng.uniform(-kHalfSide, kHalfSide);
    const double px = x + rng.uniform(-kHalfSide, kHalfSide) * noise;
    const double py = y + rng.uniform(-kHalfSide, kHalfSide) * noise;
    double value = 0.0;
    for (const Bump& g : bumps) {
      const double dx = px - g.x, dy = py - g.y;
      value += g.amplitude * det_exp(-(dx * dx + dy * dy) * inv_two_var);
    }
    b.add_value(x, y, value);
  }
}

}  // namespace

const std::vector<std::string>& dataset_names() {
  static const std::vector<std::string> names = {"circle", "xor",     "gauss", "spiral",    "moons",
                                                 "blobs",  "spiral3", "plane", "multigauss"};
  return names;
}

Dataset make_dataset(const std::string& name, const DatasetOptions& options) {
  const auto& names = dataset_names();
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    std::string list;
    for (const auto& known : names) list += (list.empty() ? "" : ", ") + known;
    fail("unknown name '" + name + "' (expected one of " + list + ")");
  }
  const int n = options.n;
  if (n < 1 || n > kMaxPoints)
    fail("n must be an integer in [1, " + std::to_string(kMaxPoints) + "], got " + std::to_string(n));
  const double noise = options.noise;
  if (!(noise >= 0.0 && noise <= 1.0)) fail("noise must be in [0, 1], got " + format_double(noise));
  const double ratio = options.test_ratio;
  if (!(ratio >= 0.0 && ratio < 1.0)) fail("test_ratio must be in [0, 1), got " + format_double(ratio));
  const int n_test = static_cast<int>(std::floor(n * ratio + 0.5));
  if (n_test >= n)
    fail("test_ratio " + format_double(ratio) + " leaves no training point for n = " + std::to_string(n));
  if (name == "blobs" && (options.classes < 3 || options.classes > 5))
    fail("classes must be in [3, 5], got " + std::to_string(options.classes));

  Dataset d;
  d.name = name;
  if (name == "blobs" || name == "spiral3") {
    d.kind = ProblemKind::multiclass;
    d.classes = name == "blobs" ? options.classes : 3;
    d.outputs = d.classes;
  } else if (name == "plane" || name == "multigauss") {
    d.kind = ProblemKind::regression;
    d.classes = 0;
    d.outputs = 1;
  } else {
    d.kind = ProblemKind::binary;
    d.classes = 2;
    d.outputs = 1;
  }

  Rng rng(options.seed);
  Builder b;
  b.outputs = d.outputs;
  b.xy.reserve(2 * static_cast<std::size_t>(n));
  b.targets.reserve(static_cast<std::size_t>(d.outputs) * static_cast<std::size_t>(n));
  if (name == "circle") gen_circle(rng, n, noise, b);
  else if (name == "xor") gen_xor(rng, n, noise, b);
  else if (name == "gauss") gen_gauss(rng, n, noise, b);
  else if (name == "spiral") spiral_arms(rng, n, noise, 2, 1.75, b);
  else if (name == "moons") gen_moons(rng, n, noise, b);
  else if (name == "blobs") gen_blobs(rng, n, noise, d.classes, b);
  else if (name == "spiral3") spiral_arms(rng, n, noise, 3, 1.25, b);
  else if (name == "plane") gen_plane(rng, n, noise, b);
  else gen_multigauss(rng, n, noise, b);

  // Seeded shuffle of the class-ordered points, then split: the last n_test points are the test set.
  std::vector<std::uint32_t> order(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
  rng.shuffle(order.begin(), order.end());
  const std::size_t n_train = static_cast<std::size_t>(n - n_test);
  const auto outs = static_cast<std::size_t>(d.outputs);
  d.train_inputs.reserve(2 * n_train);
  d.train_targets.reserve(outs * n_train);
  d.test_inputs.reserve(2 * static_cast<std::size_t>(n_test));
  d.test_targets.reserve(outs * static_cast<std::size_t>(n_test));
  for (std::size_t i = 0; i < order.size(); ++i) {
    const std::size_t src = order[i];
    auto& inputs = i < n_train ? d.train_inputs : d.test_inputs;
    auto& targets = i < n_train ? d.train_targets : d.test_targets;
    inputs.push_back(b.xy[2 * src]);
    inputs.push_back(b.xy[2 * src + 1]);
    targets.insert(targets.end(), b.targets.begin() + static_cast<std::ptrdiff_t>(src * outs),
                   b.targets.begin() + static_cast<std::ptrdiff_t>((src + 1) * outs));
  }
  return d;
}

}  // namespace bp
