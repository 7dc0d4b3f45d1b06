// Paper: Tukey & McLaughlin (1963), Less vulnerable confidence and significance procedures for location based on a single sample, Sankhya A 25(3)
#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/robust_common.h"

namespace sb::estimation {
namespace {

// Coordinate-wise trimmed mean (robust::trimmed_mean), with the
// Tukey-McLaughlin winsorised-variance t CI for coordinate 0.
class TrimmedMean : public Estimator {
 public:
  struct Params { double trim = 0.1; };
  explicit TrimmedMean(const Params& p) : trim_(p.trim) {}

  Estimate estimate(const Data& data, std::uint64_t) const override {
    SB_THROW_IF_NOT(MethodError, data.x.rows() >= 1 && data.x.cols() >= 1,
                    "trimmed mean needs n >= 1 and d >= 1 (n={}, d={})", data.x.rows(),
                    data.x.cols());
    return robust::coordinatewise_trimmed_mean(data.x, trim_);
  }

 private:
  double trim_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::TrimmedMean, "trimmed-mean")
    .describe("Coordinate-wise trimmed mean; Tukey-McLaughlin winsorised-variance t CI")
    .paper("Tukey & McLaughlin (1963), Less vulnerable confidence and significance procedures, Sankhya A 25(3)")
    .tag("task:location")
    .field(&sb::estimation::TrimmedMean::Params::trim, "trim", 0.0, 0.49, "fraction trimmed from each end");
