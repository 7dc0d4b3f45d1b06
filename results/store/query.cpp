// Database::query: one ad-hoc SQL statement (`shardbench query`, `status`),
// with an optional time limit.
#include <sqlite3.h>

#include <chrono>

#include "harness/core/errors.h"
#include "results/store/database.h"
#include "results/store/sqlite_util.h"

namespace sb {

using store::StatementUse;

namespace {

std::string hex_blob(const unsigned char* p, int n) {
  static const char* hex = "0123456789abcdef";
  std::string s = "X'";
  for (int i = 0; i < n; ++i) {
    s += hex[p[i] >> 4];
    s += hex[p[i] & 15];
  }
  s += '\'';
  return s;
}

// Time limit of Database::query: SQLite calls this every few thousand
// virtual-machine steps; a non-zero return interrupts the statement.
struct QueryDeadline {
  std::chrono::steady_clock::time_point at;
  bool expired = false;
};

int check_deadline(void* arg) {
  auto* deadline = static_cast<QueryDeadline*>(arg);
  if (std::chrono::steady_clock::now() >= deadline->at) deadline->expired = true;
  return deadline->expired ? 1 : 0;
}

}  // namespace

QueryResult Database::query(const std::string& sql, double timeout_seconds) const {
  QueryDeadline deadline;
  struct HandlerScope {
    sqlite3* db;
    ~HandlerScope() {
      if (db) sqlite3_progress_handler(db, 0, nullptr, nullptr);
    }
  } handler{nullptr};
  if (timeout_seconds > 0) {
    deadline.at = std::chrono::steady_clock::now() +
                  std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                      std::chrono::duration<double>(timeout_seconds));
    sqlite3_progress_handler(db_, 10000, check_deadline, &deadline);
    handler.db = db_;
  }
  auto fail = [&](const std::string& what) {
    if (deadline.expired) {
      throw QueryTimeoutError("{}: query stopped after {} s (its time limit): \"{}\"", path_,
                              timeout_seconds, sql);
    }
    store::throw_sqlite(db_, path_, what);
  };
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &raw, &tail) != SQLITE_OK) {
    // SQLITE_ERROR at prepare time is the statement's own fault (syntax, no
    // such table or column), not the file's.
    if (sqlite3_errcode(db_) == SQLITE_ERROR && !deadline.expired)
      throw BadStatementError("{}: query \"{}\": {}", path_, sql, sqlite3_errmsg(db_));
    fail(fmt::format("query \"{}\"", sql));
  }
  // Owns `raw` from here on.
  struct Finalizer {
    sqlite3_stmt* s;
    ~Finalizer() { sqlite3_finalize(s); }
  } owner{raw};
  if (!raw) throw BadStatementError("{}: the query is empty", path_);

  // Anything after the first statement other than blanks, ';' or comments.
  const char* end = sql.c_str() + sql.size();
  while (tail && tail < end) {
    sqlite3_stmt* next = nullptr;
    const char* next_tail = nullptr;
    int rc = sqlite3_prepare_v2(db_, tail, static_cast<int>(end - tail), &next, &next_tail);
    sqlite3_finalize(next);
    if (rc != SQLITE_OK || next) {
      throw BadStatementError("{}: query must be a single SQL statement: \"{}\"", path_, sql);
    }
    if (next_tail == tail) break;
    tail = next_tail;
  }
  // A user's request, not a database failure: InputError (exit 2).
  if (mode_ == Mode::kReadOnly && !sqlite3_stmt_readonly(raw)) {
    throw InputError("{} is open read-only; refusing a statement that writes: \"{}\"", path_,
                     sql);
  }

  QueryResult result;
  const int ncol = sqlite3_column_count(raw);
  for (int i = 0; i < ncol; ++i) result.columns.emplace_back(sqlite3_column_name(raw, i));
  StatementUse row(raw, db_, path_);
  for (;;) {
    const int rc = row.step_rc();
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) {
      // The statement's own fault while running (an ATTACH of a file that
      // cannot be opened, load_extension, which is not authorised, a SQL
      // function's error), not the database file's: the user's input.
      const int code = sqlite3_errcode(db_);
      if (!deadline.expired && (code == SQLITE_ERROR || code == SQLITE_AUTH || code == SQLITE_CANTOPEN))
        throw BadStatementError("{}: query \"{}\": {}", path_, sql, sqlite3_errmsg(db_));
      fail(fmt::format("running \"{}\"", sql));
    }
    std::vector<std::optional<std::string>> values;
    values.reserve(ncol);
    for (int i = 0; i < ncol; ++i) {
      switch (sqlite3_column_type(raw, i)) {
        case SQLITE_NULL: values.emplace_back(std::nullopt); break;
        case SQLITE_INTEGER: values.emplace_back(std::to_string(sqlite3_column_int64(raw, i))); break;
        case SQLITE_FLOAT: values.emplace_back(fmt::format("{}", sqlite3_column_double(raw, i))); break;
        case SQLITE_BLOB:
          values.emplace_back(hex_blob(static_cast<const unsigned char*>(sqlite3_column_blob(raw, i)),
                                       sqlite3_column_bytes(raw, i)));
          break;
        default: values.emplace_back(row.column_text(i)); break;
      }
    }
    result.rows.push_back(std::move(values));
  }
  return result;
}

}  // namespace sb
