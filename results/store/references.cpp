// The refs table (schema version 2): references computed once per run and
// reused by resumed and extended runs.
#include <sqlite3.h>

#include <fmt/format.h>

#include <bit>

#include "harness/core/errors.h"
#include "results/store/database.h"
#include "results/store/sqlite_util.h"

namespace sb {

using store::StatementUse;

namespace {

static_assert(std::endian::native == std::endian::little,
              "refs.output is stored in the cell-output encoding, which is native-endian");

constexpr const char* kReferenceColumns =
    "key, suite, suite_version, name, version, params, label, seed, status, error, wall_seconds, "
    "cpu_seconds, peak_rss_kb, rank, host, run_id, finished_at";

bool has_refs_table(sqlite3* db, const std::string& path) {
  store::Statement stmt(db, path, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'refs'");
  StatementUse use(stmt.get(), db, path);
  return use.step();
}

ReferenceRecord reference_from_row(const StatementUse& row, bool with_output, const std::string& path) {
  ReferenceRecord r;
  r.key = row.column_text(0);
  r.suite = row.column_text(1);
  r.suite_version = row.column_text(2);
  r.name = row.column_text(3);
  r.version = row.column_text(4);
  r.params = row.column_text(5);
  r.label = row.column_text(6);
  r.seed = row.column_int64(7);
  const std::string status = row.column_text(8);
  const auto parsed = parse_cell_status(status);
  SB_THROW_IF_NOT(DatabaseError, parsed.has_value(), "{}: reference {} has status '{}'", path, r.key, status);
  r.status = *parsed;
  r.error = row.column_text(9);
  r.wall_seconds = row.column_real(10);
  r.cpu_seconds = row.column_real(11);
  r.peak_rss_kb = row.column_int64(12);
  r.rank = static_cast<int>(row.column_int64(13));
  r.host = row.column_text(14);
  r.run_id = row.column_int64(15);
  r.finished_at = row.column_text(16);
  if (with_output) {
    const auto blob = row.column_blob(17);
    try {
      r.output = decode_cell_output(std::string_view(reinterpret_cast<const char*>(blob.data()), blob.size()));
    } catch (const InternalError& e) {
      throw DatabaseError("{}: the output of reference {} ({}) is damaged: {}", path, r.key, r.label, e.what());
    }
  }
  return r;
}

}  // namespace

void Database::write_references(const std::vector<ReferenceRecord>& references) {
  SB_THROW_IF_NOT(DatabaseError, mode_ == Mode::kReadWrite, "{} is open read-only", path_);
  std::optional<Transaction> tx;
  if (!in_transaction_) tx.emplace(*this);
  store::Statement stmt(db_, path_,
                        fmt::format("INSERT OR REPLACE INTO refs({}, output) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                                    "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
                                    kReferenceColumns));
  for (const auto& r : references) {
    SB_THROW_IF_NOT(DatabaseError, !r.key.empty(), "{}: a reference has an empty key", path_);
    std::string encoded;
    encode_cell_output(r.output, encoded);
    StatementUse use(stmt.get(), db_, path_);
    use.text(1, r.key)
        .text(2, r.suite)
        .text(3, r.suite_version)
        .text(4, r.name)
        .text(5, r.version)
        .text(6, r.params)
        .text(7, r.label)
        .int64(8, r.seed)
        .text(9, to_string(r.status))
        .text_or_null(10, r.error)
        .real(11, r.wall_seconds)
        .real(12, r.cpu_seconds)
        .int64(13, r.peak_rss_kb)
        .int64(14, r.rank)
        .text(15, r.host);
    if (r.run_id > 0) {
      use.int64(16, r.run_id);
    } else {
      use.null(16);
    }
    use.text(17, r.finished_at).blob(18, std::vector<unsigned char>(encoded.begin(), encoded.end())).run();
  }
  if (tx) tx->commit();
}

std::unordered_set<std::string> Database::ok_reference_keys() const {
  std::unordered_set<std::string> keys;
  if (!has_refs_table(db_, path_)) return keys;
  store::Statement stmt(db_, path_, "SELECT key FROM refs WHERE status = 'ok'");
  StatementUse row(stmt.get(), db_, path_);
  while (row.step()) keys.insert(row.column_text(0));
  return keys;
}

std::optional<ReferenceRecord> Database::find_reference(const std::string& key) const {
  if (!has_refs_table(db_, path_)) return std::nullopt;
  store::Statement stmt(db_, path_, fmt::format("SELECT {}, output FROM refs WHERE key = ?1", kReferenceColumns));
  StatementUse row(stmt.get(), db_, path_);
  row.text(1, key);
  if (!row.step()) return std::nullopt;
  return reference_from_row(row, true, path_);
}

std::vector<ReferenceRecord> Database::read_references(bool with_outputs) const {
  std::vector<ReferenceRecord> out;
  if (!has_refs_table(db_, path_)) return out;
  store::Statement stmt(db_, path_,
                        fmt::format("SELECT {}, {} FROM refs ORDER BY suite, label, seed, key", kReferenceColumns,
                                    with_outputs ? "output" : "NULL"));
  StatementUse row(stmt.get(), db_, path_);
  while (row.step()) out.push_back(reference_from_row(row, with_outputs, path_));
  return out;
}

}  // namespace sb
