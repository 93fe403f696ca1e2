#include "archml/report/sparkline.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace archml::report {

std::string sparkline(std::span<const double> values, std::size_t width) {
  static const char* const kBlocks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  std::vector<double> finite;
  for (double value : values)
    if (std::isfinite(value)) finite.push_back(value);
  if (finite.empty() || width == 0) return {};
  const std::size_t buckets = std::min(width, finite.size());
  std::vector<double> means(buckets, 0);
  for (std::size_t b = 0; b < buckets; ++b) {
    const std::size_t begin = b * finite.size() / buckets;
    const std::size_t end = (b + 1) * finite.size() / buckets;
    double sum = 0;
    for (std::size_t i = begin; i < end; ++i) sum += finite[i];
    means[b] = sum / double(end - begin);
  }
  const auto [low, high] = std::minmax_element(means.begin(), means.end());
  const double span = *high - *low;
  std::string line;
  for (double mean : means) {
    std::size_t level = 3;
    if (span > 0) level = static_cast<std::size_t>(std::lround((mean - *low) / span * 7));
    line += kBlocks[std::min<std::size_t>(level, 7)];
  }
  return line;
}

}  // namespace archml::report
