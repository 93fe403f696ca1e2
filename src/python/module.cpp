// The compiled half of the Python package archml (docs/python.md): the boundary between
// Python and archml's library, as src/cli/ is for the command line. It builds a
// JobContext from the arguments and the environment Python passes (nothing below reads
// the environment), releases the GIL around every long call, and turns archml::Error
// into the package's exceptions (python/archml/_errors.py) by kind. The pandas side of
// every function is in python/archml/.
#include <Python.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "archml/core/error.h"
#include "archml/data/csv_reader.h"
#include "archml/data/csv_writer.h"
#include "archml/data/profile.h"
#include "archml/data/profile_report.h"
#include "archml/jobs/artifact_upload.h"
#include "archml/jobs/evaluate_job.h"
#include "archml/jobs/job_context.h"
#include "archml/jobs/job_record.h"
#include "archml/jobs/train_job.h"
#include "archml/model/predictor.h"
#include "archml/version.h"
#include "python/columns.h"

namespace archml::python {
namespace {

namespace py = pybind11;
namespace fs = std::filesystem;

// Thrown from a training round when Python has a pending exception (Ctrl-C's
// KeyboardInterrupt): unwinds the job, which is recorded Stopped, and the saved Python
// exception is raised once the GIL is back.
// A Python exception of the on_round callback does the same, recorded Failed with its
// message.
class Interrupted : public std::runtime_error {
 public:
  explicit Interrupted(bool by_signal, const std::string& reason)
      : std::runtime_error(reason), by_signal_(by_signal) {}
  bool by_signal() const { return by_signal_; }

 private:
  bool by_signal_;
};

// The Python exception pending when a round saw it, restored after the job unwound.
struct PendingPythonError {
  PyObject* type = nullptr;
  PyObject* value = nullptr;
  PyObject* traceback = nullptr;
  void save() { PyErr_Fetch(&type, &value, &traceback); }
  [[noreturn]] void raise() {
    PyErr_Restore(type, value, traceback);
    throw py::error_already_set();
  }
};

// The class of python/archml/_errors.py for an error kind.
const char* exception_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidInput:
      return "InvalidInputError";
    case ErrorKind::kNotFound:
      return "NotFoundError";
    case ErrorKind::kIo:
      return "StorageError";
    case ErrorKind::kUnsupported:
      return "UnsupportedError";
    case ErrorKind::kInternal:
      break;
  }
  return "InternalError";
}

void translate_error(std::exception_ptr pointer) {
  try {
    if (pointer) std::rethrow_exception(pointer);
  } catch (const Error& error) {
    py::object type = py::module_::import("archml._errors").attr(exception_name(error.kind()));
    PyErr_SetString(type.ptr(), error.what());
  }
}

jobs::JobContext make_context(const std::string& home, const std::string& artifacts,
                              unsigned threads, bool quiet,
                              const std::map<std::string, std::string>& environment) {
  jobs::ContextFlags flags;
  flags.home = home;
  flags.artifacts = artifacts;
  flags.threads = threads;
  flags.quiet = quiet;
  return jobs::make_job_context(flags, environment);
}

data::CsvOptions csv_options(const jobs::JobContext& context, const py::dict& options) {
  data::CsvOptions csv;
  csv.threads = context.threads;
  if (!context.progress) csv.progress_label.clear();
  if (options.contains("delimiter")) {
    const auto delimiter = options["delimiter"].cast<std::string>();
    if (delimiter.size() != 1 || delimiter == "\"" || delimiter == "\n")
      throw_invalid("delimiter must be a single character other than a quote or a newline, not '" +
                    delimiter + "'");
    csv.delimiter = delimiter[0];
  }
  if (options.contains("header")) csv.has_header = options["header"].cast<bool>();
  if (options.contains("na_values"))
    csv.missing_tokens = options["na_values"].cast<std::vector<std::string>>();
  if (options.contains("usecols"))
    csv.columns = options["usecols"].cast<std::vector<std::string>>();
  if (options.contains("lenient")) csv.lenient = options["lenient"].cast<bool>();
  if (options.contains("dtype"))
    for (const auto& [name, type] : options["dtype"].cast<std::map<std::string, std::string>>())
      csv.schema[name] = data::parse_column_type(type);
  return csv;
}

// -- reading and profiling ------------------------------------------------------------

py::tuple read_csv(const jobs::JobContext& context, const std::string& path,
                   const py::dict& options) {
  data::CsvOptions csv = csv_options(context, options);
  data::CsvReport report;
  data::Table table;
  {
    py::gil_scoped_release release;
    table = data::read_csv(path, csv, &report);
  }
  py::dict summary;
  summary["rows"] = report.rows;
  summary["skipped_rows"] = report.skipped_rows;
  summary["problems"] = report.problems;
  summary["invalid_utf8_values"] = report.invalid_utf8_values;
  return py::make_tuple(table_to_columns(std::move(table)), summary);
}

py::tuple profile_table(const jobs::JobContext& context, const data::Table& table,
                        const std::string& target, const std::string& title) {
  std::string json, html;
  {
    py::gil_scoped_release release;
    data::ProfileOptions options;
    options.target = target;
    options.threads = context.threads;
    if (!context.progress) options.progress_label.clear();
    const data::Profile profile = data::compute_profile(table, options);
    json = to_json(profile).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    html = data::render_profile_html(profile, title);
  }
  return py::make_tuple(json, html);
}

py::tuple profile_file(const jobs::JobContext& context, const std::string& path,
                       const py::dict& options, const std::string& target) {
  data::CsvOptions csv = csv_options(context, options);
  data::Table table;
  {
    py::gil_scoped_release release;
    table = data::read_csv(path, csv);
  }
  return profile_table(context, table, target, fs::path(path).filename().string());
}

// -- bundles --------------------------------------------------------------------------

// A loaded bundle, shared by the Python objects that read it.
class LoadedBundle {
 public:
  LoadedBundle(fs::path directory, model::Predictor predictor)
      : directory_(std::move(directory)), predictor_(std::move(predictor)) {}

  static std::shared_ptr<LoadedBundle> load(const jobs::JobContext& context,
                                            const std::string& uri) {
    py::gil_scoped_release release;
    fs::path directory = model::Bundle::locate(jobs::fetch_bundle(context, uri));
    return std::make_shared<LoadedBundle>(directory, model::Predictor::load(directory));
  }

  std::string directory() const { return directory_.string(); }
  std::string metadata() const { return predictor_.bundle().metadata_json().dump(); }
  std::string recipe() const { return predictor_.bundle().recipe().to_json().dump(); }
  std::vector<std::string> feature_names() const {
    return predictor_.bundle().recipe().feature_names();
  }
  std::vector<std::string> input_columns() const {
    std::vector<std::string> names;
    for (const auto& column : predictor_.bundle().recipe().input_schema())
      names.push_back(column.name);
    return names;
  }
  std::vector<std::string> classes() const { return predictor_.classes(); }
  double cutoff() const { return predictor_.cutoff(); }
  std::string kind() const { return model::to_string(predictor_.kind()); }

  // (scores rows x width, labels or None).
  py::tuple predict(const jobs::JobContext& context, const py::list& columns) const {
    data::Table table = columns_to_table(columns);
    model::Predictions predictions;
    {
      py::gil_scoped_release release;
      predictions = predictor_.predict(table, context.threads);
    }
    py::array_t<double> scores({predictions.rows, predictions.width});
    std::copy(predictions.scores.begin(), predictions.scores.end(), scores.mutable_data());
    py::object labels = py::none();
    if (!predictions.labels.empty()) {
      py::array_t<std::int32_t> values(predictions.rows);
      std::copy(predictions.labels.begin(), predictions.labels.end(), values.mutable_data());
      labels = values;
    }
    return py::make_tuple(scores, labels);
  }

  // The recipe's features as a float32 rows x features array owning the matrix.
  py::array transform(const jobs::JobContext& context, const py::list& columns) const {
    data::Table table = columns_to_table(columns);
    auto matrix = std::make_unique<features::FeatureMatrix>();
    {
      py::gil_scoped_release release;
      *matrix = predictor_.bundle().recipe().transform(table, context.threads);
    }
    const std::size_t rows = matrix->rows(), cols = matrix->cols();
    float* data = matrix->data();
    if (rows == 0 || cols == 0) return py::array_t<float>({rows, cols});
    py::capsule owner(matrix.release(),
                      [](void* pointer) { delete static_cast<features::FeatureMatrix*>(pointer); });
    return py::array_t<float>({rows, cols}, {cols * sizeof(float), sizeof(float)}, data, owner);
  }

 private:
  fs::path directory_;
  model::Predictor predictor_;
};

// -- training -------------------------------------------------------------------------

eval::CostMatrix cost_matrix(const std::vector<double>& values) {
  if (values.size() != 4)
    throw_invalid("costs: expected four numbers TN, FP, FN, TP such as (0, 100, 500, 100)");
  return {values[0], values[1], values[2], values[3]};
}

jobs::RunChoice run_choice(const std::optional<std::string>& experiment,
                           const std::optional<std::string>& run) {
  jobs::RunChoice choice;
  choice.experiment = experiment;
  choice.run = run;
  return choice;
}

nlohmann::json run_json(const track::Run& run) {
  return {{"id", run.id}, {"experiment", run.experiment}, {"name", run.name}};
}

// Runs the training job as `archml train` does, recorded in the catalog; returns JSON.
std::string train(const jobs::JobContext& context, const py::dict& arguments) {
  jobs::TrainJobOptions options;
  options.data_file = arguments["data"].cast<std::string>();
  options.csv = csv_options(context, arguments["csv"].cast<py::dict>());
  options.target = arguments["target"].cast<std::string>();
  options.recipe_file = arguments["recipe"].cast<std::string>();
  const auto split = arguments["split"].cast<std::string>();
  const auto seed = arguments["seed"].cast<std::uint64_t>();
  if (!split.empty()) options.split = data::SplitSpec::parse(split);
  if (split.empty() && seed != 1729) options.split = data::SplitSpec{};
  if (options.split) options.split->seed = seed;
  options.hyperparameters = arguments["hyperparameters"].cast<std::vector<std::string>>();
  options.costs = cost_matrix(arguments["costs"].cast<std::vector<double>>());
  const auto positive = arguments["positive_class"].cast<std::string>();
  if (!positive.empty()) options.positive_class = positive;
  options.evaluate_train = arguments["evaluate_train"].cast<bool>();
  options.out_dir = arguments["out"].cast<std::string>();
  const auto choice = run_choice(arguments["experiment"].cast<std::optional<std::string>>(),
                                 arguments["run"].cast<std::optional<std::string>>());
  py::object on_round = arguments["on_round"];

  PendingPythonError pending;
  options.on_round = [&](const model::RoundMetrics& round) {
    py::gil_scoped_acquire acquire;
    if (PyErr_CheckSignals() != 0) {
      pending.save();
      throw Interrupted(true, "stopped from Python (KeyboardInterrupt)");
    }
    if (on_round.is_none()) return;
    py::dict metrics;
    for (const auto& metric : round.metrics) metrics[py::str(metric.name)] = metric.value;
    try {
      on_round(round.round, metrics);
    } catch (py::error_already_set& error) {
      const std::string reason = std::string("on_round raised ") + error.what();
      error.restore();
      pending.save();
      throw Interrupted(false, reason);
    }
  };

  nlohmann::json out;
  try {
    py::gil_scoped_release release;
    auto recorder = jobs::start_job(context, choice, track::JobKind::kTraining);
    options.recorder = recorder.get();
    jobs::TrainJobResult result;
    try {
      result = jobs::run_train_job(context, options);
      recorder->complete();
    } catch (const Interrupted& interrupted) {
      if (interrupted.by_signal())
        recorder->stop(interrupted.what());
      else
        recorder->fail(interrupted.what());
      throw;
    } catch (const std::exception& error) {
      recorder->fail(error.what());
      throw;
    }
    out = {{"run", run_json(recorder->run())},
           {"job_id", recorder->job_id()},
           {"out_dir", result.out_dir.string()},
           {"bundle_dir", result.bundle_dir.string()},
           {"rows",
            {{"train", result.train_rows},
             {"validation", result.validation_rows},
             {"test", result.test_rows},
             {"excluded", result.excluded_rows}}},
           {"features", result.features},
           {"automatic_recipe", result.automatic_recipe},
           {"validation", result.validation_metrics},
           {"test", result.test_metrics},
           {"rounds", result.metadata.rounds},
           {"best_round", result.metadata.best_round},
           {"cutoff", result.metadata.cutoff}};
  } catch (const Interrupted&) {
    pending.raise();
  }
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// -- evaluation -----------------------------------------------------------------------

// Runs the evaluate job as `archml evaluate` does, recorded in the bundle's run unless
// another is named; returns evaluation.json's content and the files written, as JSON.
std::string evaluate(const jobs::JobContext& context, const py::dict& arguments) {
  jobs::EvaluateJobOptions options;
  const auto model = arguments["model"].cast<std::string>();
  options.data_file = arguments["data"].cast<std::string>();
  options.rows = jobs::parse_evaluation_rows(arguments["rows"].cast<std::string>());
  options.csv = csv_options(context, arguments["csv"].cast<py::dict>());
  if (const auto costs = arguments["costs"].cast<std::optional<std::vector<double>>>())
    options.costs = cost_matrix(*costs);
  options.cutoff = arguments["cutoff"].cast<std::optional<double>>();
  options.baseline_column = arguments["baseline_column"].cast<std::string>();
  options.positives_noun = arguments["positives_noun"].cast<std::string>();
  options.rows_noun = arguments["rows_noun"].cast<std::string>();
  options.out = arguments["out"].cast<std::string>();
  const auto choice = run_choice(arguments["experiment"].cast<std::optional<std::string>>(),
                                 arguments["run"].cast<std::optional<std::string>>());
  nlohmann::json out;
  {
    py::gil_scoped_release release;
    options.model = jobs::fetch_bundle(context, model);
    auto recorder =
        jobs::start_job_for_bundle(context, options.model, choice, track::JobKind::kEvaluation);
    options.recorder = recorder.get();
    jobs::EvaluateJobResult result = jobs::run_recorded(
        recorder.get(), [&] { return jobs::run_evaluate_job(context, options); });
    out = {{"run", run_json(recorder->run())},
           {"job_id", recorder->job_id()},
           {"evaluation", result.json},
           {"rows", result.rows},
           {"rows_description", result.rows_description},
           {"json_path", result.json_path.string()},
           {"html_path", result.html_path.string()},
           {"scores_path", result.scores_path.string()}};
  }
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// -- tracking from user code ----------------------------------------------------------

// A run started from Python: one job (of the kind asked, training by default) whose
// parameters, metrics and artifacts go to the catalog through a JobRecorder, which
// buffers metric points and writes them in batches.
class TrackedRun {
 public:
  TrackedRun(const jobs::JobContext& context, const std::optional<std::string>& experiment,
             const std::optional<std::string>& run, const std::string& kind) {
    py::gil_scoped_release release;
    recorder_ = jobs::start_job(context, run_choice(experiment, run), track::parse_job_kind(kind));
  }

  py::dict info() const {
    py::dict info;
    info["id"] = recorder().run().id;
    info["experiment"] = recorder().run().experiment;
    info["name"] = recorder().run().name;
    info["job_id"] = recorder().job_id();
    info["catalog"] = recorder().catalog().path();
    return info;
  }
  void log_params(const std::vector<std::pair<std::string, std::string>>& parameters) {
    py::gil_scoped_release release;
    recorder().log_parameters(parameters);
  }
  void log_metric(const std::string& name, double value, std::int64_t step) {
    recorder().log_metric(name, step, value);
  }
  // Many points of one series at once: (steps, values) arrays.
  void log_metrics(const std::string& name, const py::array_t<std::int64_t>& steps,
                   const py::array_t<double>& values) {
    if (steps.size() != values.size())
      throw_invalid("log_metrics: steps and values differ in length");
    for (py::ssize_t i = 0; i < steps.size(); ++i)
      recorder().log_metric(name, steps.at(i), values.at(i));
  }
  void log_artifact(const std::string& name, const std::string& path,
                    const std::string& media_type) {
    py::gil_scoped_release release;
    if (!fs::is_regular_file(path))
      throw_not_found("log_artifact: no file at '" + path + "'; give the path of a file");
    recorder().add_local_artifact(name, path, media_type);
  }
  void flush() {
    py::gil_scoped_release release;
    recorder().flush();
  }
  void end(const std::string& status, const std::string& reason) {
    py::gil_scoped_release release;
    if (status == "completed") {
      recorder().flush();
      recorder().complete();
    } else if (status == "stopped") {
      recorder().stop(reason);
    } else {
      recorder().fail(reason);
    }
    recorder_.reset();
  }

 private:
  jobs::JobRecorder& recorder() const {
    if (!recorder_) throw_invalid("this run has ended; start another with archml.start_run()");
    return *recorder_;
  }

  std::unique_ptr<jobs::JobRecorder> recorder_;
};

}  // namespace
}  // namespace archml::python

PYBIND11_MODULE(_archml, m) {
  namespace py = pybind11;
  using namespace archml::python;
  m.doc() = "archml's compiled core; use the package archml (docs/python.md)";
  m.attr("__version__") = ARCHML_VERSION;
  py::register_exception_translator(translate_error);

  py::class_<archml::jobs::JobContext>(m, "Context")
      .def(py::init(&make_context), py::arg("home"), py::arg("artifacts"), py::arg("threads"),
           py::arg("quiet"), py::arg("environment"))
      .def_property_readonly("threads", [](const archml::jobs::JobContext& c) { return c.threads; })
      .def_property_readonly(
          "home", [](const archml::jobs::JobContext& c) { return c.workspace.home.string(); });

  m.def("read_csv", &read_csv, py::arg("context"), py::arg("path"), py::arg("options"));
  m.def(
      "profile_columns",
      [](const archml::jobs::JobContext& context, const py::list& columns,
         const std::string& target, const std::string& title) {
        archml::data::Table table = columns_to_table(columns);
        return profile_table(context, table, target, title);
      },
      py::arg("context"), py::arg("columns"), py::arg("target"), py::arg("title"));
  m.def("profile_file", &profile_file, py::arg("context"), py::arg("path"), py::arg("options"),
        py::arg("target"));
  m.def(
      "write_csv",
      [](const archml::jobs::JobContext& context, const py::list& columns,
         const std::string& path) {
        archml::data::Table table = columns_to_table(columns);
        py::gil_scoped_release release;
        archml::data::write_csv(table, path, ',', context.threads);
      },
      py::arg("context"), py::arg("columns"), py::arg("path"));

  py::class_<LoadedBundle, std::shared_ptr<LoadedBundle>>(m, "Bundle")
      .def_static("load", &LoadedBundle::load, py::arg("context"), py::arg("uri"))
      .def_property_readonly("directory", &LoadedBundle::directory)
      .def_property_readonly("metadata_json", &LoadedBundle::metadata)
      .def_property_readonly("recipe_json", &LoadedBundle::recipe)
      .def_property_readonly("feature_names", &LoadedBundle::feature_names)
      .def_property_readonly("classes", &LoadedBundle::classes)
      .def_property_readonly("input_columns", &LoadedBundle::input_columns)
      .def_property_readonly("cutoff", &LoadedBundle::cutoff)
      .def_property_readonly("kind", &LoadedBundle::kind)
      .def("predict", &LoadedBundle::predict, py::arg("context"), py::arg("columns"))
      .def("transform", &LoadedBundle::transform, py::arg("context"), py::arg("columns"));

  m.def("train", &train, py::arg("context"), py::arg("arguments"));
  m.def("evaluate", &evaluate, py::arg("context"), py::arg("arguments"));

  py::class_<TrackedRun>(m, "TrackedRun")
      .def(py::init<const archml::jobs::JobContext&, const std::optional<std::string>&,
                    const std::optional<std::string>&, const std::string&>(),
           py::arg("context"), py::arg("experiment"), py::arg("run"), py::arg("kind"))
      .def("info", &TrackedRun::info)
      .def("log_params", &TrackedRun::log_params)
      .def("log_metric", &TrackedRun::log_metric, py::arg("name"), py::arg("value"),
           py::arg("step"))
      .def("log_metrics", &TrackedRun::log_metrics)
      .def("log_artifact", &TrackedRun::log_artifact)
      .def("flush", &TrackedRun::flush)
      .def("end", &TrackedRun::end);
}
