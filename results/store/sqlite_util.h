// Thin RAII helpers over the SQLite C API, used only inside results/store/.
// Every failure becomes a DatabaseError naming the database file.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sb::store {

// Throws DatabaseError "<path>: <what>: <sqlite message>".
[[noreturn]] void throw_sqlite(sqlite3* db, const std::string& path, std::string_view what);

// Runs a script of one or more statements that return no rows of interest.
void exec_script(sqlite3* db, const std::string& path, const char* sql);

// Owns one prepared statement.
class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, const std::string& path, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  sqlite3_stmt* get() const { return stmt_; }
  explicit operator bool() const { return stmt_ != nullptr; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// One use of a prepared statement: binds (1-based), steps, reads columns
// (0-based); resets the statement and clears its bindings when it ends, so the
// statement can be reused by the next call.
class StatementUse {
 public:
  StatementUse(sqlite3_stmt* stmt, sqlite3* db, const std::string& path);
  ~StatementUse();
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;

  StatementUse& text(int i, std::string_view v);
  // Binds without copying: `v` must stay alive until this use ends (the
  // writer binds the fields of the record it is writing).
  StatementUse& text_ref(int i, std::string_view v);
  StatementUse& text_or_null(int i, std::string_view v);  // "" -> NULL
  StatementUse& int64(int i, std::int64_t v);
  StatementUse& real(int i, double v);                    // NaN -> NULL
  StatementUse& null(int i);
  StatementUse& blob(int i, const std::vector<unsigned char>& bytes);

  bool step();  // true: a row is available; false: done. Throws on error.
  void run();   // steps a statement that returns no row
  int step_rc();  // steps once and returns SQLite's (extended) result code, never throws

  bool is_null(int col) const;
  std::string column_text(int col) const;  // NULL -> ""
  double column_real(int col) const;       // NULL -> NaN
  std::int64_t column_int64(int col) const;
  std::vector<unsigned char> column_blob(int col) const;

 private:
  sqlite3_stmt* stmt_;
  sqlite3* db_;
  const std::string& path_;
};

// Artifacts are stored as little-endian IEEE-754 float64, whatever the host.
std::vector<unsigned char> encode_float64_le(const std::vector<double>& values);
std::vector<double> decode_float64_le(const std::vector<unsigned char>& bytes);

// True when `table` has a column `column` (older schema versions lack some).
bool column_exists(sqlite3* db, const std::string& path, std::string_view table, std::string_view column);

// Escapes a path for use inside a `file:` URI (%, ?, # and non-printables).
std::string file_uri(const std::string& path, std::string_view query);

}  // namespace sb::store
