#include "archml/track/sqlite.h"

#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "archml/core/error.h"

namespace archml::track {
namespace {

// Each process waits this long for another's write lock before SQLite reports busy; with
// the retries below, a writer gives up only after about a minute of continuous contention.
constexpr int kBusyTimeoutMs = 5000;
constexpr int kBeginAttempts = 12;

void open_database(const std::string& path, const std::string& name, int flags, sqlite3** db) {
  const int code = sqlite3_open_v2(name.c_str(), db, flags, nullptr);
  if (code == SQLITE_OK) return;
  std::string message = *db != nullptr ? sqlite3_errmsg(*db) : sqlite3_errstr(code);
  sqlite3_close(*db);
  *db = nullptr;
  throw_io("cannot open the catalog '" + path + "': " + message +
           " (check the workspace directory: --home or ARCHML_HOME)");
}

bool directory_writable(const std::filesystem::path& directory) {
  return ::access(directory.empty() ? "." : directory.c_str(), W_OK) == 0;
}

// An absolute path as the path of a file: URI ('%', '?' and '#' escaped).
std::string uri_path(const std::filesystem::path& file) {
  std::error_code error;
  const std::filesystem::path absolute = std::filesystem::absolute(file, error);
  std::string uri;
  for (char c : (error ? file : absolute).string()) {
    if (c == '%' || c == '?' || c == '#') {
      static const char* const kHex = "0123456789ABCDEF";
      uri += '%';
      uri += kHex[static_cast<unsigned char>(c) >> 4];
      uri += kHex[static_cast<unsigned char>(c) & 15];
    } else {
      uri += c;
    }
  }
  return uri;
}

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

Connection::Connection(const std::string& path, Access access) : path_(path), access_(access) {
  if (access_ == Access::kReadOnly)
    open_for_reading();
  else
    open_for_writing();
}

void Connection::open_for_writing() {
  open_database(path_, path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                &db_);
  if (sqlite3_db_readonly(db_, "main") == 1) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw_io("the catalog '" + path_ +
             "' cannot be written (read-only media or no write permission); commands that "
             "record or change runs need a writable workspace: pass --home DIR on writable "
             "storage (reading commands such as 'runs list' work on this one)");
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

void Connection::open_for_reading() {
  const std::filesystem::path file(path_);
  std::error_code error;
  const std::filesystem::path wal(path_ + "-wal");
  const bool immutable =
      !directory_writable(file.parent_path()) && !std::filesystem::exists(wal, error);
  const std::string name = immutable ? "file:" + uri_path(file) + "?immutable=1" : path_;
  open_database(path_, name, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_FULLMUTEX, &db_);
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
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
  if (read_only())
    throw_io("the catalog '" + path_ + "' was opened read-only by a command that only reads; " +
             "this change needs a command that records jobs");
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
