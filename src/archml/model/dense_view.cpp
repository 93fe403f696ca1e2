#include "archml/model/dense_view.h"

#include "archml/core/error.h"

namespace archml::model {

std::string array_interface(const DenseView& view) {
  if (view.values == nullptr && view.rows * view.cols != 0) {
    throw_invalid("a dense matrix of " + std::to_string(view.rows) + " x " +
                  std::to_string(view.cols) + " values has no data");
  }
  // XGBoost reads the address as an integer; `true` marks the buffer read-only.
  return R"({"data": [)" + std::to_string(reinterpret_cast<std::uintptr_t>(view.values)) +
         R"(, true], "shape": [)" + std::to_string(view.rows) + ", " + std::to_string(view.cols) +
         R"(], "typestr": "<f4", "version": 3})";
}

}  // namespace archml::model
