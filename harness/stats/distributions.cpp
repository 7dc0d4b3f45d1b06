#include "harness/stats/distributions.h"

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "harness/core/errors.h"

namespace sb::stats {

double student_t_quantile(double p, double df) {
  SB_THROW_IF_NOT(InputError, p > 0 && p < 1 && df > 0,
                  "t quantile needs 0 < p < 1 and df > 0, got p={} df={}", p, df);
  return boost::math::quantile(boost::math::students_t(df), p);
}

double normal_quantile(double p) {
  SB_THROW_IF_NOT(InputError, p > 0 && p < 1, "normal quantile needs 0 < p < 1, got {}", p);
  return boost::math::quantile(boost::math::normal(), p);
}

}  // namespace sb::stats
