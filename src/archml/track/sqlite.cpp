#include "archml/track/sqlite.h"

#include <sqlite3.h>

#include <chrono>
#include <thread>

#include "archml/core/error.h"

namespace archml::track {
namespace {

// Each process waits this long for another's write lock before SQLite reports busy; with
// the retries below, a writer gives up only after about a minute of continuous contention.
constexpr int kBusyTimeoutMs = 5000;
constexpr int kBeginAttempts = 12;

}  // namespace

void check_sqlite(sqlite3* db, int code, std::string_view what) {
  if (code == SQLITE_OK || code == SQLITE_ROW || code == SQLITE_DONE) return;
  std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  std::string file = db != nullptr && sqlite3_db_filename(db, "main") != nullptr
                         ? sqlite3_db_filename(db, "main")
                         : "";
  throw_io("catalog " + file + ": " + std::string(what) + ": " + message);
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  check_sqlite(
      db, sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &statement_, nullptr),
      "preparing a query");
}

Statement::~Statement() {
  sqlite3_finalize(statement_);
}

Statement& Statement::bind(int index, std::int64_t value) {
  check_sqlite(db_, sqlite3_bind_int64(statement_, index, value), "binding a value");
  return *this;
}

Statement& Statement::bind(int index, double value) {
  check_sqlite(db_, sqlite3_bind_double(statement_, index, value), "binding a value");
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  check_sqlite(db_,
               sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()),
                                 SQLITE_TRANSIENT),
               "binding a value");
  return *this;
}

Statement& Statement::bind(int index, std::nullopt_t) {
  check_sqlite(db_, sqlite3_bind_null(statement_, index), "binding a value");
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, std::string_view(*value)) : bind(index, std::nullopt);
}

bool Statement::step() {
  int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  check_sqlite(db_, code, "running a query");
  return false;
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

std::int64_t Statement::int64(int column) const {
  return sqlite3_column_int64(statement_, column);
}

double Statement::real(int column) const {
  return sqlite3_column_double(statement_, column);
}

std::string Statement::text(int column) const {
  const unsigned char* text = sqlite3_column_text(statement_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

Connection::Connection(const std::string& path) : path_(path) {
  int code =
      sqlite3_open_v2(path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (code != SQLITE_OK) {
    std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
    sqlite3_close(db_);
    db_ = nullptr;
    throw_io("cannot open the catalog '" + path + "': " + message +
             " (check the workspace directory: --home or ARCHML_HOME)");
  }
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  // Switching to WAL takes a lock too; a concurrent first open may see busy briefly.
  for (int attempt = 0;; ++attempt) {
    try {
      execute("PRAGMA journal_mode=WAL");
      break;
    } catch (const Error&) {
      if (attempt + 1 >= kBeginAttempts) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(20 * (attempt + 1)));
    }
  }
  // NORMAL is durable across process crashes in WAL mode (only a power cut may lose the
  // last transactions), and it makes each commit far cheaper than FULL.
  execute("PRAGMA synchronous=NORMAL");
  execute("PRAGMA foreign_keys=ON");
}

Connection::~Connection() {
  sqlite3_close(db_);
}

void Connection::execute(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int code = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (code != SQLITE_OK) {
    std::string reason = message != nullptr ? message : sqlite3_errstr(code);
    sqlite3_free(message);
    throw_io("catalog " + path_ + ": " + reason + " (in: " + text.substr(0, 60) + ")");
  }
}

std::int64_t Connection::last_insert_id() const {
  return sqlite3_last_insert_rowid(db_);
}

int Connection::changes() const {
  return sqlite3_changes(db_);
}

void Connection::write_transaction(const std::function<void()>& body) {
  for (int attempt = 0;; ++attempt) {
    int code = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    if (code == SQLITE_BUSY && attempt + 1 < kBeginAttempts) {
      // The busy timeout already waited; back off a little more before asking again.
      std::this_thread::sleep_for(std::chrono::milliseconds(10 * (attempt + 1)));
      continue;
    }
    check_sqlite(db_, code, "starting a write (another process may hold the catalog)");
    break;
  }
  try {
    body();
    check_sqlite(db_, sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr), "committing");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace archml::track
