#include "results/aggregate/labels.h"

#include <gtest/gtest.h>

#include <set>

namespace sb {
namespace {

TEST(ShortLabels, KeepOnlyTheParametersThatVaryWithinAName) {
  const auto s = short_labels({"spurious[batch_size=128,core_strength=2,n=500]",
                               "spurious[batch_size=128,core_strength=4,n=500]", "msp", "knn[k=5]",
                               "mahalanobis[eps=0.1,tied=true]", "mahalanobis[eps=0.1,tied=false]"});
  EXPECT_EQ(s.at("spurious[batch_size=128,core_strength=2,n=500]"), "spurious[core_strength=2]");
  EXPECT_EQ(s.at("spurious[batch_size=128,core_strength=4,n=500]"), "spurious[core_strength=4]");
  EXPECT_EQ(s.at("msp"), "msp");
  EXPECT_EQ(s.at("knn[k=5]"), "knn");  // one entry of its name: nothing varies
  EXPECT_EQ(s.at("mahalanobis[eps=0.1,tied=true]"), "mahalanobis[tied=true]");
}

TEST(ShortLabels, AParameterMissingFromSomeLabelVariesAndValuesMayHoldCommas) {
  const auto s = short_labels({"a[dir=/x,y/z,n=1]", "a[dir=/x,y/z,n=2]", "b[p=1]", "b[p=1,q=2]"});
  EXPECT_EQ(s.at("a[dir=/x,y/z,n=1]"), "a[n=1]");  // ",y/z" is part of the value, not a parameter
  EXPECT_EQ(s.at("a[dir=/x,y/z,n=2]"), "a[n=2]");
  EXPECT_EQ(s.at("b[p=1]"), "b");
  EXPECT_EQ(s.at("b[p=1,q=2]"), "b[q=2]");
}

TEST(ShortLabels, DistinctLabelsStayDistinctAndRecordsAreRewritten) {
  const std::vector<std::string> labels = {"m[a=1,b=1]", "m[a=1,b=2]", "m[a=2,b=1]", "m[a=2,b=2]", "odd[label"};
  const auto s = short_labels(labels);
  std::set<std::string> out;
  for (const auto& l : labels) out.insert(s.at(l));
  EXPECT_EQ(out.size(), labels.size());
  EXPECT_EQ(s.at("odd[label"), "odd[label");  // not name[k=v,...]: kept whole

  std::vector<CellRecord> records(2);
  records[0].dataset_label = "d[n=10,p=3]";
  records[0].method_label = "x[k=1]";
  records[1].dataset_label = "d[n=10,p=4]";
  records[1].method_label = "x[k=1]";
  shorten_labels(records);
  EXPECT_EQ(records[0].dataset_label, "d[p=3]");
  EXPECT_EQ(records[1].dataset_label, "d[p=4]");
  EXPECT_EQ(records[0].method_label, "x");
}

CellRecord cell(const std::string& method, const std::string& params, const std::string& version,
                const std::string& label) {
  const std::string suite = "estimation", dataset = "d", no_params = "{}";
  CellRecord r;
  r.suite = suite;
  r.dataset = r.dataset_label = dataset;
  r.dataset_params = no_params;
  r.method = method;
  r.method_params = params;
  r.method_version = version;
  r.method_label = label;
  return r;
}

TEST(SeparateSharedLabels, OneLabelOfSeveralMethodsParametersOrVersionsIsToldApart) {
  std::vector<CellRecord> records = {cell("sample-mean", "{}", "1", "mine"),
                                     cell("coordinate-median", "{}", "1", "mine"),
                                     cell("huber-mean", "{\"c\":1.345}", "0", "huber-mean"),
                                     cell("huber-mean", "{\"c\":1.345}", "1", "huber-mean"),
                                     cell("trimmed-mean", "{\"trim\":0.1}", "1", "t"),
                                     cell("trimmed-mean", "{\"trim\":0.2}", "1", "t"),
                                     cell("trimmed-mean", "{\"trim\":0.2}", "1", "t"),
                                     cell("sample-mean", "{}", "1", "sample-mean")};
  records.back().suite = "other";  // a label is shared within a suite only
  records.push_back(cell("loo", "{}", "1", "loo"));
  records.back().suite_version = "1";
  records.push_back(cell("loo", "{}", "1", "loo"));
  records.back().suite_version = "2";  // graded by a newer suite
  separate_shared_labels(records);
  EXPECT_EQ(records[8].method_label, "loo (suite version 1)");
  EXPECT_EQ(records[9].method_label, "loo (suite version 2)");
  EXPECT_EQ(records[0].method_label, "mine (sample-mean)");
  EXPECT_EQ(records[1].method_label, "mine (coordinate-median)");
  EXPECT_EQ(records[2].method_label, "huber-mean (version 0)");
  EXPECT_EQ(records[3].method_label, "huber-mean (version 1)");
  EXPECT_EQ(records[4].method_label, "t (trim=0.1)");
  EXPECT_EQ(records[5].method_label, "t (trim=0.2)");
  EXPECT_EQ(records[6].method_label, "t (trim=0.2)");  // the same identity keeps one label
  EXPECT_EQ(records[7].method_label, "sample-mean");

  records = {cell("m", "{}", "1", "m"), cell("m", "{}", "1", "m")};
  records[1].dataset_params = "{\"n\":100}";
  separate_shared_labels(records);
  EXPECT_EQ(records[0].dataset_label, "d (no parameters)");
  EXPECT_EQ(records[1].dataset_label, "d (n=100)");
  EXPECT_EQ(records[0].method_label, "m");
}

}  // namespace
}  // namespace sb
