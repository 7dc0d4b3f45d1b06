// Data-OOB: Kwon & Zou (2023), Data-OOB: out-of-bag estimate as a simple and efficient data value, ICML
#include <random>

#include "benchmarks/selection/selection.h"
#include "datasets/random.h"

namespace sb::selection {
namespace {

class DataOob : public Valuer {
 public:
  struct Params {
    std::int64_t bootstraps = 100;
  };
  explicit DataOob(const Params& p) : bootstraps_(p.bootstraps) {}
  Eigen::VectorXd values(const ValuationContext& ctx) const override {
    const auto& train = ctx.data->train;
    const auto n = train.rows();
    std::mt19937_64 rng(ctx.seed);
    Eigen::VectorXd correct = Eigen::VectorXd::Zero(n), out_of_bag = Eigen::VectorXd::Zero(n);
    std::vector<Eigen::Index> sample(static_cast<size_t>(n));
    std::vector<char> in_bag(static_cast<size_t>(n));
    for (std::int64_t b = 0; b < bootstraps_; ++b) {
      std::fill(in_bag.begin(), in_bag.end(), 0);
      for (auto& r : sample) {
        r = static_cast<Eigen::Index>(data::uniform_index(rng, static_cast<std::uint64_t>(n)));
        in_bag[static_cast<size_t>(r)] = 1;
      }
      const auto model = ctx.utility->fit(sample);
      const Eigen::VectorXi predicted = model.predict(train.x);
      for (Eigen::Index i = 0; i < n; ++i) {
        if (in_bag[static_cast<size_t>(i)]) continue;
        out_of_bag(i) += 1;
        correct(i) += predicted(i) == train.y(i);
      }
    }
    // A row in every bag has no out-of-bag estimate: it gets the mean of the others.
    Eigen::VectorXd v(n);
    double sum = 0;
    Eigen::Index valued = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (out_of_bag(i) > 0) v(i) = correct(i) / out_of_bag(i), sum += v(i), ++valued;
    }
    const double fallback = valued > 0 ? sum / static_cast<double>(valued) : 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (out_of_bag(i) == 0) v(i) = fallback;
    }
    return v;
  }

 private:
  std::int64_t bootstraps_;
};

}  // namespace

SB_REGISTER_VALUER(DataOob, "data-oob")
    .describe("Out-of-bag accuracy of each row over bootstrap fits of the utility's model (a bagged "
              "logistic regression here; the paper's bagged learner is a random forest)")
    .paper("Kwon & Zou (2023), Data-OOB: out-of-bag estimate as a simple and efficient data value, ICML")
    .field(&DataOob::Params::bootstraps, "bootstraps", 1, 100000000, "bootstrap fits B");

}  // namespace sb::selection
