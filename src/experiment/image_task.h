// Image classifiers as the real-data studies and `robustlab train` use them: the key groups of a
// dataset and task (data.*), a network (model.*) and its training (train.*, adversarial.*), the
// task they load, and training one classifier with validation after every epoch.
#pragma once
#include <functional>
#include <string>

#include "attacks/attack.h"
#include "config/fields.h"
#include "data/images/image_datasets.h"
#include "data/images/label_maps.h"
#include "data/images/splits.h"
#include "experiment/run_context.h"
#include "models/image/image_classifier.h"
#include "models/model_file.h"
#include "runtime/threads.h"
#include "train/train.h"

namespace robustlab {

struct ImageDataOptions {
  std::string name = "fashion-mnist";
  std::string root;  // "": the dataset's default location
  int64_t train_size = 0, validation_size = 5000, test_size = 0;
  std::string labels = "classes";
  std::vector<int64_t> positive_classes;

  void fields(Fields& f) {
    f.field("name", name, "dataset: fashion-mnist, mnist or cifar10", image_dataset_names());
    f.field("root", root, "directory with the dataset's files (empty: the default location)");
    f.field("train_size", train_size, "training examples used (0: all left after validation)", {0});
    f.field("validation_size", validation_size, "examples held out of the training file for validation", {0});
    f.field("test_size", test_size, "test examples evaluated (0: all)", {0});
    f.field("labels", labels, "task: classes, or binary by merging classes: halves, parity, list", label_map_kinds());
    f.field("positive_classes", positive_classes, "labels = list: the classes labelled +1", {0});
  }
  LabelMap label_map() const;  // UserError for positive_classes without labels = "list"
};

// A dataset, its fixed splits, and the labels a classifier learns on it.
struct ImageTask {
  ImageData data;
  Splits splits;  // labels are class indices
  LabelMap labels;

  int64_t classes() const { return static_cast<int64_t>(data.class_names.size()); }
  int64_t outputs() const { return is_binary(labels) ? 1 : classes(); }  // a binary task has one score
  ModelTask model_task() const { return {data.name, labels}; }
  // The splits with the task's labels.
  Dataset train() const { return apply_label_map(splits.train, labels, classes()); }
  Dataset validation() const { return apply_label_map(splits.validation, labels, classes()); }
  Dataset test() const { return apply_label_map(splits.test, labels, classes()); }
};

ImageTask load_image_task(const ImageDataOptions& options);

// The spec of a network with the model.* keys of `model`, for this data and output count.
ImageModelSpec image_model_spec(ImageModelSpec model, const ImageData& data, int64_t outputs);

// The keys of one image classifier's training: data.*, model.*, train.* (with augment and
// patience) and adversarial.*.
struct ImageTraining {
  ImageDataOptions data;
  ImageModelSpec model;
  TrainOptions train;
  std::string augment = "none";
  int64_t patience = 0;
  AdversarialTraining adversarial;

  // `robustlab train`'s defaults: a small CNN on Fashion-MNIST, SGD with a cosine schedule.
  static ImageTraining defaults();
  void fields(Fields& f);
  // data.*, model.* and train.* only: for a study that sets the adversarial training itself.
  void fields_without_adversarial(Fields& f);
  TrainOptions training_options() const;  // train.* with augmentation, patience, adversarial
  Workload workload() const;              // MLPs are matrix products, CNNs oneDNN convolutions
  // The memory training `models` such classifiers on the whole dataset needs at most: the dataset
  // as floats (with its splits), each model's weights, gradients and optimiser state, and a batch's
  // activations (with the adversarial inputs). From the config alone, before anything is loaded.
  double memory_bytes(int64_t models = 1) const;
};

struct TrainedClassifier {
  ImageClassifier model{nullptr};
  TrainLog log;
};

// Trains a classifier on `train`, with validation accuracy after every epoch (early stopping with
// options.patience). Its random streams (experiment/fit.h) are named `streams`, by default its
// name; two classifiers given the same streams start from the same weights (as far as their
// shapes agree: every layer but the last) and see the same examples in the same order.
// `after_epoch`, when given, is called after every epoch with the model in eval mode and the
// epoch's number (from 1): for curves over training measured on the model itself.
using EpochProbe = std::function<void(const Forward& model, int64_t epoch)>;
TrainedClassifier train_image_classifier(const std::string& name, const ImageModelSpec& spec, const Dataset& train,
                                         const Dataset& validation, TrainOptions options, const RunContext& context,
                                         const std::string& streams = "", const EpochProbe& after_epoch = {});

}  // namespace robustlab
