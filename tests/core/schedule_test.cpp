// The mini-batch schedule (Model::schedule / set_schedule): a network rebuilt from its weights and its schedule,
// on the same data, trains on bit for bit as the original does — what makes a saved lab give the same next epoch.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include <vector>

#include "core/model.hpp"
#include "core/rng.hpp"
#include "tests/core/test_config.hpp"

using namespace bp;
using testing::HasSubstr;

namespace {

NetworkConfig sigmoid_net() {
  NetworkConfig c;
  c.layers = {2, 5, 1};
  c.activation = Activation::tanh;
  c.output_activation = Activation::sigmoid;
  c.cost = Cost::cross_entropy;
  return c;
}

void data(int n, std::vector<double>& X, std::vector<double>& Y) {
  Rng rng(11);
  X.resize(std::size_t(2 * n));
  Y.resize(std::size_t(n));
  for (double& x : X) x = rng.uniform(-3, 3);
  for (int i = 0; i < n; ++i) Y[std::size_t(i)] = X[std::size_t(2 * i)] * X[std::size_t(2 * i + 1)] > 0;
}

template <class S>
void copy_weights(const Model<S>& from, Model<S>& to) {
  for (int l = 1; l <= from.network().L(); ++l) {
    const auto& W = from.network().W(l);
    const auto& b = from.network().b(l);
    to.set_weights(l, std::vector<double>(W.data(), W.data() + W.size()));
    to.set_biases(l, std::vector<double>(b.data(), b.data() + b.size()));
  }
}

template <class S>
void expect_same_weights(const Model<S>& a, const Model<S>& b) {
  for (int l = 1; l <= a.network().L(); ++l) {
    EXPECT_TRUE(a.network().W(l) == b.network().W(l)) << "W^" << l;
    EXPECT_TRUE(a.network().b(l) == b.network().b(l)) << "b^" << l;
  }
}

}  // namespace

template <class S>
void same_next_epochs(bool shuffle, std::int64_t first_steps) {
  std::vector<double> X, Y;
  data(37, X, Y);
  TrainOptions o;
  o.learning_rate = 0.3;
  o.batch_size = 4;
  o.shuffle = shuffle;
  Model<S> a(sigmoid_net(), 0, Init::xavier, 5);
  a.set_data(X, Y);
  o.steps = first_steps;  // may stop inside an epoch: the cursor is then not 0
  a.train(o);
  // a second model, other initial weights and another seed (another shuffle generator), given a's state
  Model<S> b(sigmoid_net(), 0, Init::he, 99);
  b.set_data(X, Y);
  copy_weights(a, b);
  b.set_schedule(a.schedule());
  o.steps = 0;
  o.epochs = 3;
  const TrainResult ra = a.train(o), rb = b.train(o);
  EXPECT_EQ(ra.cost, rb.cost);
  expect_same_weights(a, b);
  EXPECT_EQ(a.schedule().order, b.schedule().order);
  EXPECT_EQ(a.schedule().cursor, b.schedule().cursor);
  EXPECT_EQ(a.schedule().rng, b.schedule().rng);
}

TEST(Schedule, RebuiltNetworkTrainsOnIdenticallyShuffled) { same_next_epochs<double>(true, 3 * 10); }
TEST(Schedule, RebuiltNetworkTrainsOnIdenticallyInsideAnEpoch) { same_next_epochs<double>(true, 3 * 10 + 4); }
TEST(Schedule, RebuiltNetworkTrainsOnIdenticallyInOrder) { same_next_epochs<double>(false, 7); }
TEST(Schedule, Float32TooShuffled) { same_next_epochs<float>(true, 25); }

// Without the schedule the rebuilt network's next epoch differs (another shuffle): the test above is not vacuous.
TEST(Schedule, WithoutItTheNextEpochDiffers) {
  std::vector<double> X, Y;
  data(37, X, Y);
  TrainOptions o;
  o.learning_rate = 0.3;
  o.batch_size = 4;
  o.shuffle = true;
  o.epochs = 2;
  Model<double> a(sigmoid_net(), 0, Init::xavier, 5), b(sigmoid_net(), 0, Init::xavier, 5);
  a.set_data(X, Y);
  b.set_data(X, Y);
  a.train(o);
  copy_weights(a, b);
  o.epochs = 1;
  EXPECT_NE(a.train(o).cost, b.train(o).cost);
}

TEST(Schedule, BadSchedulesAreRefusedAndChangeNothing) {
  std::vector<double> X, Y;
  data(6, X, Y);
  Model<double> m(sigmoid_net(), 0, Init::xavier, 5);
  m.set_data(X, Y);
  TrainOptions o;
  o.shuffle = true;
  o.steps = 3;
  o.batch_size = 1;
  m.train(o);
  const auto before = m.schedule();
  auto s = before;
  s.order.pop_back();
  EXPECT_THAT([&] { try { m.set_schedule(s); } catch (const std::exception& e) { return std::string(e.what()); } return std::string(); }(),
              HasSubstr("schedule.order: has 5 entries, the training data have 6"));
  s = before;
  s.order[0] = s.order[1];
  EXPECT_THROW(m.set_schedule(s), std::exception);
  s = before;
  s.order[2] = 6;
  EXPECT_THROW(m.set_schedule(s), std::exception);
  s = before;
  s.cursor = 6;
  EXPECT_THROW(m.set_schedule(s), std::exception);
  s = before;
  s.rng = {0, 0, 0, 0};
  EXPECT_THROW(m.set_schedule(s), std::exception);
  const auto after = m.schedule();
  EXPECT_EQ(after.order, before.order);
  EXPECT_EQ(after.cursor, before.cursor);
  EXPECT_EQ(after.rng, before.rng);
  EXPECT_EQ(after.shuffled, before.shuffled);
}

TEST(Rng, StateSetBackRepeatsTheStream) {
  Rng a(42);
  for (int i = 0; i < 5; ++i) a.next_u64();
  const auto s = a.state();
  const std::uint64_t x = a.next_u64(), y = a.next_u64();
  Rng b(7);
  b.set_state(s);
  EXPECT_EQ(b.next_u64(), x);
  EXPECT_EQ(b.next_u64(), y);
}
