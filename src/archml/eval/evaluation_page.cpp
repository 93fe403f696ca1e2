#include "archml/eval/evaluation_page.h"

#include <cmath>

#include "archml/report/format.h"
#include "archml/report/html.h"
#include "archml/report/line_chart.h"
#include "archml/report/svg_chart.h"

namespace archml::eval {
namespace {

using report::format_number;
using report::format_percent;

std::string count(std::int64_t value) {
  return with_thousands_separators(value);
}

std::string class_name(const EvaluationPageContext& context, std::size_t index) {
  return index < context.class_names.size() ? context.class_names[index] : std::to_string(index);
}

void add_facts(report::HtmlPage& page, const EvaluationPageContext& context) {
  if (context.facts.empty()) return;
  std::vector<std::vector<std::string>> rows;
  for (const auto& [name, value] : context.facts) rows.push_back({name, value});
  page.add_html(report::html_table({"", ""}, rows));
}

void add_metrics_table(report::HtmlPage& page,
                       const std::vector<std::pair<std::string, std::string>>& metrics) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& [name, value] : metrics) rows.push_back({name, value});
  page.add_html(report::html_table({"metric", "value"}, rows, {1}));
}

void add_classification_report(report::HtmlPage& page, const ClassificationReport& report,
                               const EvaluationPageContext& context) {
  auto row = [](std::string label, const ClassMetrics& m) {
    return std::vector<std::string>{std::move(label), format_number(m.precision),
                                    format_number(m.recall), format_number(m.f1), count(m.support)};
  };
  std::vector<std::vector<std::string>> rows;
  for (std::size_t c = 0; c < report.classes.size(); ++c)
    rows.push_back(row(class_name(context, c), report.classes[c]));
  std::int64_t total = report.macro_avg.support;
  rows.push_back({"accuracy", "", "", format_number(report.accuracy), count(total)});
  rows.push_back(row("macro avg", report.macro_avg));
  rows.push_back(row("weighted avg", report.weighted_avg));
  page.add_html(
      report::html_table({"class", "precision", "recall", "f1", "support"}, rows, {1, 2, 3, 4}));
}

// Rows are actual classes, columns predicted ones, as in sklearn's confusion_matrix.
void add_confusion_table(report::HtmlPage& page,
                         const std::vector<std::vector<std::int64_t>>& cells,
                         const EvaluationPageContext& context) {
  std::vector<std::string> header = {"actual \\ predicted"};
  std::vector<std::size_t> numeric;
  for (std::size_t c = 0; c < cells.size(); ++c) {
    header.push_back(class_name(context, c));
    numeric.push_back(c + 1);
  }
  std::vector<std::vector<std::string>> rows;
  for (std::size_t actual = 0; actual < cells.size(); ++actual) {
    std::vector<std::string> row = {class_name(context, actual)};
    for (auto value : cells[actual]) row.push_back(count(value));
    rows.push_back(std::move(row));
  }
  page.add_html(report::html_table(header, rows, numeric));
}

void add_curves(report::HtmlPage& page, const BinaryEvaluation& evaluation) {
  page.add_heading("ROC and precision-recall curves");
  page.begin_row();
  report::LineChartOptions roc;
  roc.title = "ROC curve (AUC " + format_number(evaluation.roc_auc) + ")";
  roc.x_label = "false positive rate";
  roc.y_label = "true positive rate (recall)";
  roc.x_range = roc.y_range = report::AxisRange{0, 1};
  roc.identity_line = true;
  report::LineSeries roc_series{"model", {}, {}};
  for (const auto& point : evaluation.roc) {
    roc_series.x.push_back(point.false_positive_rate);
    roc_series.y.push_back(point.true_positive_rate);
  }
  page.add_html(report::svg_line_chart({roc_series}, roc));

  report::LineChartOptions pr;
  pr.title =
      "Precision-recall (average precision " + format_number(evaluation.average_precision) + ")";
  pr.x_label = "recall";
  pr.y_label = "precision";
  pr.x_range = pr.y_range = report::AxisRange{0, 1};
  report::LineSeries pr_series{"model", {}, {}};
  for (const auto& point : evaluation.precision_recall) {
    pr_series.x.push_back(point.recall);
    pr_series.y.push_back(point.precision);
  }
  // A classifier without skill has precision equal to the positive rate at every recall.
  double prevalence = evaluation.rows > 0 ? static_cast<double>(evaluation.positives) /
                                                static_cast<double>(evaluation.rows)
                                          : NAN;
  report::LineSeries chance{"no skill (positive rate " + format_percent(prevalence) + ")",
                            {0, 1},
                            {prevalence, prevalence},
                            true};
  page.add_html(report::svg_line_chart({pr_series, chance}, pr));
  page.end_row();
}

void add_score_histogram(report::HtmlPage& page, const BinaryEvaluation& evaluation,
                         const EvaluationPageContext& context) {
  const ScoreHistogram& histogram = evaluation.histogram;
  const std::size_t bins = histogram.negatives.size();
  if (bins == 0) return;
  page.add_heading("Predicted scores by actual class");
  page.add_paragraph(
      "Each class as a share of its own rows, so a rare class is as visible as a common "
      "one. The better the model, the less the two distributions overlap.");
  std::vector<double> edges;
  for (std::size_t b = 0; b <= bins; ++b)
    edges.push_back(histogram.lower + (histogram.upper - histogram.lower) * static_cast<double>(b) /
                                          static_cast<double>(bins));
  auto shares = [](const std::vector<std::int64_t>& counts) {
    double total = 0;
    for (auto c : counts) total += static_cast<double>(c);
    std::vector<double> out;
    for (auto c : counts) out.push_back(total > 0 ? static_cast<double>(c) / total : 0);
    return out;
  };
  report::ChartOptions options;
  options.width = 600;
  options.x_label = "predicted probability of " + class_name(context, 1);
  options.y_label = "share of class";
  page.add_html(
      report::svg_histogram(edges,
                            {{"actual " + class_name(context, 0), shares(histogram.negatives)},
                             {"actual " + class_name(context, 1), shares(histogram.positives)}},
                            options));
}

void add_calibration(report::HtmlPage& page, const BinaryEvaluation& evaluation) {
  page.add_heading("Calibration");
  page.add_paragraph(
      "Rows grouped by predicted probability. A calibrated model's observed positive rate "
      "matches its mean predicted probability in every bin (the dashed diagonal).");
  page.begin_row();
  std::vector<std::vector<std::string>> rows;
  report::LineSeries observed{"observed rate", {}, {}, false, true};
  for (const auto& bin : evaluation.calibration) {
    rows.push_back({"[" + format_number(bin.lower) + ", " + format_number(bin.upper) + ")",
                    count(bin.count), count(bin.positives), format_number(bin.mean_predicted),
                    format_number(bin.observed_rate)});
    observed.x.push_back(bin.mean_predicted);
    observed.y.push_back(bin.observed_rate);
  }
  page.add_html(report::html_table(
      {"probability", "rows", "positives", "mean predicted", "observed rate"}, rows, {1, 2, 3, 4}));
  report::LineChartOptions options;
  options.title = "observed against predicted";
  options.x_label = "mean predicted probability";
  options.y_label = "observed positive rate";
  options.x_range = options.y_range = report::AxisRange{0, 1};
  options.identity_line = true;
  page.add_html(report::svg_line_chart({observed}, options));
  page.end_row();
}

void add_business_view(report::HtmlPage& page, const BinaryEvaluation& evaluation,
                       const EvaluationPageContext& context) {
  const BusinessView view = describe_business_view(evaluation, context.words);
  const CostMatrix& costs = context.costs;
  page.add_heading("Business view: cost against cutoff");
  page.add_paragraph("Cost of one row per outcome: true negative " + format_number(costs.tn) +
                     ", false positive " + format_number(costs.fp) + ", false negative " +
                     format_number(costs.fn) + ", true positive " + format_number(costs.tp) + ".");
  page.add_note(view.chosen);
  page.add_paragraph(view.comparison);

  auto row = [](const std::string& name, const std::string& cutoff, const OperatingPoint& p) {
    return std::vector<std::string>{name,
                                    cutoff,
                                    count(p.caught),
                                    count(p.missed),
                                    count(p.alerts),
                                    count(p.false_alarms),
                                    format_percent(p.recall),
                                    format_percent(p.precision),
                                    format_money(p.total_cost),
                                    format_money(p.cost_per_1000_rows)};
  };
  std::vector<std::vector<std::string>> rows = {
      row("chosen cutoff", format_number(evaluation.cutoff), evaluation.at_cutoff),
      row("default cutoff", "0.5", evaluation.at_default_cutoff),
      row("hindsight optimum", format_number(evaluation.optimal.cutoff), evaluation.at_optimal)};
  if (evaluation.baseline)
    rows.push_back(row(context.words.baseline_name, "rule", *evaluation.baseline));
  page.add_html(report::html_table(
      {"operating point", "cutoff", "caught", "missed", "alerts", "false alarms", "recall",
       "precision", "total cost", "cost per 1,000 " + context.words.rows},
      rows, {2, 3, 4, 5, 6, 7, 8, 9}));
  page.add_paragraph(view.default_point);
  page.add_paragraph(view.optimal);
  if (!view.baseline.empty()) page.add_paragraph(view.baseline);

  report::LineChartOptions options;
  options.width = 640;
  options.height = 300;
  options.title = "total cost at each cutoff";
  options.x_label = "cutoff (rows scoring at or above it are flagged)";
  options.y_label = "total cost";
  options.x_range = report::AxisRange{0, 1};
  report::LineSeries curve{"model", {}, {}};
  for (const auto& point : evaluation.cost_curve) {
    curve.x.push_back(point.cutoff);
    curve.y.push_back(point.total_cost);
  }
  std::vector<report::LineSeries> series = {curve};
  if (evaluation.baseline)
    series.push_back({context.words.baseline_name,
                      {0, 1},
                      {evaluation.baseline->total_cost, evaluation.baseline->total_cost},
                      true});
  // The y axis starts at zero so savings read as proportions, not as magnified wiggles.
  double highest = 0;
  for (const auto& s : series)
    for (double y : s.y) highest = std::max(highest, y);
  options.y_range = report::AxisRange{0, highest > 0 ? highest * 1.05 : 1};
  options.markers = {
      {evaluation.cutoff, "chosen " + format_number(evaluation.cutoff)},
      {evaluation.optimal.cutoff, "optimum " + format_number(evaluation.optimal.cutoff)}};
  if (evaluation.cutoff != 0.5) options.markers.push_back({0.5, "0.5"});
  page.add_html(report::svg_line_chart(series, options));
}

}  // namespace

std::string render_binary_evaluation_html(const BinaryEvaluation& evaluation,
                                          const EvaluationPageContext& context) {
  report::HtmlPage page(context.title);
  add_facts(page, context);
  page.add_note(describe_business_view(evaluation, context.words).chosen);

  page.add_heading("Metrics");
  page.begin_row();
  add_metrics_table(
      page, {{"rows", count(evaluation.rows)},
             {"positives (class " + class_name(context, 1) + ")",
              count(evaluation.positives) + " (" +
                  format_percent(evaluation.rows ? static_cast<double>(evaluation.positives) /
                                                       static_cast<double>(evaluation.rows)
                                                 : NAN) +
                  ")"},
             {"ROC AUC", format_number(evaluation.roc_auc)},
             {"PR AUC (average precision)", format_number(evaluation.average_precision)},
             {"log loss", format_number(evaluation.log_loss)},
             {"Brier score", format_number(evaluation.brier)},
             {"accuracy at cutoff " + format_number(evaluation.cutoff),
              format_number(evaluation.accuracy)}});
  page.end_row();

  page.add_heading("At cutoff " + format_number(evaluation.cutoff));
  page.begin_row();
  const ConfusionMatrix& c = evaluation.confusion;
  add_confusion_table(page, {{c.tn, c.fp}, {c.fn, c.tp}}, context);
  add_classification_report(page, evaluation.report, context);
  page.end_row();

  add_business_view(page, evaluation, context);
  add_curves(page, evaluation);
  add_score_histogram(page, evaluation, context);
  add_calibration(page, evaluation);
  return page.str();
}

std::string render_multiclass_evaluation_html(const MulticlassEvaluation& evaluation,
                                              const EvaluationPageContext& context) {
  report::HtmlPage page(context.title);
  add_facts(page, context);
  page.add_heading("Metrics");
  add_metrics_table(page, {{"rows", count(evaluation.rows)},
                           {"classes", std::to_string(evaluation.classes)},
                           {"log loss", format_number(evaluation.log_loss)},
                           {"accuracy", format_number(evaluation.accuracy)},
                           {"macro F1", format_number(evaluation.macro_f1)},
                           {"weighted F1", format_number(evaluation.weighted_f1)}});
  page.add_heading("Most probable class against actual class");
  page.begin_row();
  std::vector<std::vector<std::int64_t>> cells(evaluation.confusion.classes);
  for (std::size_t actual = 0; actual < evaluation.confusion.classes; ++actual)
    for (std::size_t predicted = 0; predicted < evaluation.confusion.classes; ++predicted)
      cells[actual].push_back(evaluation.confusion.at(actual, predicted));
  add_confusion_table(page, cells, context);
  add_classification_report(page, evaluation.report, context);
  page.end_row();
  return page.str();
}

std::string render_regression_evaluation_html(const RegressionMetrics& metrics,
                                              const EvaluationPageContext& context) {
  report::HtmlPage page(context.title);
  add_facts(page, context);
  page.add_heading("Metrics");
  add_metrics_table(page,
                    {{"rows", count(metrics.rows)},
                     {"RMSE", format_number(metrics.rmse)},
                     {"MAE", format_number(metrics.mae)},
                     {"R²", format_number(metrics.r2)},
                     {"MAPE", format_percent(metrics.mape) + " over " + count(metrics.mape_rows) +
                                  " rows with a non-zero target"}});
  return page.str();
}

}  // namespace archml::eval
