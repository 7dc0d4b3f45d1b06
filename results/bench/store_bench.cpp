// Write throughput of the results store alone (no MPI, no methods): N cells
// shaped like a simulation study's (the Kang-Schafer design: 11 metrics per
// cell, realistic labels and JSON parameters) written in batches, as the
// farm's recorder writes them. Prints cells/s and metric rows/s.
//
//   store_bench [CELLS] [METRICS_PER_CELL] [BATCH]     (defaults 100000 11 20000)
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "harness/core/errors.h"
#include "results/store/database.h"

int main(int argc, char** argv) {
  const long cells = argc > 1 ? std::stol(argv[1]) : 100000;
  const int metrics = argc > 2 ? std::stoi(argv[2]) : 11;
  const long batch = argc > 3 ? std::stol(argv[3]) : 20000;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("sb-store-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "bench.sqlite").string();
  double seconds = 0;
  try {
    sb::Database db(path, sb::Database::Mode::kReadWrite);
    sb::RunInfo run;
    run.tool_version = "bench";
    run.status = "running";
    const std::int64_t run_id = db.begin_run(run);
    const char* methods[] = {"difference-in-means", "outcome-regression", "ipw", "hajek", "aipw"};
    std::vector<sb::CellRecord> records;
    for (long start = 0; start < cells; start += batch) {
      records.clear();
      for (long i = start; i < std::min(cells, start + batch); ++i) {
        sb::CellRecord r;
        char key[33];
        std::snprintf(key, sizeof key, "%016lx%016lx", static_cast<unsigned long>(i) * 0x9E3779B97F4A7C15ul,
                      static_cast<unsigned long>(i) * 0xC2B2AE3D27D4EB4Ful);
        r.key = key;
        r.suite = "simulation";  // any suite name: the store never interprets it
        r.suite_version = "1";
        r.dataset = "kang-schafer";
        r.dataset_params = "{\"effect\":10,\"heterogeneity\":0,\"n\":" + std::to_string(i % 2 ? 1000 : 200) +
                           ",\"outcome_model\":\"correct\",\"propensity_model\":\"misspecified\"}";
        r.dataset_label = "kang-schafer[effect=10,heterogeneity=0,n=" + std::to_string(i % 2 ? 1000 : 200) +
                          ",outcome_model=correct,propensity_model=misspecified]";
        r.method = methods[i % 5];
        r.method_params = "{}";
        r.method_label = r.method;
        r.method_version = "1";
        r.seed = i / 40;
        r.status = sb::CellStatus::kOk;
        r.wall_seconds = 1e-4;
        r.cpu_seconds = 1e-4;
        r.method_seconds = 1e-4;
        r.peak_rss_kb = 12345;
        r.rank = static_cast<int>(i % 2);
        r.host = "node-001";
        r.run_id = run_id;
        r.finished_at = "2026-11-23T12:00:00.000Z";
        for (int m = 0; m < metrics; ++m) r.metrics.emplace_back("metric_" + std::to_string(m), 0.5 * m + i);
        records.push_back(std::move(r));
      }
      const auto t0 = std::chrono::steady_clock::now();
      db.write_cells(records);
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
  } catch (const sb::Error& e) {
    std::fprintf(stderr, "store_bench: %s\n", e.what());
    std::filesystem::remove_all(dir);
    return 3;
  }
  std::printf("%ld cells x %d metrics in batches of %ld: %.3f s writing = %.0f cells/s, %.0f metric rows/s, "
              "file %.1f MB\n",
              cells, metrics, batch, seconds, cells / seconds, cells * metrics / seconds,
              std::filesystem::file_size(path) / 1e6);
  std::filesystem::remove_all(dir);
  return 0;
}
