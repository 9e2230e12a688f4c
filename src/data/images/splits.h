// Fixed subsets of a real dataset: a validation split carved out of the training file and
// subsets of the requested sizes. The choice of examples depends on nothing but the dataset (a
// fixed permutation, the same for every seed and run), so runs with different seeds, models or
// tasks see the same training, validation and test examples.
#pragma once
#include <cstdint>

#include "data/images/image_datasets.h"

namespace robustlab {

struct Splits {
  Dataset train, validation, test;
  at::Tensor test_index;  // [n] int64: each test example's position in the dataset's test file
};

// train_size / test_size 0 mean "all that is left". UserError when the sizes ask for more
// examples than the files hold.
Splits split_image_data(const ImageData& data, int64_t train_size, int64_t validation_size,
                        int64_t test_size);

// The rows `index` of every field of d.
Dataset select_rows(const Dataset& d, const at::Tensor& index);

}  // namespace robustlab
