#include "archml/store/s3_xml.h"

#include <tinyxml2.h>

#include <cstdlib>

#include "archml/core/error.h"

namespace archml::store {
namespace {

using tinyxml2::XMLDocument;
using tinyxml2::XMLElement;

std::string child_text(const XMLElement* parent, const char* name) {
  const XMLElement* child = parent->FirstChildElement(name);
  if (child == nullptr || child->GetText() == nullptr) return {};
  return child->GetText();
}

}  // namespace

ListPage parse_list_page(std::string_view xml) {
  XMLDocument document;
  document.Parse(xml.data(), xml.size());
  const XMLElement* root = document.RootElement();
  if (document.Error() || root == nullptr || std::string_view(root->Name()) != "ListBucketResult")
    throw_io("the S3 server answered a listing with something other than a ListBucketResult: " +
             std::string(xml.substr(0, 200)));
  ListPage page;
  page.truncated = child_text(root, "IsTruncated") == "true";
  page.next_continuation_token = child_text(root, "NextContinuationToken");
  for (const XMLElement* item = root->FirstChildElement("Contents"); item != nullptr;
       item = item->NextSiblingElement("Contents")) {
    ObjectInfo info;
    info.key = child_text(item, "Key");
    info.size = std::strtoull(child_text(item, "Size").c_str(), nullptr, 10);
    info.etag = unquote_etag(child_text(item, "ETag"));
    info.last_modified = child_text(item, "LastModified");
    page.objects.push_back(std::move(info));
  }
  if (page.truncated && page.next_continuation_token.empty())
    throw_io("the S3 server said the listing continues but sent no continuation token");
  return page;
}

S3ErrorBody parse_error_body(std::string_view xml) {
  S3ErrorBody body;
  if (xml.empty()) return body;
  XMLDocument document;
  document.Parse(xml.data(), xml.size());
  const XMLElement* root = document.RootElement();
  if (document.Error() || root == nullptr) return body;
  body.code = child_text(root, "Code");
  body.message = child_text(root, "Message");
  return body;
}

std::string parse_upload_id(std::string_view xml) {
  XMLDocument document;
  document.Parse(xml.data(), xml.size());
  const XMLElement* root = document.RootElement();
  std::string id = root == nullptr || document.Error() ? "" : child_text(root, "UploadId");
  if (id.empty())
    throw_io("the S3 server started a multipart upload without an UploadId: " +
             std::string(xml.substr(0, 200)));
  return id;
}

std::string complete_multipart_body(const std::vector<std::string>& etags) {
  XMLDocument document;
  XMLElement* root = document.NewElement("CompleteMultipartUpload");
  document.InsertFirstChild(root);
  for (std::size_t i = 0; i < etags.size(); ++i) {
    XMLElement* part = root->InsertNewChildElement("Part");
    part->InsertNewChildElement("PartNumber")->SetText(static_cast<int>(i + 1));
    part->InsertNewChildElement("ETag")->SetText(etags[i].c_str());
  }
  tinyxml2::XMLPrinter printer(nullptr, true);
  document.Print(&printer);
  return std::string(printer.CStr(), printer.CStrSize() - 1);
}

std::string unquote_etag(std::string_view etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"')
    etag = etag.substr(1, etag.size() - 2);
  return std::string(etag);
}

}  // namespace archml::store
