// Precision, recall, F1 and support per class with their macro and support-weighted
// averages, as sklearn's classification_report. A ratio with a zero denominator (a class
// never predicted, or never present) counts as 0, sklearn's zero_division default.
#pragma once

#include <cstdint>
#include <vector>

#include "archml/eval/confusion.h"
#include "archml/eval/multiclass.h"

namespace archml::eval {

struct ClassMetrics {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
  std::int64_t support = 0;  // rows whose actual class this is
};

struct ClassificationReport {
  std::vector<ClassMetrics> classes;  // index = class; for binary, 0 then 1
  double accuracy = 0;                // NaN when there are no rows
  ClassMetrics macro_avg;             // unweighted mean over all classes; support = rows
  ClassMetrics weighted_avg;          // mean weighted by support; support = rows
};

// Every class 0..k-1 is reported, including classes absent from both labels and
// predictions (sklearn lists only classes it sees, so its macro average can differ then).
ClassificationReport classification_report(const MulticlassConfusion& confusion);
ClassificationReport classification_report(const ConfusionMatrix& confusion);

}  // namespace archml::eval
