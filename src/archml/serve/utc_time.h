// Timestamps as the endpoint writes them (access log, capture records): ISO 8601 in UTC
// with milliseconds, "2026-11-27T23:59:59.123Z", as SageMaker's inferenceTime.
#pragma once

#include <chrono>
#include <ctime>
#include <string>

namespace archml::serve {

std::string iso8601_utc(std::chrono::system_clock::time_point time);
std::tm utc_parts(std::chrono::system_clock::time_point time);

}  // namespace archml::serve
