// The bounds of one ListObjectsV2 listing, page by page, so a server that says "more
// follows" forever cannot make archml loop and grow without end:
// - a continuation token seen before would restart a part of the listing: refused;
// - more than `max_keys` keys in all, or `max_empty_pages` truncated pages in a row that
//   hold no key: refused, with a message saying how to narrow or raise the limit;
// - a key outside the prefix asked for is a broken answer: refused, never cut to size.
// Pure (no network), so it is unit-tested with scripted pages.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>

#include "archml/store/s3_xml.h"

namespace archml::store {

struct ListingLimits {
  std::uint64_t max_keys = 1'000'000;  // ARCHML_S3_LIST_MAX_KEYS
  int max_empty_pages = 100;
};

class ListingGuard {
 public:
  // `prefix`: the bucket-level prefix listed; `listing`: what is listed, for messages
  // ("s3://bucket/prefix").
  ListingGuard(ListingLimits limits, std::string prefix, std::string listing);

  // Checks the page just read; returns the continuation token of the next request, or
  // "" when the listing is complete. Throws kIo when the page breaks one of the bounds.
  std::string next_token(const ListPage& page);

 private:
  ListingLimits limits_;
  std::string prefix_;
  std::string listing_;
  std::unordered_set<std::string> tokens_;
  std::uint64_t keys_ = 0;
  int empty_pages_ = 0;
};

}  // namespace archml::store
