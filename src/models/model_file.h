// A trained image classifier as one file: its spec (how to rebuild the network), its task (the
// dataset and label map it was trained for) and its weights. It is a state file
// (models/state_file.h), so Python reads it with torch.load; `robustlab attack` rebuilds the
// model from it alone.
#pragma once
#include <c10/core/Device.h>
#include <map>
#include <string>

#include "data/images/label_maps.h"
#include "models/image/image_classifier.h"
#include "models/state_file.h"

namespace robustlab {

struct ModelTask {
  std::string dataset;  // a name from data/images/image_datasets.h
  LabelMap labels;

  std::string to_json() const;
  static ModelTask from_json(const std::string& text, const std::string& source);  // UserError naming source
};

// The text entries of a model file (and of a checkpoint, which a resume must match): spec, task,
// and the run's resolved config when given.
std::map<std::string, std::string> model_file_texts(const ImageModelSpec& spec, const ModelTask& task,
                                                    const std::string& config_toml = "");

StateFile model_file(ImageClassifier& model, const ModelTask& task, const std::string& config_toml = "");

struct LoadedModel {
  ImageClassifier model{nullptr};  // in eval mode, on the device
  ModelTask task;
};

// From a model.pt or a checkpoint.pt. UserError naming the file for anything missing or malformed.
LoadedModel load_model_file(const std::string& path, const c10::Device& device);

}  // namespace robustlab
