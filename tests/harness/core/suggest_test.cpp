#include "harness/core/suggest.h"

#include <gtest/gtest.h>

namespace sb {
namespace {

TEST(EditDistance, HandComputedCases) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("", "ab"), 2u);
  EXPECT_EQ(edit_distance("seed", "seeds"), 1u);        // insertion
  EXPECT_EQ(edit_distance("logistc", "logistic"), 1u);  // insertion inside
  EXPECT_EQ(edit_distance("ridge", "ridgf"), 1u);       // substitution
  EXPECT_EQ(edit_distance("tirm", "trim"), 1u);         // adjacent transposition
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);    // the textbook case
  EXPECT_EQ(edit_distance("ca", "abc"), 3u);            // OSA, not unrestricted Damerau (which gives 2)
  EXPECT_EQ(edit_distance("Seeds", "seeds"), 0u);       // ASCII case ignored
  EXPECT_EQ(edit_distance("abc", "xyz"), 3u);
}

TEST(DidYouMean, SuggestsTheClosestNameOrNothing) {
  const std::vector<std::string> keys = {"suite", "description", "seeds", "timeout", "max_retries"};
  EXPECT_EQ(did_you_mean("seed", keys), ", did you mean 'seeds'?");
  EXPECT_EQ(did_you_mean("Seeds", keys), ", did you mean 'seeds'?");
  EXPECT_EQ(did_you_mean("max_retry", keys), ", did you mean 'max_retries'?");
  EXPECT_EQ(did_you_mean("color", keys), "");  // nothing close
  EXPECT_EQ(did_you_mean("sklearn-digits", {"breast-cancer", "digits", "wine"}), ", did you mean 'digits'?");
  EXPECT_EQ(did_you_mean("n", {"n", "d"}), "");                     // the name itself is not a suggestion
  EXPECT_EQ(did_you_mean("k", {"n", "d"}), "");                     // one edit from a short name is anything...
  EXPECT_EQ(did_you_mean("N", {"n", "d"}), ", did you mean 'n'?");  // ...its case is not
  EXPECT_EQ(did_you_mean("trm", {"trim", "tram"}), ", did you mean 'trim'?");  // ties go to the first
  EXPECT_EQ(did_you_mean("x", {}), "");
}

}  // namespace
}  // namespace sb
