#include "harness/run/progress.h"

#include <cstdlib>
#include <utility>

#include <fmt/format.h>

namespace sb {

namespace {
std::string duration_text(double s) {
  if (s < 0 || s != s) return "?";
  auto t = static_cast<long long>(s + 0.5);
  if (t < 60) return fmt::format("{}s", t);
  if (t < 3600) return fmt::format("{}m{:02}s", t / 60, t % 60);
  return fmt::format("{}h{:02}m", t / 3600, (t % 3600) / 60);
}
}  // namespace

Progress::Progress(std::int64_t total, bool tty, double interval_seconds, std::FILE* out, std::string unit)
    : total_(total), tty_(tty), interval_(interval_seconds), out_(out), unit_(std::move(unit)) {
  start_ = last_ = std::chrono::steady_clock::now();
}

void Progress::update(std::int64_t done, std::int64_t failed) {
  auto now = std::chrono::steady_clock::now();
  double since = std::chrono::duration<double>(now - last_).count();
  if (since < (tty_ ? 0.2 : interval_)) return;
  last_ = now;
  print(done, failed, false);
}

void Progress::finish(std::int64_t done, std::int64_t failed) { print(done, failed, true); }

void Progress::print(std::int64_t done, std::int64_t failed, bool final_line) {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double rate = elapsed > 0 ? done / elapsed : 0;
  double eta = rate > 0 ? (total_ - done) / rate : -1;
  double pct = total_ > 0 ? 100.0 * done / total_ : 100.0;
  std::string line =
      fmt::format("[shardbench] {}/{} {} ({:.1f}%), {} failed, {:.1f} {}/s, elapsed {}, ETA {}", done, total_, unit_,
                  pct, failed, rate, unit_, duration_text(elapsed), final_line ? "0s" : duration_text(eta));
  if (tty_) {
    fmt::print(out_, "\r\033[K{}{}", line, final_line ? "\n" : "");
  } else {
    fmt::print(out_, "{}\n", line);
  }
  std::fflush(out_);
  if (final_line && log_ != nullptr && log_ != out_) {
    fmt::print(log_, "{}\n", line);
    std::fflush(log_);
  }
}

std::FILE* Progress::launching_terminal() {
  if (std::getenv("SB_NO_TTY") != nullptr) return nullptr;  // e.g. a job started from a terminal but logged
  static std::FILE* tty = std::fopen("/dev/tty", "w");      // fails without a controlling terminal
  return tty;
}

}  // namespace sb
