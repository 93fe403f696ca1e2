#include "archml/data/string_interner.h"

#include <algorithm>
#include <bit>

#include "archml/core/page_advice.h"

namespace archml::data {
namespace {

// Slots per value held: at most two thirds full. Linear probes of 4-byte slots stay in
// one or two cache lines, and tags spare string compares, so a fuller table costs
// little time and saves memory on columns of millions of IDs.
constexpr std::size_t slots_for(std::size_t values) {
  return values + values / 2 + 1;
}
// Values looked up ahead when interning a whole part, per stage: enough misses in
// flight to hide memory latency, few enough that the prefetched lines are still cached.
constexpr std::uint32_t kSlotAhead = 24;
constexpr std::uint32_t kValueAhead = 12;
constexpr std::uint32_t kBytesAhead = 5;
constexpr std::uint32_t kCandidateRing = 64;

}  // namespace

template <typename Value>
std::uint32_t StringInterner::insert(const Value& value, std::uint64_t hash) {
  const std::uint32_t tag = tag_of(hash);
  const std::size_t capacity = slots_.size();
  std::size_t index = slot_of(hash);
  for (;;) {
    const std::uint32_t slot = slots_[index];
    if (slot == 0) {
      const std::uint32_t code = values_.append(value);
      if (keep_hashes_) hashes_.push_back(hash);
      slots_[index] = tag | (code + 1);
      return code;
    }
    if (tag_matches(slot, tag)) {
      const std::uint32_t code = code_in(slot);
      if (holds(code, value)) return code;
    }
    if (++index == capacity) index = 0;
  }
}

template std::uint32_t StringInterner::insert(const std::string_view&, std::uint64_t);
template std::uint32_t StringInterner::insert(const ShortKey&, std::uint64_t);

std::uint64_t StringInterner::hash_of(std::uint32_t code) const {
  if (keep_hashes_) return hashes_[code];
  if (values_.in_records()) return hash_short(values_.record(code));
  return hash_string(values_.at(code));
}

// Flattened: the per-value insert call's register saves and restores cost as much as
// the insert itself.
[[gnu::flatten]] void StringInterner::intern_all(const StringInterner& part,
                                                 std::vector<std::uint32_t>& remap) {
  const std::uint32_t count = part.size();
  remap.resize(count);
  if (count == 0) return;
  if (values_.size() + static_cast<std::size_t>(count) > max_values_)
    grow(values_.size() + static_cast<std::size_t>(count));
  // Stages ahead of the insert: fetch the slot, then (when its tag matches, the value
  // is probably known) the value's record, or for a long value its offset and then its
  // bytes. A repeated ID would otherwise wait on two or three cache misses in a row.
  std::uint32_t candidate[kCandidateRing] = {};
  for (std::uint32_t code = 0; code < count; ++code) {
    if (code + kSlotAhead < count)
      __builtin_prefetch(&slots_[slot_of(part.hashes_[code + kSlotAhead])]);
    if (code + kValueAhead < count) {
      const std::uint32_t later = code + kValueAhead;
      const std::uint64_t hash = part.hashes_[later];
      const std::uint32_t slot = slots_[slot_of(hash)];
      // No branch on the slot, which may still be in flight: a mispredicted guess
      // would stall until it arrives. Without a match the first value is fetched,
      // which is harmless.
      const auto match = static_cast<std::uint32_t>((slot != 0) & tag_matches(slot, tag_of(hash)));
      std::uint32_t found = (code_in(slot) + 1) & (0u - match);
      // A short value's bytes are on their way already; a long one's offset is.
      if (values_.prefetch(found - match)) found = 0;
      candidate[later % kCandidateRing] = found;
    }
    if (code + kBytesAhead < count) {
      const std::uint32_t found = candidate[(code + kBytesAhead) % kCandidateRing];
      if (found != 0) __builtin_prefetch(values_.at(found - 1).data());
    }
    remap[code] = part.values_.in_records() ? insert(part.values_.record(code), part.hashes_[code])
                                            : insert(part.values_.at(code), part.hashes_[code]);
  }
}

std::uint32_t StringInterner::find(std::string_view value) const {
  if (slots_.empty()) return Column::kMissingCode;
  const std::uint64_t hash = hash_string(value);
  const std::uint32_t tag = tag_of(hash);
  std::size_t index = slot_of(hash);
  for (;;) {
    const std::uint32_t slot = slots_[index];
    if (slot == 0) return Column::kMissingCode;
    if (tag_matches(slot, tag)) {
      const std::uint32_t code = code_in(slot);
      if (holds(code, value)) return code;
    }
    if (++index == slots_.size()) index = 0;
  }
}

void StringInterner::grow(std::size_t values) {
  // Small tables double; big ones grow by half, since their memory counts.
  std::size_t target = std::max<std::size_t>(values, 128);
  if (max_values_ != 0)
    target = std::max(target, max_values_ < (std::size_t{1} << 20) ? max_values_ * 2
                                                                   : max_values_ + max_values_ / 2);
  rehash(target);
}

void StringInterner::rehash(std::size_t values) {
  const std::size_t capacity_wanted = slots_for(values);
  if (capacity_wanted > slots_.capacity()) {
    std::vector<std::uint32_t>().swap(slots_);
    slots_.reserve(capacity_wanted);
    core::advise_huge_pages(slots_.data(), capacity_wanted * sizeof(std::uint32_t));
  }
  slots_.assign(capacity_wanted, 0);
  max_values_ = values;
  // Codes up to `values` (stored plus one) take the low bits; the rest hold the tag.
  const int code_bits = std::bit_width(values);
  code_mask_ = code_bits >= 32 ? ~std::uint32_t{0} : (std::uint32_t{1} << code_bits) - 1;
  const std::size_t capacity = slots_.size();
  for (std::uint32_t code = 0; code < values_.size(); ++code) {
    const std::uint64_t hash = hash_of(code);
    std::size_t index = slot_of(hash);
    while (slots_[index] != 0)
      if (++index == capacity) index = 0;
    slots_[index] = tag_of(hash) | (code + 1);
  }
}

void StringInterner::reserve(std::size_t values, std::size_t bytes) {
  values_.reserve(values, bytes);
  if (keep_hashes_) hashes_.reserve(values);
  if (values > max_values_) rehash(values);
}

void StringInterner::clear() {
  // A part filled by append_unchecked left its table empty: no need to clear it again
  // for every chunk of an ID column.
  if (values_.size() != 0 && !appended_unchecked_) std::fill(slots_.begin(), slots_.end(), 0);
  values_.clear();
  hashes_.clear();
  appended_unchecked_ = false;
}

Dictionary StringInterner::take_values() {
  Dictionary taken = std::move(values_);
  values_ = Dictionary();
  std::vector<std::uint64_t>().swap(hashes_);
  drop_index();
  return taken;
}

}  // namespace archml::data
