// Helpers shared by the store tests: scratch directories and sample records.
#pragma once

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "results/records.h"

namespace sb::testing_store {

// A fresh directory per test, removed at the end.
class ScratchDir {
 public:
  ScratchDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::path(::testing::TempDir()) /
           (std::string("sb_store_") + info->test_suite_name() + "_" + info->name() + "_" +
            std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }

 private:
  std::filesystem::path dir_;
};

inline CellRecord make_cell(const std::string& key, const std::string& status = "ok",
                            std::vector<std::pair<std::string, double>> metrics = {{"m", 1.0}}) {
  CellRecord c;
  c.key = key;
  c.suite = "estimation";
  c.suite_version = "1";
  c.dataset = "corrupted-mean";
  c.dataset_params = R"({"n":100})";
  c.dataset_label = "corrupted-mean[n=100]";
  c.method = "trimmed-mean";
  c.method_params = R"({"trim":0.1})";
  c.method_label = "trimmed-mean[trim=0.1]";
  c.method_version = "1";
  c.seed = 3;
  c.status = *parse_cell_status(status);
  c.error = status == "ok" ? "" : "boom";
  c.wall_seconds = 0.5;
  c.cpu_seconds = 0.25;
  c.method_seconds = 0.125;
  c.peak_rss_kb = 2048;
  c.rank = 1;
  c.host = "node01";
  c.finished_at = "2026-11-23T09:00:00Z";
  if (status == "ok") c.metrics = std::move(metrics);
  return c;
}

inline RunInfo make_run(const std::string& started_at) {
  RunInfo r;
  r.tool_version = "0.1.0";
  r.git_commit = "abcdef123456";
  r.build_type = "Release";
  r.compiler = "GNU 12.2.0";
  r.hosts = "node01,node02";
  r.mpi_size = 64;
  r.started_at = started_at;
  r.status = "running";
  r.config_path = "experiment.toml";
  r.config_text = "suite = \"estimation\"\nseeds = 2\n";
  r.command_line = "shardbench run experiment.toml";
  return r;
}

// Runs SQL on a raw connection (to fabricate files the store must refuse).
inline void raw_exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << msg;
}

}  // namespace sb::testing_store
