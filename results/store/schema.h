// Schema of the results database, its version check and its migrations.
// Internal to results/store/ (and its tests). The SQL is documented in
// docs/DATABASE.md; keep the two in step.
#pragma once

#include <sqlite3.h>

#include <span>
#include <string>

namespace sb::store {

// The schema version this build writes (meta.schema_version).
inline constexpr int kSchemaVersion = 4;

// One migration step: SQL that turns a database of version `from` into one
// of version `to`.
struct Migration {
  int from;
  int to;
  const char* sql;
};

// The steps this build knows (1 -> 2: references; 2 -> 3: run environment;
// 3 -> 4: cell attempts and run inputs).
std::span<const Migration> builtin_migrations();

// Applies `steps` (chained from -> to) to bring a database from version
// `from` to version `to`, and sets meta.schema_version. Atomic: runs inside a
// savepoint, so on any failure nothing is changed. Throws DatabaseError when
// a step fails or when no chain of steps leads from `from` to `to`.
void migrate(sqlite3* db, const std::string& path, int from, int to,
             std::span<const Migration> steps);

// Called right after sqlite3_open_v2. Verifies the file is an SQLite
// database; in read-write mode sets WAL/synchronous/foreign keys and creates
// the schema of an empty file (one transaction) or migrates an older one; in
// both modes refuses a file without shardbench's meta table or with a newer
// schema version. Throws DatabaseError naming `path`.
void prepare_schema(sqlite3* db, const std::string& path, bool read_write);

}  // namespace sb::store
