// A thin RAII layer over SQLite's C API for the catalog: a connection opened in WAL mode
// with a busy timeout, prepared statements with typed binds and columns, and write
// transactions that start with BEGIN IMMEDIATE and retry on SQLITE_BUSY, so several
// processes writing one catalog wait for each other instead of failing with
// "database is locked". Errors become archml::Error (I/O) naming the database file.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace archml::track {

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds are 1-based as in SQLite; each returns *this so calls chain.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, std::nullopt_t);
  Statement& bind(int index, const std::optional<std::string>& value);  // NULL when empty
  // Binds the values to ?1, ?2, ... in order.
  template <typename... Values>
  Statement& bind_all(const Values&... values) {
    int index = 0;
    (bind(++index, values), ...);
    return *this;
  }

  // True while a row is available; false when the statement is done.
  bool step();
  // step() for statements that return no rows.
  void run();
  // Ready for new binds and steps.
  void reset();

  std::int64_t int64(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  bool is_null(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
};

class Connection {
 public:
  enum class Access { kReadWrite, kReadOnly };

  // kReadWrite opens (creating) the database at `path` in WAL mode with foreign keys on;
  // a file SQLite can only read (read-only media, no permission) throws archml::Error
  // (I/O) saying the catalog cannot be written. kReadOnly opens an existing file with
  // SQLITE_OPEN_READONLY and changes nothing on disk: when its directory cannot be
  // written and no -wal file is left there (read-only media after a clean close), as
  // immutable, since SQLite could create no -shm file for its WAL index.
  explicit Connection(const std::string& path, Access access = Access::kReadWrite);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void execute(std::string_view sql);
  std::int64_t last_insert_id() const;
  int changes() const;
  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }
  bool read_only() const { return access_ == Access::kReadOnly; }

  // Runs `body` inside BEGIN IMMEDIATE ... COMMIT. A busy database (another process holds
  // the write lock past the busy timeout) is retried with backoff a bounded number of
  // times; any other failure rolls back and rethrows.
  void write_transaction(const std::function<void()>& body);

 private:
  void open_for_writing();
  void open_for_reading();

  sqlite3* db_ = nullptr;
  std::string path_;
  Access access_;
};

// Throws archml::Error (I/O) for a failed SQLite call, with SQLite's message.
void check_sqlite(sqlite3* db, int code, std::string_view what);

}  // namespace archml::track
