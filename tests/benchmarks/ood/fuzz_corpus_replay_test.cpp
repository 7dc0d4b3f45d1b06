// Replays the loader fuzzers' committed inputs (tests/fuzz/corpus/{npy,idx})
// in the release build: every crash input the fuzzers found before the
// loaders were hardened must now be a typed InputError naming the file, and
// no input may escape as another exception (std::out_of_range,
// std::length_error, std::bad_alloc were the findings).
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>

#include "benchmarks/ood/idx.h"
#include "benchmarks/ood/npy.h"
#include "harness/core/errors.h"

namespace sb::ood {
namespace {

namespace fs = std::filesystem;

// Runs `load` on every file of the corpus folder; returns how many crash-*
// files were refused with InputError.
int replay(const std::string& folder, const std::function<void(const std::string&)>& load) {
  int crashes_refused = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(SB_SOURCE_DIR) / "tests/fuzz/corpus" / folder)) {
    const std::string path = entry.path().string();
    const bool is_crash = entry.path().filename().string().rfind("crash-", 0) == 0;
    try {
      load(path);
      EXPECT_FALSE(is_crash) << path << " was accepted";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(entry.path().filename().string()), std::string::npos)
          << "message does not name the file: " << e.what();
      crashes_refused += is_crash;
    } catch (const std::exception& e) {
      ADD_FAILURE() << path << " escaped as " << typeid(e).name() << ": " << e.what();
    }
  }
  return crashes_refused;
}

TEST(FuzzCorpusReplay, NpyCrashInputsAreInputErrors) {
  const int refused = replay("npy", [](const std::string& p) {
    read_npy_matrix(p);
  });
  EXPECT_GE(refused, 4);
}

TEST(FuzzCorpusReplay, IdxCrashInputsAreInputErrors) {
  const int refused = replay("idx", [](const std::string& p) {
    if (p.find("labels") != std::string::npos) {
      read_idx_labels(p, "");
    } else {
      read_idx_images(p);
    }
  });
  EXPECT_GE(refused, 1);
}

}  // namespace
}  // namespace sb::ood
