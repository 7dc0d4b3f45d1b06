// A labelled table: the plain data every tabular loader and generator
// returns and every split and corruption works on.
#pragma once

#include <Eigen/Dense>

#include <string>
#include <vector>

namespace sb::data {

struct Table {
  Eigen::MatrixXd x;              // n x d features, rows are examples
  Eigen::VectorXi y;              // n class labels in [0, num_classes) (classification)
  Eigen::VectorXd target;         // n responses (regression; empty for classification)
  int num_classes = 0;            // 0 for regression
  std::vector<std::string> class_names;

  Eigen::Index rows() const { return x.rows(); }
  bool is_classification() const { return num_classes > 0; }
};

// Rows `rows` of t, in that order (labels and targets follow).
Table select_rows(const Table& t, const std::vector<Eigen::Index>& rows);

// Rows of b appended to those of a (same columns and task).
Table concatenate(const Table& a, const Table& b);

}  // namespace sb::data
