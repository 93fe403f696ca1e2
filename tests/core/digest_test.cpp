#include "archml/core/digest.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "archml/core/error.h"

namespace archml::core {
namespace {

// Vectors from FIPS 180-2 and NIST's examples.
TEST(Sha256, MatchesPublishedVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, IncrementalEqualsOneShot) {
  Sha256 digest;
  digest.update("abcdbcdecdefdefg");
  digest.update("");
  digest.update("efghfghighijhijkijkljklmklmnlmnomnopnopq");
  EXPECT_EQ(digest.hex_digest(),
            sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
}

TEST(Md5, MatchesPublishedVectorsAndResets) {
  Md5 digest;
  digest.update("abc");
  EXPECT_EQ(digest.hex_digest(), "900150983cd24fb0d6963f7d28e17f72");
  digest.reset();
  EXPECT_EQ(digest.hex_digest(), "d41d8cd98f00b204e9800998ecf8427e");
}

TEST(Sha256, FileDigestAndMissingFile) {
  auto path = std::filesystem::temp_directory_path() / "archml_sha256_test.bin";
  std::string bytes(200000, 'a');  // larger than one read block
  std::ofstream(path, std::ios::binary) << bytes;
  EXPECT_EQ(file_sha256_hex(path.string()), sha256_hex(bytes));
  std::filesystem::remove(path);
  try {
    file_sha256_hex(path.string());
    FAIL() << "expected not found";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kNotFound);
  }
}

}  // namespace
}  // namespace archml::core
