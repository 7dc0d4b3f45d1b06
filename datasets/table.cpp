#include "datasets/table.h"

#include "harness/core/errors.h"

namespace sb::data {

Table select_rows(const Table& t, const std::vector<Eigen::Index>& rows) {
  Table out;
  out.num_classes = t.num_classes;
  out.class_names = t.class_names;
  const auto n = static_cast<Eigen::Index>(rows.size());
  out.x.resize(n, t.x.cols());
  if (t.y.size()) out.y.resize(n);
  if (t.target.size()) out.target.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const Eigen::Index r = rows[static_cast<size_t>(i)];
    SB_THROW_IF_NOT(InternalError, r >= 0 && r < t.rows(), "select_rows: row {} of {}", r, t.rows());
    out.x.row(i) = t.x.row(r);
    if (t.y.size()) out.y(i) = t.y(r);
    if (t.target.size()) out.target(i) = t.target(r);
  }
  return out;
}

Table concatenate(const Table& a, const Table& b) {
  SB_THROW_IF_NOT(InternalError, a.x.cols() == b.x.cols() && a.num_classes == b.num_classes,
                  "concatenate: {} vs {} columns, {} vs {} classes", a.x.cols(), b.x.cols(),
                  a.num_classes, b.num_classes);
  Table out = a;
  out.x.resize(a.rows() + b.rows(), a.x.cols());
  out.x << a.x, b.x;
  if (a.y.size()) {
    out.y.resize(a.rows() + b.rows());
    out.y << a.y, b.y;
  }
  if (a.target.size()) {
    out.target.resize(a.rows() + b.rows());
    out.target << a.target, b.target;
  }
  return out;
}

}  // namespace sb::data
