#include "archml/data/string_interner.h"

#include <bit>

namespace archml::data {
namespace {

constexpr std::uint64_t tag_of(std::uint64_t hash) {
  return hash & 0xFFFFFFFF00000000ull;
}

}  // namespace

std::uint32_t StringInterner::intern(std::string_view value, std::uint64_t hash) {
  // Keep the load under 1/2: probes stay short on the miss-heavy path of unique IDs.
  if ((static_cast<std::size_t>(values_.size()) + 1) * 2 > slots_.size()) grow();
  std::uint64_t tag = tag_of(hash);
  std::size_t index = static_cast<std::size_t>(hash) & mask_;
  for (;;) {
    std::uint64_t slot = slots_[index];
    if (slot == 0) {
      std::uint32_t code = values_.append(value);
      hashes_.push_back(hash);
      slots_[index] = tag | (static_cast<std::uint64_t>(code) + 1);
      return code;
    }
    if (tag_of(slot) == tag) {
      std::uint32_t code = static_cast<std::uint32_t>(slot) - 1;
      if (values_.at(code) == value) return code;
    }
    index = (index + 1) & mask_;
  }
}

std::uint32_t StringInterner::find(std::string_view value) const {
  if (slots_.empty()) return Column::kMissingCode;
  std::uint64_t hash = hash_string(value);
  std::uint64_t tag = tag_of(hash);
  std::size_t index = static_cast<std::size_t>(hash) & mask_;
  for (;;) {
    std::uint64_t slot = slots_[index];
    if (slot == 0) return Column::kMissingCode;
    if (tag_of(slot) == tag) {
      std::uint32_t code = static_cast<std::uint32_t>(slot) - 1;
      if (values_.at(code) == value) return code;
    }
    index = (index + 1) & mask_;
  }
}

void StringInterner::grow() {
  std::size_t capacity = slots_.empty() ? 256 : slots_.size() * 2;
  while (capacity < (static_cast<std::size_t>(values_.size()) + 1) * 2) capacity *= 2;
  rehash(capacity);
}

void StringInterner::rehash(std::size_t capacity) {
  slots_.assign(capacity, 0);
  mask_ = capacity - 1;
  for (std::uint32_t code = 0; code < values_.size(); ++code) {
    std::uint64_t hash = hashes_[code];
    std::size_t index = static_cast<std::size_t>(hash) & mask_;
    while (slots_[index] != 0) index = (index + 1) & mask_;
    slots_[index] = tag_of(hash) | (static_cast<std::uint64_t>(code) + 1);
  }
}

void StringInterner::reserve(std::size_t values, std::size_t bytes) {
  values_.reserve(values, bytes);
  hashes_.reserve(values);
  std::size_t wanted = std::bit_ceil(values * 2 + 2);
  if (wanted > slots_.size()) rehash(wanted);
}

Dictionary StringInterner::take_values() {
  Dictionary taken = std::move(values_);
  values_ = Dictionary();
  std::vector<std::uint64_t>().swap(hashes_);
  drop_index();
  mask_ = 0;
  return taken;
}

}  // namespace archml::data
