// Sorting scores by their bits: a double maps to an unsigned key with the same order, and
// keys sort by radix in linear time. Ranking a million scores is the hot path of every
// curve, and a comparison sort of 1 M doubles costs several times as much.
#pragma once

#include <cstdint>
#include <vector>

namespace archml::eval {

// Order-preserving key of a finite or infinite double; -0.0 and +0.0 get the same key
// so that they count as one threshold. NaN is not handled (callers reject it first).
std::uint64_t ordered_key(double value);
double from_ordered_key(std::uint64_t key);

// Sorts keys ascending (LSD radix, 8-bit digits, skipping digits all keys share).
void radix_sort(std::vector<std::uint64_t>& keys);

}  // namespace archml::eval
