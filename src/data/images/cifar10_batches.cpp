#include "data/images/cifar10_batches.h"

#include "data/images/file_bytes.h"
#include "runtime/user_error.h"

namespace robustlab {

std::pair<at::Tensor, at::Tensor> read_cifar10_batch(const std::string& path) {
  constexpr int64_t pixels = 3 * 32 * 32, record = 1 + pixels;
  // A batch file of the dataset holds 10 000 records (30 MB); refuse more than a million.
  const std::vector<uint8_t> bytes = read_file_bytes(path, 1000000 * static_cast<uint64_t>(record));
  const int64_t size = static_cast<int64_t>(bytes.size());
  if (size == 0 || size % record != 0)
    throw UserError(path + ": " + std::to_string(size) + " bytes is not a whole number of " +
                    std::to_string(record) + "-byte CIFAR-10 records (truncated or not CIFAR-10)");
  const int64_t n = size / record;
  const torch::Tensor records =
      torch::from_blob(const_cast<uint8_t*>(bytes.data()), {n, record}, torch::kUInt8);
  torch::Tensor labels = records.select(1, 0).to(torch::kInt64);
  const int64_t max_label = labels.max().item<int64_t>();
  if (max_label > 9)
    throw UserError(path + ": label " + std::to_string(max_label) + " is not a CIFAR-10 class (0-9)");
  torch::Tensor images = records.slice(1, 1).reshape({n, 3, 32, 32}).clone();
  return {images, labels};
}

}  // namespace robustlab
