#include "archml/store/listing_guard.h"

#include "archml/core/error.h"

namespace archml::store {

ListingGuard::ListingGuard(ListingLimits limits, std::string prefix, std::string listing)
    : limits_(limits), prefix_(std::move(prefix)), listing_(std::move(listing)) {}

std::string ListingGuard::next_token(const ListPage& page) {
  for (const ObjectInfo& object : page.objects)
    if (object.key.compare(0, prefix_.size(), prefix_) != 0)
      throw_io("the S3 server answered the listing of " + listing_ + " with the key '" +
               object.key.substr(0, 200) + "', which is not under the prefix '" + prefix_ +
               "' asked for; the server is not S3-compatible");
  keys_ += page.objects.size();
  if (keys_ > limits_.max_keys)
    throw_io("the listing of " + listing_ + " passed " + std::to_string(limits_.max_keys) +
             " keys and the S3 server says more follow; list a narrower prefix, or raise "
             "ARCHML_S3_LIST_MAX_KEYS if the bucket really holds that many");
  if (!page.truncated) return {};
  if (page.next_continuation_token.empty())
    throw_io("the S3 server said the listing of " + listing_ +
             " continues but sent no continuation token");
  empty_pages_ = page.objects.empty() ? empty_pages_ + 1 : 0;
  if (empty_pages_ >= limits_.max_empty_pages)
    throw_io("the S3 server sent " + std::to_string(empty_pages_) +
             " pages in a row without a key while listing " + listing_ +
             ", each saying more follow; the server's listing does not end");
  if (!tokens_.insert(page.next_continuation_token).second)
    throw_io("the S3 server repeated the continuation token '" +
             page.next_continuation_token.substr(0, 100) + "' while listing " + listing_ +
             ": its listing would never end (a server bug)");
  return page.next_continuation_token;
}

}  // namespace archml::store
