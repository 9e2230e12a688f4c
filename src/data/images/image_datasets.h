// The real image datasets robustlab reads, by name, from a directory with their standard file
// names (plain or .gz):
//   fashion-mnist, mnist  train-images-idx3-ubyte, train-labels-idx1-ubyte,
//                         t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte        (IDX, 28×28 grey)
//   cifar10               data_batch_1.bin .. data_batch_5.bin, test_batch.bin  (32×32 RGB),
//                         in the directory or in its cifar-10-batches-bin/
// Pixels are scaled to [0, 1] (the box attacks clamp to); normalisation is the model's job, with
// the per-channel mean and std of the training images given here.
#pragma once
#include <string>
#include <vector>

#include "data/dataset.h"

namespace robustlab {

struct ImageData {
  std::string name;
  Dataset train, test;  // inputs [n, C, H, W] float32 in [0, 1]; labels = fine_labels = class index
  std::vector<std::string> class_names;
  std::vector<double> channel_mean, channel_std;  // over the training images
};

const std::vector<std::string>& image_dataset_names();  // fashion-mnist, mnist, cifar10

// The size of a dataset's standard files, known without reading them (for memory estimates).
struct ImageDatasetSize {
  int64_t images = 0;                // training and test together
  std::vector<int64_t> image_shape;  // {C, H, W}
};
ImageDatasetSize image_dataset_size(const std::string& name);  // UserError on an unknown name

// Where the dataset lives when data.root is empty: Fashion-MNIST comes with the Debian package
// dataset-fashion-mnist; the others have no default ("" then).
std::string default_data_root(const std::string& name);

// UserError on an unknown name, an empty root without a default, or any file problem (named).
ImageData load_image_dataset(const std::string& name, const std::string& root);

}  // namespace robustlab
