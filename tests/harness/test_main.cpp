// main() of test_harness: GoogleTest's, plus the executor child's mode. An
// Executor starts its child as `/proc/self/exe __executor PID`, which here is
// this test binary: the executor's tests (run/executor_test.cpp) therefore
// run the real child code, on the selftest suite linked into this binary.
#include <gtest/gtest.h>

#include <string>

#include "harness/run/executor.h"

int main(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == sb::kExecutorCommand) sb::executor_child_main(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
