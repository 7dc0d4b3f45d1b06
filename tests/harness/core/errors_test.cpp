// SB_THROW_IF_NOT: the message researchers see (input, method and database
// errors) is the formatted message alone; an internal error also names the
// failed C++ condition, for us.
#include "harness/core/errors.h"

#include <gtest/gtest.h>

#include <string>

namespace sb {
namespace {

template <class E>
std::string message_of_failed_check(int value) {
  try {
    SB_THROW_IF_NOT(E, value > 0, "value = {} must be > 0", value);
  } catch (const E& e) {
    return e.what();
  }
  return "not thrown";
}

TEST(ThrowIfNot, UserFacingErrorsCarryTheMessageAlone) {
  EXPECT_EQ(message_of_failed_check<InputError>(-2), "value = -2 must be > 0");
  EXPECT_EQ(message_of_failed_check<MethodError>(-2), "value = -2 must be > 0");
  EXPECT_EQ(message_of_failed_check<DatabaseError>(-2), "value = -2 must be > 0");
}

TEST(ThrowIfNot, AnInternalErrorAlsoNamesTheCondition) {
  EXPECT_EQ(message_of_failed_check<InternalError>(-2), "value = -2 must be > 0 (failed: value > 0)");
}

TEST(ThrowIfNot, APassingCheckThrowsNothing) {
  EXPECT_EQ(message_of_failed_check<InputError>(3), "not thrown");
  EXPECT_EQ(message_of_failed_check<InternalError>(3), "not thrown");
}

}  // namespace
}  // namespace sb
