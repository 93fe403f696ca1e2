// `archml metrics RUN [--name M] [--export URI]`: a run's metric series, each summarised
// with a terminal sparkline, or one series point by point, or exported as CSV to a file
// or an artifact store.
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "archml/core/error.h"
#include "archml/report/sparkline.h"
#include "cli/catalog_output.h"
#include "cli/commands.h"
#include "cli/store_location.h"
#include "cli/table.h"

namespace archml::cli {
namespace {

struct MetricsFlags {
  std::string run;
  std::string name;
  std::int64_t job = 0;
  bool json = false;
  std::size_t width = 40;
  std::string export_uri;
  PageFlags page;
};

// Every point as name,step,value,timestamp; values in the shortest form that reads back
// exactly, so an export loses nothing.
std::string metrics_csv(const std::map<std::string, std::vector<track::MetricPoint>>& series) {
  std::string csv = "name,step,value,timestamp\n";
  char number[64];
  for (const auto& [name, points] : series)
    for (const auto& point : points) {
      csv += name.find_first_of(",\"\n") == std::string::npos ? name : "\"" + name + "\"";
      std::snprintf(number, sizeof number, ",%lld,%.17g,%.6f\n", static_cast<long long>(point.step),
                    point.value, point.timestamp);
      csv += number;
    }
  return csv;
}

void export_metrics(const track::Run& run,
                    const std::map<std::string, std::vector<track::MetricPoint>>& series,
                    const std::string& uri, const store::StoreOptions& store_options) {
  Location location = locate(uri, store_options);
  if (location.key.empty())
    throw_invalid("--export '" + uri + "' names a bucket, not an object; add a key: " + uri +
                  "/metrics.csv");
  std::size_t count = 0;
  for (const auto& [name, points] : series) count += points.size();
  location.store->put_bytes(location.key, metrics_csv(series));
  std::printf("exported %zu points of %zu series of run %s/%s to %s\n", count, series.size(),
              run.experiment.c_str(), run.name.c_str(),
              location.store->uri_of(location.key).c_str());
}

std::vector<double> values_of(const std::vector<track::MetricPoint>& points) {
  std::vector<double> values;
  values.reserve(points.size());
  for (const auto& point : points) values.push_back(point.value);
  return values;
}

void print_metrics(const jobs::JobContext& context, const MetricsFlags& flags) {
  auto catalog = read_catalog(context);
  const track::Run run = catalog->find_run(flags.run);
  auto details = catalog->run_details(run.id);
  std::optional<std::int64_t> job;
  if (flags.job != 0) {
    // One job's own series, e.g. the training job's resource use after an evaluation.
    if (catalog->job(flags.job).run_id != run.id)
      throw_invalid("job " + std::to_string(flags.job) + " is not part of run " + run.experiment +
                    "/" + run.name + "; 'archml runs show' lists its jobs");
    job = flags.job;
    details.metrics.clear();
    for (auto& summary : catalog->metric_summaries(flags.job))
      details.metrics[summary.name] = summary;
  }
  std::map<std::string, std::vector<track::MetricPoint>> series;
  for (auto& point : catalog->metric_points(run.id, flags.name, job))
    series[point.name].push_back(std::move(point));
  if (!flags.name.empty() && series.empty()) {
    std::string names;
    for (const auto& [name, summary] : details.metrics) names += "\n  " + name;
    throw_not_found("run " + run.experiment + "/" + run.name + " has no metric '" + flags.name +
                    "'" + (names.empty() ? std::string(" (it has none)") : "; it has:" + names));
  }

  if (!flags.export_uri.empty()) {
    export_metrics(run, series, flags.export_uri, context.store);
    return;
  }

  if (flags.name.empty()) {
    // One line per series; the summaries are the catalog's, the sparkline its points.
    if (flags.json) {
      nlohmann::json json = {{"run", run.id}, {"metrics", nlohmann::json::object()}};
      for (const auto& [name, summary] : details.metrics)
        json["metrics"][name] = summary_json(summary);
      print_json(json);
      return;
    }
    if (series.empty()) {
      std::printf("run %s/%s has no metrics yet\n", run.experiment.c_str(), run.name.c_str());
      return;
    }
    std::vector<TableRow> rows;
    for (const auto& [name, points] : series) {
      auto summary = details.metrics.find(name);
      if (summary == details.metrics.end()) continue;
      const auto& s = summary->second;
      rows.push_back({name, std::to_string(s.count), format_value(s.last), format_value(s.min),
                      format_value(s.max), report::sparkline(values_of(points), flags.width)});
    }
    std::printf("metrics of run %s/%s (id %lld)\n\n", run.experiment.c_str(), run.name.c_str(),
                static_cast<long long>(run.id));
    print_table({"NAME", "COUNT", "LAST", "MIN", "MAX", "SERIES"}, rows);
    return;
  }

  const auto& points = series.begin()->second;
  auto [begin, end] = flags.page.range(points.size());
  if (flags.json) {
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t i = begin; i < end; ++i)
      list.push_back({{"step", points[i].step},
                      {"value", points[i].value},
                      {"timestamp", points[i].timestamp}});
    print_json({{"run", run.id},
                {"name", flags.name},
                {"total", points.size()},
                {"offset", begin},
                {"summary", summary_json(details.metrics.at(flags.name))},
                {"points", list}});
    return;
  }
  const auto& s = details.metrics.at(flags.name);
  std::printf("%s of run %s/%s: %lld points, last %s, min %s, max %s, avg %s, std %s\n",
              flags.name.c_str(), run.experiment.c_str(), run.name.c_str(),
              static_cast<long long>(s.count), format_value(s.last).c_str(),
              format_value(s.min).c_str(), format_value(s.max).c_str(), format_value(s.avg).c_str(),
              format_value(s.std).c_str());
  std::printf("%s\n\n", report::sparkline(values_of(points), flags.width).c_str());
  std::vector<TableRow> rows;
  for (std::size_t i = begin; i < end; ++i)
    rows.push_back({std::to_string(points[i].step), format_value(points[i].value),
                    format_time(points[i].timestamp)});
  print_table({"STEP", "VALUE", "TIME (UTC)"}, rows);
  print_page_footer(begin, end - begin, points.size(), "points");
}

}  // namespace

void add_metrics_command(CLI::App& app, const jobs::JobContext& context) {
  auto flags = std::make_shared<MetricsFlags>();
  auto* command = app.add_subcommand(
      "metrics",
      "Show the metric series of a run, or one series point by point.\n\n"
      "The metric series of a run: per-round train:/validation: metrics, final test:\n"
      "metrics, and the resource:* series sampled about every second while each job ran\n"
      "(CPU seconds, RSS and peak RSS in MB, wall seconds). A series logged by several jobs\n"
      "of the run (resource:*) shows the newest job's unless --job picks one. Without\n"
      "--name, one line per series with its summary and a sparkline; with --name, that\n"
      "series point by point.\n\n"
      "Examples:\n"
      "  archml metrics run-3\n"
      "  archml metrics fraud/run-3 --name validation:aucpr --limit 0\n"
      "  archml metrics 3 --name resource:rss_mb --job 1 --json\n"
      "  archml metrics fraud/run-3 --export s3://ml-artifacts/exports/run-3-metrics.csv");
  command->add_option("RUN", flags->run, "The run: id, name or EXPERIMENT/NAME")->required();
  command->add_option("--name", flags->name, "One series, e.g. validation:auc");
  command->add_option("--job", flags->job,
                      "The series of this job of the run (default: each series from the newest "
                      "job that logged it); 'archml runs show RUN' lists the jobs");
  command->add_option("--width", flags->width, "Sparkline width in characters")
      ->default_val(40)
      ->check(CLI::Range(std::size_t{1}, std::size_t{400}));
  command->add_flag("--json", flags->json, "Print JSON for scripts");
  command->add_option("--export", flags->export_uri,
                      "Write the series (all, or --name's) point by point as CSV\n"
                      "(name,step,value,timestamp) to a file or s3://bucket/key.csv");
  add_page_flags(*command, flags->page, "points (with --name)");
  command->callback([flags, &context] { print_metrics(context, *flags); });
}

}  // namespace archml::cli
