#include "models/model_file.h"

#include "runtime/random.h"
#include "runtime/user_error.h"

namespace robustlab {

std::string ModelTask::to_json() const {
  return nlohmann::json{{"dataset", dataset}, {"labels", labels.kind}, {"positive_classes", labels.positive}}.dump();
}

ModelTask ModelTask::from_json(const std::string& text, const std::string& source) {
  try {
    const auto j = nlohmann::json::parse(text);
    ModelTask task;
    task.dataset = j.at("dataset").get<std::string>();
    task.labels.kind = j.at("labels").get<std::string>();
    task.labels.positive = j.at("positive_classes").get<std::vector<int64_t>>();
    return task;
  } catch (const nlohmann::json::exception& e) {
    throw UserError(source + ": malformed task entry (" + e.what() + ")");
  }
}

std::map<std::string, std::string> model_file_texts(const ImageModelSpec& spec, const ModelTask& task,
                                                    const std::string& config_toml) {
  std::map<std::string, std::string> texts{{"spec", spec.to_json()}, {"task", task.to_json()}};
  if (!config_toml.empty()) texts["config"] = config_toml;
  return texts;
}

StateFile model_file(ImageClassifier& model, const ModelTask& task, const std::string& config_toml) {
  return make_state_file(*model, model_file_texts(model->spec, task, config_toml));
}

LoadedModel load_model_file(const std::string& path, const c10::Device& device) {
  const StateFile file = load_state_file(path);
  LoadedModel out;
  at::Generator unused = make_generator(0);  // the weights are overwritten from the file
  out.model = ImageClassifier(ImageModelSpec::from_json(state_text(file, "spec", path)), unused);
  load_module_state(*out.model, state_tensors(file, "model", path), path);
  out.model->to(device);
  out.model->eval();
  out.task = ModelTask::from_json(state_text(file, "task", path), path);
  return out;
}

}  // namespace robustlab
