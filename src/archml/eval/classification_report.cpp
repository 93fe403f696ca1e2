#include "archml/eval/classification_report.h"

namespace archml::eval {

namespace {

double ratio_or_zero(std::int64_t numerator, std::int64_t denominator) {
  return denominator == 0 ? 0.0 : static_cast<double>(numerator) / static_cast<double>(denominator);
}

}  // namespace

ClassificationReport classification_report(const MulticlassConfusion& confusion) {
  const std::size_t k = confusion.classes;
  ClassificationReport report;
  report.classes.resize(k);
  const std::int64_t rows = confusion.rows();
  for (std::size_t c = 0; c < k; ++c) {
    std::int64_t actual = 0;
    std::int64_t predicted = 0;
    for (std::size_t other = 0; other < k; ++other) {
      actual += confusion.at(c, other);
      predicted += confusion.at(other, c);
    }
    auto& metrics = report.classes[c];
    metrics.precision = ratio_or_zero(confusion.at(c, c), predicted);
    metrics.recall = ratio_or_zero(confusion.at(c, c), actual);
    // Harmonic mean from precision and recall, as sklearn computes it, to agree with it
    // to the last bits.
    const double denominator = metrics.precision + metrics.recall;
    metrics.f1 = denominator == 0 ? 0.0 : 2 * metrics.precision * metrics.recall / denominator;
    metrics.support = actual;
  }
  report.accuracy = accuracy(confusion);
  report.macro_avg.support = report.weighted_avg.support = rows;
  if (k == 0) return report;
  for (const auto& metrics : report.classes) {
    report.macro_avg.precision += metrics.precision;
    report.macro_avg.recall += metrics.recall;
    report.macro_avg.f1 += metrics.f1;
    const auto support = static_cast<double>(metrics.support);
    report.weighted_avg.precision += metrics.precision * support;
    report.weighted_avg.recall += metrics.recall * support;
    report.weighted_avg.f1 += metrics.f1 * support;
  }
  for (double* average :
       {&report.macro_avg.precision, &report.macro_avg.recall, &report.macro_avg.f1}) {
    *average /= static_cast<double>(k);
  }
  // With no rows the weighted sums are all zero, and zero is sklearn's answer too.
  if (rows > 0) {
    for (double* average :
         {&report.weighted_avg.precision, &report.weighted_avg.recall, &report.weighted_avg.f1}) {
      *average /= static_cast<double>(rows);
    }
  }
  return report;
}

ClassificationReport classification_report(const ConfusionMatrix& confusion) {
  return classification_report(
      MulticlassConfusion{2, {confusion.tn, confusion.fp, confusion.fn, confusion.tp}});
}

}  // namespace archml::eval
