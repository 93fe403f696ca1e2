// What the catalog commands (experiments, runs, metrics) share: the catalog of the
// workspace, --limit/--offset pagination, and the JSON shapes --json prints (documented
// in docs/catalog.md, stable for scripts).
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "archml/jobs/job_context.h"
#include "archml/track/catalog.h"

namespace archml::cli {

// The context's workspace catalog for a command that only reads it: opened read-only
// (track::Workspace::open_existing), so it works on read-only media and creates nothing;
// throws archml::Error (not found) when there is no workspace or no catalog yet.
std::shared_ptr<track::Catalog> read_catalog(const jobs::JobContext& context);
// For a command that changes the catalog (experiments delete): created when missing,
// migrated and recovered.
std::shared_ptr<track::Catalog> open_catalog(const jobs::JobContext& context);
// For a command that serves the catalog while jobs write it (metrics-server): read-only
// when it exists (read-only media work too), else created empty, so the server may start
// before the first job.
std::shared_ptr<track::Catalog> watch_catalog(const jobs::JobContext& context);

struct PageFlags {
  std::size_t limit = 50;
  std::size_t offset = 0;
  // [begin, end) of `total` items this page shows.
  std::pair<std::size_t, std::size_t> range(std::size_t total) const;
};
void add_page_flags(CLI::App& command, PageFlags& flags, const std::string& noun);

nlohmann::json summary_json(const track::MetricSummary& summary);
nlohmann::json job_json(const track::Job& job);
// `full` adds jobs, artifacts and lineage (runs show); listing keeps parameters and
// metric summaries only.
nlohmann::json run_json(const track::RunDetails& run, bool full);
nlohmann::json experiment_json(const track::Experiment& experiment);

void print_json(const nlohmann::json& json);

}  // namespace archml::cli
