#include "data/images/splits.h"

#include "runtime/random.h"
#include "runtime/user_error.h"

namespace robustlab {

Dataset select_rows(const Dataset& d, const at::Tensor& index) {
  Dataset out = d;
  out.inputs = d.inputs.index_select(0, index);
  out.labels = d.labels.index_select(0, index);
  if (d.fine_labels.defined()) out.fine_labels = d.fine_labels.index_select(0, index);
  return out;
}

Splits split_image_data(const ImageData& data, int64_t train_size, int64_t validation_size,
                        int64_t test_size) {
  const int64_t n_train = data.train.size(), n_test = data.test.size();
  if (validation_size >= n_train)
    throw UserError("data.validation_size: " + std::to_string(validation_size) + " leaves no training data (" +
                    data.name + " has " + std::to_string(n_train) + " training images)");
  if (train_size > n_train - validation_size)
    throw UserError("data.train_size: " + std::to_string(train_size) + " is more than the " +
                    std::to_string(n_train - validation_size) + " training images left after validation");
  if (test_size > n_test)
    throw UserError("data.test_size: " + std::to_string(test_size) + " is more than the " +
                    std::to_string(n_test) + " test images of " + data.name);
  at::Generator fixed = make_generator(0, "data/split");  // seed-independent on purpose
  const torch::Tensor order = torch::randperm(n_train, fixed, torch::kInt64);
  const torch::Tensor test_order = torch::randperm(n_test, fixed, torch::kInt64);
  const int64_t train_end = validation_size + (train_size > 0 ? train_size : n_train - validation_size);
  Splits s;
  s.validation = select_rows(data.train, order.slice(0, 0, validation_size));
  s.train = select_rows(data.train, order.slice(0, validation_size, train_end));
  s.test_index = test_order.slice(0, 0, test_size > 0 ? test_size : n_test);
  s.test = select_rows(data.test, s.test_index);
  return s;
}

}  // namespace robustlab
