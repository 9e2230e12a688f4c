// The parts that real-image studies and `robustlab train` share: the config keys of a dataset
// (data.*), an image classifier (model.*) and its training (train.*), what they build, and
// training one classifier from them. A trained classifier is saved as a state file
// (train/state_file.h) holding its spec and task, so `robustlab attack` can rebuild it from the
// file alone.
#pragma once
#include <c10/core/Device.h>
#include <map>
#include <string>

#include "config/config.h"
#include "data/label_maps.h"
#include "data/splits.h"
#include "models/image_classifier.h"
#include "runtime/threads.h"
#include "train/train.h"

namespace robustlab {

struct ImageKeyDefaults {
  std::string dataset = "fashion-mnist";
  int64_t train_size = 0, validation_size = 5000, test_size = 0;
  std::string labels = "classes";
  std::string architecture = "small-cnn";
  std::string optimizer = "sgd";
  double lr = 0.05, momentum = 0.9, weight_decay = 5e-4;
  int64_t epochs = 10, batch_size = 128;
  std::string schedule = "cosine";
  AdversarialTraining adversarial;  // method none: standard training
};

// data.name, data.root, data.train_size, data.validation_size, data.test_size, data.labels,
// data.positive_classes; model.architecture, model.hidden; train.*; adversarial.*.
void add_image_training_keys(Schema& schema, const ImageKeyDefaults& defaults);

// The config of `robustlab train`: seed and the keys above with their defaults.
Schema image_training_schema();

// How to split the cores for an architecture (runtime/threads.h): the MLP is matrix products
// (measured in bench/bench_image_training.cpp), CNNs are oneDNN convolutions.
Workload image_workload(const std::string& architecture);

// What a classifier is trained on and evaluated against: the dataset and its splits, and the task
// (which labels the classifier predicts).
struct ImageTask {
  ImageData data;
  Splits splits;  // labels are class indices; apply `labels` for the task's labels
  LabelMap labels;
  int64_t classes() const { return static_cast<int64_t>(data.class_names.size()); }
  std::string to_json() const;  // dataset and label map, stored in model files
};

ImageTask load_image_task(const Config& config);
LabelMap label_map_from(const Config& config);  // data.labels, data.positive_classes
ImageModelSpec image_model_spec(const Config& config, const ImageData& data, int64_t outputs);
TrainOptions training_options(const Config& config);  // train.* (augmentation included)

struct TrainedClassifier {
  ImageClassifier model{nullptr};
  TrainLog log;
};

// Trains a classifier on `train` (labels: the task's), with validation accuracy after every epoch
// (early stopping with train.patience). Initial weights come from (seed, "init/" + name), the
// order of examples and augmentation from (seed, "train/" + name).
TrainedClassifier train_image_classifier(const std::string& name, const ImageModelSpec& spec,
                                         const Dataset& train, const Dataset& validation,
                                         TrainOptions options, uint64_t seed, const c10::Device& device);

// The texts a model file holds: spec, task (and the resolved config when given).
std::map<std::string, std::string> model_file_texts(const ImageModelSpec& spec, const ImageTask& task,
                                                    const std::string& config_toml = "");

// A classifier rebuilt from a model or checkpoint file, and the task it was trained for.
struct LoadedClassifier {
  ImageClassifier model{nullptr};
  std::string dataset;
  LabelMap labels;
};
LoadedClassifier load_image_classifier(const std::string& path, const c10::Device& device);

}  // namespace robustlab
