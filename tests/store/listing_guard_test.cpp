#include "archml/store/listing_guard.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "archml/core/error.h"

namespace archml::store {
namespace {

ListPage page(std::vector<std::string> keys, bool truncated, std::string token) {
  ListPage result;
  for (std::string& key : keys) result.objects.push_back({std::move(key), 1, "", ""});
  result.truncated = truncated;
  result.next_continuation_token = std::move(token);
  return result;
}

std::string failure(ListingGuard& guard, const ListPage& next) {
  try {
    guard.next_token(next);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIo);
    return error.what();
  }
  ADD_FAILURE() << "the page was accepted";
  return {};
}

TEST(ListingGuard, FollowsTokensUntilTheLastPage) {
  ListingGuard guard({}, "runs/", "s3://b/runs/");
  EXPECT_EQ(guard.next_token(page({"runs/1", "runs/2"}, true, "A")), "A");
  EXPECT_EQ(guard.next_token(page({}, true, "B")), "B");  // an empty page may happen
  EXPECT_EQ(guard.next_token(page({"runs/3"}, false, "")), "");
}

TEST(ListingGuard, RefusesARepeatedToken) {
  ListingGuard guard({}, "", "s3://b");
  guard.next_token(page({"a"}, true, "A"));
  guard.next_token(page({"b"}, true, "B"));
  EXPECT_NE(failure(guard, page({"c"}, true, "A")).find("repeated the continuation token 'A'"),
            std::string::npos);
}

TEST(ListingGuard, RefusesATruncatedPageWithoutAToken) {
  ListingGuard guard({}, "", "s3://b");
  EXPECT_NE(failure(guard, page({"a"}, true, "")).find("sent no continuation token"),
            std::string::npos);
}

TEST(ListingGuard, StopsAtTheKeyLimit) {
  ListingGuard guard({5, 100}, "", "s3://b/p");
  EXPECT_EQ(guard.next_token(page({"1", "2", "3"}, true, "t1")), "t1");
  EXPECT_EQ(guard.next_token(page({"4", "5"}, true, "t2")), "t2");
  std::string message = failure(guard, page({"6"}, true, "t3"));
  EXPECT_NE(message.find("s3://b/p passed 5 keys"), std::string::npos) << message;
  EXPECT_NE(message.find("ARCHML_S3_LIST_MAX_KEYS"), std::string::npos) << message;
}

TEST(ListingGuard, StopsAfterTooManyEmptyPagesInARow) {
  ListingGuard guard({1000, 3}, "", "s3://b");
  guard.next_token(page({}, true, "t1"));
  guard.next_token(page({}, true, "t2"));
  guard.next_token(page({"a"}, true, "t3"));  // a key resets the count
  guard.next_token(page({}, true, "t4"));
  guard.next_token(page({}, true, "t5"));
  EXPECT_NE(failure(guard, page({}, true, "t6")).find("3 pages in a row without a key"),
            std::string::npos);
}

TEST(ListingGuard, RefusesKeysOutsideThePrefixShorterOnesIncluded) {
  ListingGuard guard({}, "team/runs/", "s3://b/team/runs/");
  std::string message = failure(guard, page({"team/runs/1", "x"}, false, ""));
  EXPECT_NE(message.find("the key 'x', which is not under the prefix 'team/runs/'"),
            std::string::npos)
      << message;
  ListingGuard neighbour({}, "team/", "s3://b/team/");
  EXPECT_FALSE(failure(neighbour, page({"team2/a"}, false, "")).empty());
}

}  // namespace
}  // namespace archml::store
