// Seeded 2D toy datasets in the square [-6, 6]^2, in the spirit of TensorFlow Playground's datasets.
// Generation uses only bp::Rng and the det_* functions, so native and wasm builds produce bit-identical data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace bp {

enum class ProblemKind { binary, multiclass, regression };

struct DatasetOptions {
  int n = 500;                 // total points, 1..100000 (train + test)
  double noise = 0.0;          // 0..1, fraction of the dataset's scale (Playground's 0..50 % => 0..0.5)
  std::uint64_t seed = 1;
  double test_ratio = 0.0;     // in [0,1); the last round(n*test_ratio) points of a seeded shuffle are the test set
  int classes = 3;             // blobs only: 3..5 (ignored by the other datasets)
};

struct Dataset {
  std::string name;
  ProblemKind kind = ProblemKind::binary;
  int outputs = 1;             // 1 for binary/regression, k for multiclass (one-hot)
  int classes = 2;             // 2 for binary, k for multiclass, 0 for regression
  std::vector<double> train_inputs, train_targets;   // row-major: n_train x 2, n_train x outputs
  std::vector<double> test_inputs, test_targets;     // row-major: n_test x 2, n_test x outputs
  std::size_t n_train() const { return train_inputs.size() / 2; }
  std::size_t n_test() const { return test_inputs.size() / 2; }
};

// name: one of dataset_names(). Throws std::invalid_argument (message names the field and value) for a bad
// name or option, including a test_ratio that would leave no training point.
//   binary (targets 0/1):  circle, xor, gauss, spiral, moons
//   multiclass (one-hot):  blobs (options.classes = 3..5), spiral3 (3 classes)
//   regression ([-1, 1]):  plane, multigauss
Dataset make_dataset(const std::string& name, const DatasetOptions& options);

// "circle", "xor", "gauss", "spiral", "moons", "blobs", "spiral3", "plane", "multigauss"
const std::vector<std::string>& dataset_names();

}  // namespace bp
