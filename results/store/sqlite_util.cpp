#include "results/store/sqlite_util.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include "harness/core/errors.h"

namespace sb::store {

void throw_sqlite(sqlite3* db, const std::string& path, std::string_view what) {
  const char* msg = db ? sqlite3_errmsg(db) : "out of memory";
  throw DatabaseError("{}: {}: {}", path, what, msg);
}

void exec_script(sqlite3* db, const std::string& path, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errmsg(db);
    sqlite3_free(err);
    throw DatabaseError("{}: {}", path, msg);
  }
}

Statement::Statement(sqlite3* db, const std::string& path, std::string_view sql) {
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt_, nullptr) != SQLITE_OK) {
    throw_sqlite(db, path, fmt::format("preparing \"{}\"", sql));
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

StatementUse::StatementUse(sqlite3_stmt* stmt, sqlite3* db, const std::string& path)
    : stmt_(stmt), db_(db), path_(path) {}

StatementUse::~StatementUse() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

namespace {
void check_bind(int rc, sqlite3* db, const std::string& path) {
  if (rc != SQLITE_OK) throw_sqlite(db, path, "binding a value");
}
}  // namespace

StatementUse& StatementUse::text(int i, std::string_view v) {
  check_bind(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT),
             db_, path_);
  return *this;
}

StatementUse& StatementUse::text_ref(int i, std::string_view v) {
  check_bind(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC),
             db_, path_);
  return *this;
}

StatementUse& StatementUse::text_or_null(int i, std::string_view v) {
  return v.empty() ? null(i) : text(i, v);
}

StatementUse& StatementUse::int64(int i, std::int64_t v) {
  check_bind(sqlite3_bind_int64(stmt_, i, v), db_, path_);
  return *this;
}

StatementUse& StatementUse::real(int i, double v) {
  if (std::isnan(v)) return null(i);  // SQLite has no NaN
  check_bind(sqlite3_bind_double(stmt_, i, v), db_, path_);
  return *this;
}

StatementUse& StatementUse::null(int i) {
  check_bind(sqlite3_bind_null(stmt_, i), db_, path_);
  return *this;
}

StatementUse& StatementUse::blob(int i, const std::vector<unsigned char>& bytes) {
  // A zero-length blob, not NULL, for an empty artifact.
  check_bind(sqlite3_bind_blob64(stmt_, i, bytes.empty() ? "" : static_cast<const void*>(bytes.data()),
                                 bytes.size(), SQLITE_TRANSIENT),
             db_, path_);
  return *this;
}

bool StatementUse::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw_sqlite(db_, path_, fmt::format("running \"{}\"", sqlite3_sql(stmt_)));
}

int StatementUse::step_rc() { return sqlite3_step(stmt_); }

void StatementUse::run() {
  while (step()) {
  }
}

bool StatementUse::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

std::string StatementUse::column_text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, col));
}

double StatementUse::column_real(int col) const {
  if (is_null(col)) return std::numeric_limits<double>::quiet_NaN();
  return sqlite3_column_double(stmt_, col);
}

std::int64_t StatementUse::column_int64(int col) const { return sqlite3_column_int64(stmt_, col); }

std::vector<unsigned char> StatementUse::column_blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  if (!p || n <= 0) return {};
  const auto* b = static_cast<const unsigned char*>(p);
  return std::vector<unsigned char>(b, b + n);
}

std::vector<unsigned char> encode_float64_le(const std::vector<double>& values) {
  std::vector<unsigned char> out(values.size() * 8);
  if constexpr (std::endian::native == std::endian::little) {
    if (!values.empty()) std::memcpy(out.data(), values.data(), out.size());
  } else {
    for (size_t i = 0; i < values.size(); ++i) {
      auto bits = std::bit_cast<std::uint64_t>(values[i]);
      for (int b = 0; b < 8; ++b) out[i * 8 + b] = static_cast<unsigned char>(bits >> (8 * b));
    }
  }
  return out;
}

std::vector<double> decode_float64_le(const std::vector<unsigned char>& bytes) {
  std::vector<double> out(bytes.size() / 8);
  if constexpr (std::endian::native == std::endian::little) {
    if (!out.empty()) std::memcpy(out.data(), bytes.data(), out.size() * 8);
  } else {
    for (size_t i = 0; i < out.size(); ++i) {
      std::uint64_t bits = 0;
      for (int b = 0; b < 8; ++b) bits |= std::uint64_t{bytes[i * 8 + b]} << (8 * b);
      out[i] = std::bit_cast<double>(bits);
    }
  }
  return out;
}

std::string file_uri(const std::string& path, std::string_view query) {
  static const char* hex = "0123456789ABCDEF";
  std::string uri = "file:";
  for (unsigned char c : path) {
    if (c == '%' || c == '?' || c == '#' || c <= 0x20 || c >= 0x7f) {
      uri += '%';
      uri += hex[c >> 4];
      uri += hex[c & 15];
    } else {
      uri += static_cast<char>(c);
    }
  }
  if (!query.empty()) {
    uri += '?';
    uri += query;
  }
  return uri;
}

bool column_exists(sqlite3* db, const std::string& path, std::string_view table, std::string_view column) {
  Statement stmt(db, path, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2");
  StatementUse use(stmt.get(), db, path);
  use.text(1, table).text(2, column);
  return use.step();
}

}  // namespace sb::store
