// `archml artifacts ls|cp|cat|rm|stat|mb`: move files between local paths and artifact
// stores (s3://bucket/key or a folder) and inspect what a store holds. A thin shell over
// archml/store: every decision about keys, retries and integrity lives there.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archml/core/atomic_file.h"
#include "archml/core/error.h"
#include "archml/report/format.h"
#include "archml/store/artifact_key.h"
#include "archml/store/local_store.h"
#include "archml/store/open_store.h"
#include "archml/store/s3_store.h"
#include "archml/store/transfer.h"
#include "cli/commands.h"
#include "cli/store_location.h"

namespace archml::cli {
namespace {

namespace fs = std::filesystem;
using store::ArtifactStore;
using store::ObjectInfo;

struct StoreFlags {
  std::string s3_endpoint;
  std::uint64_t part_size_mb = 16;
  std::uint64_t multipart_threshold_mb = 64;
  int page_size = 1000;
};

struct ArtifactsArgs {
  StoreFlags store;
  std::string source;
  std::string destination;
  bool json = false;
  bool recursive = false;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

store::StoreOptions to_options(const StoreFlags& flags, const jobs::JobContext& context) {
  store::StoreOptions options = context.store;
  options.s3_endpoint = flags.s3_endpoint;
  options.part_size = flags.part_size_mb << 20;
  options.multipart_threshold = flags.multipart_threshold_mb << 20;
  options.list_page_size = flags.page_size;
  return options;
}

std::string require_key(const Location& location, const std::string& uri) {
  if (location.key.empty())
    throw_invalid("'" + uri + "' names a bucket, not an object; add a key: " + uri + "/KEY");
  return location.key;
}

nlohmann::json to_json(const ArtifactStore& store, const ObjectInfo& info) {
  return {{"uri", store.uri_of(info.key)},
          {"key", info.key},
          {"size", info.size},
          {"etag", info.etag},
          {"last_modified", info.last_modified}};
}

void list(const jobs::JobContext& context, const ArtifactsArgs& args) {
  std::unique_ptr<ArtifactStore> store;
  std::string prefix;
  if (store::is_s3_uri(args.source)) {
    Location location = locate(args.source, to_options(args.store, context));
    store = std::move(location.store);
    prefix = location.key;
  } else {
    std::string folder = store::local_path(args.source);
    if (!fs::is_directory(folder)) throw_not_found("no folder '" + folder + "'");
    store = std::make_unique<store::LocalStore>(folder);
  }
  std::vector<ObjectInfo> objects = store->list(prefix);
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const ObjectInfo& info : objects) out.push_back(to_json(*store, info));
    std::printf("%s\n", out.dump(2).c_str());
    return;
  }
  std::uint64_t total = 0;
  for (const ObjectInfo& info : objects) {
    std::printf("%12llu  %-20s  %s\n", static_cast<unsigned long long>(info.size),
                info.last_modified.c_str(), store->uri_of(info.key).c_str());
    total += info.size;
  }
  std::fprintf(stderr, "%s objects, %s bytes\n", report::format_count(objects.size()).c_str(),
               report::format_count(total).c_str());
}

// "s3://b/dir/" or a folder as destination: the source's file name is appended.
std::string destination_key(const Location& destination, const std::string& destination_uri,
                            const std::string& source_name) {
  bool folder = destination.key.empty() || destination_uri.back() == '/';
  return folder ? store::join_key(destination.key, source_name) : destination.key;
}

void copy(const jobs::JobContext& context, const ArtifactsArgs& args) {
  bool from_s3 = store::is_s3_uri(args.source);
  bool to_s3 = store::is_s3_uri(args.destination);
  if (!from_s3 && !to_s3)
    throw_invalid(
        "'archml artifacts cp' needs an s3:// URI on at least one side; use cp for "
        "local copies");
  if (!from_s3) {
    fs::path source(store::local_path(args.source));
    Location destination = locate(args.destination, to_options(args.store, context));
    if (fs::is_directory(source)) {
      store::TransferTotals totals =
          store::upload_directory(*destination.store, source, destination.key, context.progress);
      std::fprintf(stderr, "uploaded %llu files (%s bytes) to %s\n",
                   static_cast<unsigned long long>(totals.files),
                   report::format_count(totals.bytes).c_str(),
                   destination.store->uri_of(destination.key).c_str());
      return;
    }
    std::string key = destination_key(destination, args.destination, source.filename().string());
    destination.store->put_file(key, source);
    std::fprintf(stderr, "uploaded %s\n", destination.store->uri_of(key).c_str());
    return;
  }
  Location source = locate(args.source, to_options(args.store, context));
  std::string key = require_key(source, args.source);
  std::string name = fs::path(key).filename().string();
  if (to_s3) {
    Location destination = locate(args.destination, to_options(args.store, context));
    std::string target = destination_key(destination, args.destination, name);
    fs::path staging = fs::temp_directory_path() / ("archml-cp-" + std::to_string(::getpid()));
    source.store->get_file(key, staging);
    try {
      destination.store->put_file(target, staging);
    } catch (...) {
      fs::remove(staging);
      throw;
    }
    fs::remove(staging);
    std::fprintf(stderr, "copied to %s\n", destination.store->uri_of(target).c_str());
    return;
  }
  if (!source.store->exists(key)) {
    // No object of that name: a "folder" of objects under key/ is copied whole.
    std::string folder = store::local_path(args.destination);
    store::TransferTotals totals =
        store::download_directory(*source.store, key, folder, context.progress);
    std::fprintf(stderr, "downloaded %llu files (%s bytes) to %s\n",
                 static_cast<unsigned long long>(totals.files),
                 report::format_count(totals.bytes).c_str(), folder.c_str());
    return;
  }
  fs::path target(store::local_path(args.destination));
  if (fs::is_directory(target) || args.destination.back() == '/') target /= name;
  source.store->get_file(key, target);
  std::fprintf(stderr, "downloaded %s\n", target.c_str());
}

void cat(const jobs::JobContext& context, const ArtifactsArgs& args) {
  Location location = locate(args.source, to_options(args.store, context));
  std::string key = require_key(location, args.source);
  std::string bytes = args.length > 0 ? location.store->get_range(key, args.offset, args.length)
                                      : location.store->get_bytes(key);
  // The object is complete and verified before its first byte goes out: a truncated or
  // corrupted download fails with nothing written.
  if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() ||
      std::fflush(stdout) != 0)
    throw_io(core::write_failure("standard output", errno));
}

void remove(const jobs::JobContext& context, const ArtifactsArgs& args) {
  Location location = locate(args.source, to_options(args.store, context));
  if (args.recursive) {
    std::string folder = location.key.empty() ? "" : store::join_key(location.key, "");
    std::vector<ObjectInfo> objects = location.store->list(folder);
    if (objects.empty()) throw_not_found("no artifacts under " + location.store->uri_of(folder));
    for (const ObjectInfo& info : objects) location.store->remove(info.key);
    std::fprintf(stderr, "removed %zu objects\n", objects.size());
    return;
  }
  std::string key = require_key(location, args.source);
  location.store->stat(key);
  location.store->remove(key);
}

void stat(const jobs::JobContext& context, const ArtifactsArgs& args) {
  Location location = locate(args.source, to_options(args.store, context));
  ObjectInfo info = location.store->stat(require_key(location, args.source));
  if (args.json) {
    std::printf("%s\n", to_json(*location.store, info).dump(2).c_str());
    return;
  }
  std::printf("uri            %s\nsize           %llu\netag           %s\nlast modified  %s\n",
              location.store->uri_of(info.key).c_str(), static_cast<unsigned long long>(info.size),
              info.etag.c_str(), info.last_modified.c_str());
}

void make_bucket(const jobs::JobContext& context, const ArtifactsArgs& args) {
  store::S3Uri parsed = store::parse_s3_uri(args.source);
  if (!parsed.key.empty()) throw_invalid("'archml artifacts mb' takes s3://BUCKET, not a key");
  auto opened = store::open_artifact_store(args.source, to_options(args.store, context));
  dynamic_cast<store::S3Store&>(*opened).create_bucket();
  std::fprintf(stderr, "bucket s3://%s ready\n", parsed.bucket.c_str());
}

void add_store_flags(CLI::App& command, StoreFlags& flags) {
  command.add_option("--s3-endpoint", flags.s3_endpoint,
                     "S3-compatible server, e.g. http://127.0.0.1:7480 (default: "
                     "AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS itself)");
}

}  // namespace

void add_artifacts_command(CLI::App& app, const jobs::JobContext& context) {
  auto args = std::make_shared<ArtifactsArgs>();
  auto* artifacts = app.add_subcommand(
      "artifacts",
      "Copy files to and from artifact stores, and see what a store holds.\n\n"
      "A store is a folder or s3://bucket/prefix on any S3-compatible server; credentials\n"
      "come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), the\n"
      "region from AWS_REGION (default us-east-1). See docs/artifacts.md.\n\n"
      "Examples:\n"
      "  archml artifacts mb s3://ml-artifacts --s3-endpoint http://127.0.0.1:7480\n"
      "  archml artifacts cp runs/7/bundle s3://ml-artifacts/runs/7/bundle\n"
      "  archml artifacts ls s3://ml-artifacts/runs/\n"
      "  archml artifacts cat s3://ml-artifacts/runs/7/bundle/bundle.json");
  artifacts->require_subcommand(1);

  auto* ls =
      artifacts->add_subcommand("ls", "List the objects under a prefix or in a folder, with sizes");
  ls->add_option("URI", args->source, "s3://bucket[/prefix] or a folder")->required();
  ls->add_flag("--json", args->json, "Print a JSON array for scripts");
  ls->add_option("--page-size", args->store.page_size,
                 "Keys per listing request (S3 allows up to 1000); all pages are read")
      ->check(CLI::Range(1, 1000));
  add_store_flags(*ls, args->store);
  ls->callback([args, &context] { list(context, *args); });

  auto* cp = artifacts->add_subcommand(
      "cp",
      "Copy a file or a folder (recursively) to or from a store.\n\n"
      "A destination ending in '/' (or a bucket alone) receives the source's name; an\n"
      "s3:// source that is no object but a prefix is downloaded as a folder. Large files\n"
      "go up in parts.");
  cp->add_option("SOURCE", args->source, "Local file or folder, or s3://bucket/key")->required();
  cp->add_option("DESTINATION", args->destination, "s3://bucket/key, or a local path")->required();
  cp->add_option("--part-size-mb", args->store.part_size_mb, "Multipart part size (min 5)")
      ->check(CLI::Range(5, 5120))
      ->capture_default_str();
  cp->add_option("--multipart-threshold-mb", args->store.multipart_threshold_mb,
                 "Files at least this large are uploaded in parts")
      ->check(CLI::Range(5, 5120))
      ->capture_default_str();
  add_store_flags(*cp, args->store);
  cp->callback([args, &context] { copy(context, *args); });

  auto* cat_command = artifacts->add_subcommand(
      "cat", "Write an object's bytes (or a byte range of them) to standard output");
  cat_command->add_option("URI", args->source, "s3://bucket/key or a local file")->required();
  cat_command->add_option("--offset", args->offset, "First byte of a range (with --length)");
  cat_command->add_option("--length", args->length, "Bytes of the range (0: whole object)");
  add_store_flags(*cat_command, args->store);
  cat_command->callback([args, &context] { cat(context, *args); });

  auto* rm =
      artifacts->add_subcommand("rm", "Remove an object, or with -r every object under a prefix");
  rm->add_option("URI", args->source, "s3://bucket/key or a local file")->required();
  rm->add_flag("-r,--recursive", args->recursive, "Remove everything under URI/");
  add_store_flags(*rm, args->store);
  rm->callback([args, &context] { remove(context, *args); });

  auto* stat_command =
      artifacts->add_subcommand("stat", "Show an object's size, ETag and last-modified time");
  stat_command->add_option("URI", args->source, "s3://bucket/key or a local file")->required();
  stat_command->add_flag("--json", args->json, "Print JSON for scripts");
  add_store_flags(*stat_command, args->store);
  stat_command->callback([args, &context] { stat(context, *args); });

  auto* mb = artifacts->add_subcommand(
      "mb", "Make a bucket on an S3-compatible server.\n\nAn existing bucket of yours is fine.");
  mb->add_option("URI", args->source, "s3://bucket")->required();
  add_store_flags(*mb, args->store);
  mb->callback([args, &context] { make_bucket(context, *args); });
}

}  // namespace archml::cli
