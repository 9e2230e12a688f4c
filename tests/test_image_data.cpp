// Real-data readers: IDX (plain and gzip) and CIFAR-10 batches, written here byte by byte, and
// every way a file can be wrong; label maps and the fixed splits.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "data/images/cifar10_batches.h"
#include "data/images/idx_file.h"
#include "data/images/image_datasets.h"
#include "data/images/label_maps.h"
#include "data/images/splits.h"
#include "runtime/user_error.h"
#include "train/augment.h"
#include "runtime/random.h"

namespace fs = std::filesystem;
using robustlab::UserError;

namespace {

using Bytes = std::vector<uint8_t>;

Bytes idx_bytes(const std::vector<uint32_t>& shape, uint8_t type = 0x08, int extra = 0, int missing = 0) {
  Bytes b{0, 0, type, static_cast<uint8_t>(shape.size())};
  size_t count = 1;
  for (uint32_t s : shape) {
    for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<uint8_t>(s >> shift));
    count *= s;
  }
  for (size_t i = 0; i < count + extra - missing; ++i) b.push_back(static_cast<uint8_t>(i % 251));
  return b;
}

void write_plain(const std::string& path, const Bytes& b) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), b.size());
}

void write_gzip(const std::string& path, const Bytes& b) {
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, b.data(), static_cast<unsigned>(b.size()));
  gzclose(f);
}

std::string temp_dir(const std::string& name) {
  const std::string dir = ::testing::TempDir() + "robustlab_data_" + name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// The error's message, which must name the file.
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.what();
  }
  return "(no error)";
}

// A Fashion-MNIST-shaped directory with n train and m test images of 28×28 (gzip).
std::string idx_dataset(const std::string& name, uint32_t n, uint32_t m, uint32_t train_labels) {
  const std::string dir = temp_dir(name);
  write_gzip(dir + "/train-images-idx3-ubyte.gz", idx_bytes({n, 28, 28}));
  write_gzip(dir + "/t10k-images-idx3-ubyte.gz", idx_bytes({m, 28, 28}));
  Bytes labels = idx_bytes({train_labels});
  for (size_t i = 8; i < labels.size(); ++i) labels[i] = static_cast<uint8_t>(i % 10);
  write_gzip(dir + "/train-labels-idx1-ubyte.gz", labels);
  Bytes test_labels = idx_bytes({m});
  for (size_t i = 8; i < test_labels.size(); ++i) test_labels[i] = static_cast<uint8_t>(i % 10);
  write_gzip(dir + "/t10k-labels-idx1-ubyte.gz", test_labels);
  return dir;
}

}  // namespace

TEST(IdxFile, PlainAndGzipReadTheSameShapeAndValues) {
  const std::string dir = temp_dir("idx");
  const Bytes b = idx_bytes({3, 4, 5});
  write_plain(dir + "/a", b);
  write_gzip(dir + "/a.gz", b);
  const torch::Tensor plain = robustlab::read_idx(dir + "/a"), gz = robustlab::read_idx(dir + "/a.gz");
  EXPECT_EQ(plain.sizes(), (std::vector<int64_t>{3, 4, 5}));
  EXPECT_TRUE(torch::equal(plain, gz));
  EXPECT_EQ(plain[2][3][4].item<int>(), 59);  // element 2·20 + 3·5 + 4 = 59 holds 59 % 251
}

TEST(IdxFile, EveryMalformedFileIsAOneLineErrorNamingIt) {
  const std::string dir = temp_dir("idx_bad");
  const std::vector<std::pair<std::string, Bytes>> cases = {
      {"magic", Bytes{1, 2, 8, 1, 0, 0, 0, 1, 7}},
      {"type", idx_bytes({4}, 0x0D)},
      {"truncated", idx_bytes({10, 28, 28}, 0x08, 0, 100)},
      {"extra", idx_bytes({10}, 0x08, 3)},
      {"header", Bytes{0, 0, 8, 3, 0, 0}},
  };
  const std::map<std::string, std::string> expected = {
      {"magic", "bad magic number"}, {"type", "is not unsigned byte"}, {"truncated", "truncated"},
      {"extra", "3 bytes after"},    {"header", "truncated IDX header"}};
  for (const auto& [name, bytes] : cases) {
    write_plain(dir + "/" + name, bytes);
    const std::string message = error_of([&] { robustlab::read_idx(dir + "/" + name); });
    EXPECT_NE(message.find(dir + "/" + name), std::string::npos) << message;
    EXPECT_NE(message.find(expected.at(name)), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos);
  }
  // A gzip stream cut in half.
  write_gzip(dir + "/whole.gz", idx_bytes({50, 28, 28}));
  std::ifstream in(dir + "/whole.gz", std::ios::binary);
  std::string gz((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(dir + "/cut.gz", std::ios::binary) << gz.substr(0, gz.size() / 2);
  EXPECT_NE(error_of([&] { robustlab::read_idx(dir + "/cut.gz"); }).find("truncated"), std::string::npos);
  EXPECT_NE(error_of([&] { robustlab::read_idx(dir + "/absent"); }).find("not found"), std::string::npos);
}

TEST(ImageDatasets, ReadsADirectoryScalesToUnitBoxAndChecksCounts) {
  const std::string dir = idx_dataset("fm", 30, 20, 30);
  const robustlab::ImageData data = robustlab::load_image_dataset("fashion-mnist", dir);
  EXPECT_EQ(data.train.inputs.sizes(), (std::vector<int64_t>{30, 1, 28, 28}));
  EXPECT_EQ(data.test.size(), 20);
  EXPECT_GE(data.train.inputs.min().item<float>(), 0.0f);
  EXPECT_LE(data.train.inputs.max().item<float>(), 1.0f);
  EXPECT_FLOAT_EQ(data.train.inputs.flatten()[250].item<float>(), 250.0f / 255.0f);
  EXPECT_NEAR(data.channel_mean[0], data.train.inputs.mean().item<double>(), 1e-6);

  const std::string mismatched = idx_dataset("fm_mismatch", 30, 20, 29);
  const std::string message = error_of([&] { robustlab::load_image_dataset("mnist", mismatched); });
  EXPECT_NE(message.find("29 labels for 30 images"), std::string::npos) << message;
  EXPECT_NE(error_of([&] { robustlab::load_image_dataset("mnist", dir + "/nowhere"); }).find("no such directory"),
            std::string::npos);
  const std::string no_labels = idx_dataset("fm_missing", 30, 20, 30);
  fs::remove(no_labels + "/t10k-labels-idx1-ubyte.gz");
  EXPECT_NE(error_of([&] { robustlab::load_image_dataset("mnist", no_labels); }).find("t10k-labels-idx1-ubyte"),
            std::string::npos);
  EXPECT_NE(error_of([&] { robustlab::load_image_dataset("mnist", ""); }).find("data.root"), std::string::npos);
  EXPECT_NE(error_of([&] { robustlab::load_image_dataset("imagenet", dir); }).find("unknown dataset"),
            std::string::npos);
}

TEST(Cifar10Batches, ReadsRecordsAndRejectsBadSizesAndLabels) {
  const std::string dir = temp_dir("cifar");
  Bytes batch;
  for (int r = 0; r < 3; ++r) {
    batch.push_back(static_cast<uint8_t>(r + 7));
    for (int i = 0; i < 3072; ++i) batch.push_back(static_cast<uint8_t>((r + i) % 256));
  }
  write_plain(dir + "/good.bin", batch);
  const auto [images, labels] = robustlab::read_cifar10_batch(dir + "/good.bin");
  EXPECT_EQ(images.sizes(), (std::vector<int64_t>{3, 3, 32, 32}));
  EXPECT_EQ(labels[2].item<int64_t>(), 9);
  EXPECT_EQ(images[1][1][0][0].item<int>(), (1 + 1024) % 256);  // green plane starts at byte 1024

  write_plain(dir + "/short.bin", Bytes(batch.begin(), batch.end() - 5));
  EXPECT_NE(error_of([&] { robustlab::read_cifar10_batch(dir + "/short.bin"); }).find("not a whole number"),
            std::string::npos);
  batch[0] = 12;
  write_plain(dir + "/label.bin", batch);
  EXPECT_NE(error_of([&] { robustlab::read_cifar10_batch(dir + "/label.bin"); }).find("label 12"), std::string::npos);
}

TEST(ImageDatasets, Cifar10ReadsFiveTrainingBatchesAndTheTestBatchFromItsSubdirectory) {
  const std::string root = temp_dir("cifar_root"), dir = root + "/cifar-10-batches-bin";
  fs::create_directories(dir);
  auto batch = [](int records, int label) {
    Bytes b;
    for (int r = 0; r < records; ++r) {
      b.push_back(static_cast<uint8_t>(label));
      b.insert(b.end(), 3072, static_cast<uint8_t>(label * 20));
    }
    return b;
  };
  for (int i = 1; i <= 5; ++i) write_plain(dir + "/data_batch_" + std::to_string(i) + ".bin", batch(2, i));
  write_plain(dir + "/test_batch.bin", batch(3, 0));
  const robustlab::ImageData data = robustlab::load_image_dataset("cifar10", root);
  EXPECT_EQ(data.train.inputs.sizes(), (std::vector<int64_t>{10, 3, 32, 32}));
  EXPECT_EQ(data.test.size(), 3);
  EXPECT_TRUE(torch::equal(data.train.labels, torch::tensor({1, 1, 2, 2, 3, 3, 4, 4, 5, 5}, torch::kInt64)));
  EXPECT_FLOAT_EQ(data.train.inputs[9][2][31][31].item<float>(), 100.0f / 255.0f);
  ASSERT_EQ(data.channel_mean.size(), 3u);
  EXPECT_NEAR(data.channel_mean[1], 60.0 / 255.0, 1e-6);  // labels 1..5, twice each: mean 3 · 20

  fs::remove(dir + "/data_batch_4.bin");
  EXPECT_NE(error_of([&] { robustlab::load_image_dataset("cifar10", root); }).find("data_batch_4.bin"),
            std::string::npos);
}

TEST(LabelMaps, MergeClassesAndKeepTheFineLabel) {
  EXPECT_TRUE(torch::equal(robustlab::class_signs({"halves", {}}, 4), torch::tensor({1, 1, -1, -1}, torch::kInt64)));
  EXPECT_TRUE(torch::equal(robustlab::class_signs({"parity", {}}, 4), torch::tensor({1, -1, 1, -1}, torch::kInt64)));
  EXPECT_TRUE(torch::equal(robustlab::class_signs({"list", {3}}, 4), torch::tensor({-1, -1, -1, 1}, torch::kInt64)));
  EXPECT_THROW(robustlab::class_signs({"list", {4}}, 4), UserError);
  EXPECT_THROW(robustlab::class_signs({"list", {1, 1}}, 4), UserError);
  EXPECT_THROW(robustlab::class_signs({"list", {0, 1, 2, 3}}, 4), UserError);
  EXPECT_THROW(robustlab::class_signs({"list", {}}, 4), UserError);

  robustlab::Dataset d;
  d.inputs = torch::zeros({4, 1});
  d.labels = torch::tensor({0, 3, 2, 1}, torch::kInt64);
  const robustlab::Dataset b = robustlab::apply_label_map(d, {"halves", {}}, 4);
  EXPECT_TRUE(torch::equal(b.labels, torch::tensor({1, -1, -1, 1}, torch::kInt64)));
  EXPECT_TRUE(torch::equal(b.fine_labels, d.labels));
}

TEST(Splits, FixedDisjointAndSizedAsAsked) {
  const robustlab::ImageData data = robustlab::load_image_dataset("fashion-mnist", idx_dataset("split", 100, 40, 100));
  const robustlab::Splits a = robustlab::split_image_data(data, 50, 20, 10), b = robustlab::split_image_data(data, 50, 20, 10);
  EXPECT_EQ(a.train.size(), 50);
  EXPECT_EQ(a.validation.size(), 20);
  EXPECT_EQ(a.test.size(), 10);
  EXPECT_TRUE(torch::equal(a.train.inputs, b.train.inputs));  // the same for every run
  // Images are distinct rows (pixel i of image r is (784 r + i) % 251), so no row is in both splits.
  const torch::Tensor train_keys = a.train.inputs.flatten(1).narrow(1, 0, 3), val_keys = a.validation.inputs.flatten(1).narrow(1, 0, 3);
  for (int64_t i = 0; i < val_keys.size(0); ++i)
    EXPECT_FALSE((train_keys == val_keys[i]).all(1).any().item<bool>());
  EXPECT_THROW(robustlab::split_image_data(data, 90, 20, 0), UserError);
  EXPECT_THROW(robustlab::split_image_data(data, 0, 100, 0), UserError);
  EXPECT_THROW(robustlab::split_image_data(data, 0, 0, 41), UserError);
}

TEST(Augment, CropFlipKeepsShapeAndTakesAWindowOfThePaddedImage) {
  at::Generator gen = robustlab::make_generator(3);
  const torch::Tensor x = torch::rand({16, 3, 8, 8}, gen);
  const torch::Tensor y = robustlab::random_crop_flip(x, 2, gen);
  ASSERT_EQ(y.sizes(), x.sizes());
  const torch::Tensor padded = torch::constant_pad_nd(x, {2, 2, 2, 2}, 0.0);
  int flipped = 0;
  for (int64_t i = 0; i < 16; ++i) {
    bool found = false;
    for (int t = 0; t <= 4 && !found; ++t)
      for (int l = 0; l <= 4 && !found; ++l) {
        const torch::Tensor window = padded[i].slice(1, t, t + 8).slice(2, l, l + 8);
        if (torch::equal(window, y[i])) found = true;
        else if (torch::equal(window.flip({2}), y[i])) found = true, ++flipped;
      }
    EXPECT_TRUE(found) << "example " << i;
  }
  EXPECT_GT(flipped, 0);
  EXPECT_LT(flipped, 16);
}
