#include "data/images/image_datasets.h"

#include <filesystem>

#include "data/images/cifar10_batches.h"
#include "data/images/file_bytes.h"
#include "data/images/idx_file.h"
#include "runtime/find_by_name.h"
#include "runtime/fixed_order.h"
#include "runtime/user_error.h"

namespace robustlab {
namespace {

// One split of an IDX dataset: images [n, 28, 28] and labels [n] with matching counts.
Dataset read_idx_split(const std::string& root, const std::string& prefix, int64_t classes) {
  auto find = [&](const std::string& stem) {
    return first_existing({root + "/" + stem, root + "/" + stem + ".gz"}, root + "/" + stem + "[.gz]");
  };
  const std::string image_path = find(prefix + "-images-idx3-ubyte");
  const std::string label_path = find(prefix + "-labels-idx1-ubyte");
  const torch::Tensor images = read_idx(image_path), labels = read_idx(label_path);
  if (images.dim() != 3) throw UserError(image_path + ": expected 3-D images [n, rows, cols], found " +
                                         std::to_string(images.dim()) + "-D");
  if (labels.dim() != 1) throw UserError(label_path + ": expected 1-D labels, found " +
                                         std::to_string(labels.dim()) + "-D");
  if (images.size(0) != labels.size(0))
    throw UserError(label_path + ": " + std::to_string(labels.size(0)) + " labels for " +
                    std::to_string(images.size(0)) + " images in " + image_path);
  if (labels.numel() > 0 && labels.max().item<int64_t>() >= classes)
    throw UserError(label_path + ": label " + std::to_string(labels.max().item<int64_t>()) +
                    " is out of range for " + std::to_string(classes) + " classes");
  Dataset d;
  d.inputs = images.unsqueeze(1).to(torch::kFloat32).div_(255.0f);
  d.labels = labels.to(torch::kInt64);
  d.fine_labels = d.labels;
  d.box = Box{0.0, 1.0};
  return d;
}

Dataset read_cifar_split(const std::string& root, const std::vector<std::string>& files) {
  const std::string dir =
      std::filesystem::exists(root + "/cifar-10-batches-bin") ? root + "/cifar-10-batches-bin" : root;
  std::vector<torch::Tensor> images, labels;
  for (const auto& f : files) {
    auto [x, y] = read_cifar10_batch(first_existing({dir + "/" + f}, "CIFAR-10 batch " + f));
    images.push_back(x);
    labels.push_back(y);
  }
  Dataset d;
  d.inputs = torch::cat(images).to(torch::kFloat32).div_(255.0f);
  d.labels = torch::cat(labels);
  d.fine_labels = d.labels;
  d.box = Box{0.0, 1.0};
  return d;
}

// (train, test) read from a root directory.
std::pair<Dataset, Dataset> read_idx_dataset(const std::string& root) {
  return {read_idx_split(root, "train", 10), read_idx_split(root, "t10k", 10)};
}

std::pair<Dataset, Dataset> read_cifar10_dataset(const std::string& root) {
  return {read_cifar_split(root, {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                                  "data_batch_5.bin"}),
          read_cifar_split(root, {"test_batch.bin"})};
}

struct ImageDatasetInfo {
  std::string name;
  std::string default_root;
  std::vector<std::string> class_names;
  std::pair<Dataset, Dataset> (*read)(const std::string& root);
  int64_t images;                    // training and test images of the standard files
  std::vector<int64_t> image_shape;  // {C, H, W}
};

const std::vector<ImageDatasetInfo>& infos() {
  static const std::vector<ImageDatasetInfo> all = {
      {"fashion-mnist", "/usr/share/datasets/fashion-mnist",
       {"t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"},
       read_idx_dataset, 70000, {1, 28, 28}},
      {"mnist", "", {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}, read_idx_dataset, 70000, {1, 28, 28}},
      {"cifar10", "", {"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"},
       read_cifar10_dataset, 60000, {3, 32, 32}},
  };
  return all;
}

}  // namespace

const std::vector<std::string>& image_dataset_names() {
  static const std::vector<std::string> names = names_of(infos());
  return names;
}

ImageDatasetSize image_dataset_size(const std::string& name) {
  const ImageDatasetInfo& info = find_by_name(infos(), name, "dataset");
  return {info.images, info.image_shape};
}

std::string default_data_root(const std::string& name) {
  return find_by_name(infos(), name, "dataset").default_root;
}

ImageData load_image_dataset(const std::string& name, const std::string& root_or_empty) {
  const ImageDatasetInfo& info = find_by_name(infos(), name, "dataset");
  const std::string root = root_or_empty.empty() ? info.default_root : root_or_empty;
  if (root.empty())
    throw UserError("data.root: dataset " + name + " has no default location; set data.root to the "
                    "directory holding its files");
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec))
    throw UserError("data.root: " + root + ": " + (ec && ec != std::errc::no_such_file_or_directory ? ec.message() : "no such directory"));

  ImageData data;
  data.name = name;
  data.class_names = info.class_names;
  std::tie(data.train, data.test) = info.read(root);
  if (data.train.inputs.sizes().slice(1) != data.test.inputs.sizes().slice(1))
    throw UserError(root + ": the training images are " + c10::str(data.train.inputs.sizes().slice(1)) +
                    ", the test images " + c10::str(data.test.inputs.sizes().slice(1)) + " (files of two datasets?)");
  // Per-channel statistics of the training images, x̂ = (x − mean_c) / std_c inside the model, in
  // a fixed order: the same bits whatever the thread count, so the same model.
  for (int64_t c = 0; c < data.train.inputs.size(1); ++c) {
    const torch::Tensor channel = data.train.inputs.select(1, c).to(torch::kFloat64);
    const double mean = fixed_order_mean(channel);
    const double squares = fixed_order_sum((channel - mean).square());
    data.channel_mean.push_back(mean);
    data.channel_std.push_back(std::sqrt(squares / static_cast<double>(std::max<int64_t>(channel.numel() - 1, 1))));
  }
  return data;
}

}  // namespace robustlab
