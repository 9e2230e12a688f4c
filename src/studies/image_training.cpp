#include "studies/image_training.h"

#include "probes/accuracy.h"
#include "runtime/random.h"
#include "runtime/user_error.h"
#include "studies/adversarial_keys.h"
#include "studies/study.h"
#include "train/augment.h"
#include "train/state_file.h"

namespace robustlab {

void add_image_training_keys(Schema& s, const ImageKeyDefaults& d) {
  s.text("data.name", d.dataset, "dataset: fashion-mnist, mnist or cifar10", image_dataset_names())
      .text("data.root", "", "directory with the dataset's files (empty: the default location)")
      .integer("data.train_size", d.train_size, "training examples used (0: all left after validation)", 0)
      .integer("data.validation_size", d.validation_size, "examples held out of the training file for validation", 0)
      .integer("data.test_size", d.test_size, "test examples evaluated (0: all)", 0)
      .text("data.labels", d.labels, "task: classes, or binary by merging classes: halves, parity, list",
            label_map_kinds())
      .numbers("data.positive_classes", {}, "labels = list: the classes labelled +1", 0)
      .text("model.architecture", d.architecture, "mlp, small-cnn (LeNet-5 style) or resnet18 (CIFAR form)",
            image_architectures())
      .numbers("model.hidden", {256, 256}, "mlp: hidden layer widths", 1)
      .text("train.optimizer", d.optimizer, "sgd (momentum, weight decay) or adam", {"sgd", "adam"})
      .number("train.lr", d.lr, "learning rate (peak, before the schedule)", 0)
      .number("train.momentum", d.momentum, "sgd momentum", 0, 1)
      .number("train.weight_decay", d.weight_decay, "L2 weight decay", 0)
      .integer("train.epochs", d.epochs, "passes over the training data", 1)
      .integer("train.batch_size", d.batch_size, "minibatch size", 1)
      .text("train.schedule", d.schedule, "learning-rate schedule over epochs", {"constant", "step", "cosine"})
      .integer("train.schedule_step", 30, "step schedule: epochs between decays", 1)
      .number("train.schedule_gamma", 0.1, "step schedule: decay factor", 0, 1)
      .text("train.augment", "none", "none, or crop-flip (pad 4, random crop, horizontal flip)", {"none", "crop-flip"})
      .integer("train.patience", 0, "early stopping: epochs without a better validation accuracy (0: off)", 0);
  add_adversarial_keys(s, "adversarial", d.adversarial);
}

Schema image_training_schema() {
  Schema s = base_schema();
  add_image_training_keys(s, ImageKeyDefaults{});
  return s;
}

Workload image_workload(const std::string& architecture) {
  return architecture == "mlp" ? Workload::LargeGemm : Workload::Elementwise;
}

LabelMap label_map_from(const Config& c) {
  LabelMap map;
  map.kind = c.text("data.labels");
  for (double v : c.numbers("data.positive_classes")) {
    if (v != std::floor(v)) throw UserError("data.positive_classes: " + std::to_string(v) + " is not a class index");
    map.positive.push_back(static_cast<int64_t>(v));
  }
  if (map.kind != "list" && !map.positive.empty())
    throw UserError("data.positive_classes: only used with data.labels = \"list\"");
  return map;
}

ImageTask load_image_task(const Config& c) {
  ImageTask task;
  task.labels = label_map_from(c);
  task.data = load_image_dataset(c.text("data.name"), c.text("data.root"));
  if (is_binary(task.labels)) class_signs(task.labels, task.classes());  // a bad list fails now
  task.splits = split_image_data(task.data, c.integer("data.train_size"), c.integer("data.validation_size"),
                                 c.integer("data.test_size"));
  return task;
}

std::string ImageTask::to_json() const {
  return nlohmann::json{{"dataset", data.name}, {"labels", labels.kind}, {"positive_classes", labels.positive}}.dump();
}

ImageModelSpec image_model_spec(const Config& c, const ImageData& data, int64_t outputs) {
  ImageModelSpec spec;
  spec.architecture = c.text("model.architecture");
  const auto& shape = data.train.inputs.sizes();
  spec.input_shape = {shape[1], shape[2], shape[3]};
  spec.outputs = outputs;
  spec.hidden.clear();
  for (double h : c.numbers("model.hidden")) spec.hidden.push_back(static_cast<int64_t>(h));
  spec.channel_mean = data.channel_mean;
  spec.channel_std = data.channel_std;
  return spec;
}

TrainOptions training_options(const Config& c) {
  TrainOptions o;
  o.optimizer = c.text("train.optimizer");
  o.lr = c.number("train.lr");
  o.momentum = c.number("train.momentum");
  o.weight_decay = c.number("train.weight_decay");
  o.epochs = c.integer("train.epochs");
  o.batch_size = c.integer("train.batch_size");
  o.schedule = c.text("train.schedule");
  o.schedule_step = c.integer("train.schedule_step");
  o.schedule_gamma = c.number("train.schedule_gamma");
  o.patience = c.integer("train.patience");
  o.adversarial = read_adversarial_keys(c, "adversarial", std::nullopt);
  if (c.text("train.augment") == "crop-flip")
    o.augment = [](const torch::Tensor& x, at::Generator& gen) { return random_crop_flip(x, 4, gen); };
  return o;
}

TrainedClassifier train_image_classifier(const std::string& name, const ImageModelSpec& spec,
                                         const Dataset& train_set, const Dataset& validation,
                                         TrainOptions options, uint64_t seed, const c10::Device& device) {
  at::Generator init_gen = make_generator(seed, ("init/" + name).c_str());
  TrainedClassifier out;
  out.model = ImageClassifier(spec, init_gen);
  out.model->to(device);
  ImageClassifier model = out.model;
  const Forward forward = [model](const torch::Tensor& x) mutable { return model->forward(x); };
  const Dataset train_on = train_set.to(device), validate_on = validation.to(device);
  options.adversarial.box = train_set.box;
  if (validate_on.size() > 0)
    options.validate = [forward, validate_on] { return accuracy(forward, validate_on.inputs, validate_on.labels); };
  at::Generator order_gen = make_generator(seed, ("train/" + name).c_str());
  out.log = train(*out.model, forward, train_on.inputs, train_on.labels, options, order_gen, "train " + name);
  return out;
}

std::map<std::string, std::string> model_file_texts(const ImageModelSpec& spec, const ImageTask& task,
                                                    const std::string& config_toml) {
  std::map<std::string, std::string> texts{{"spec", spec.to_json()}, {"task", task.to_json()}};
  if (!config_toml.empty()) texts["config"] = config_toml;
  return texts;
}

LoadedClassifier load_image_classifier(const std::string& path, const c10::Device& device) {
  const StateFile file = load_state_file(path);
  LoadedClassifier out;
  at::Generator unused = make_generator(0);
  out.model = ImageClassifier(ImageModelSpec::from_json(state_text(file, "spec", path)), unused);
  load_module_state(*out.model, state_tensors(file, "model", path), path);
  out.model->to(device);
  out.model->eval();
  try {
    const auto task = nlohmann::json::parse(state_text(file, "task", path));
    out.dataset = task.at("dataset").get<std::string>();
    out.labels.kind = task.at("labels").get<std::string>();
    out.labels.positive = task.at("positive_classes").get<std::vector<int64_t>>();
  } catch (const nlohmann::json::exception& e) {
    throw UserError(path + ": malformed task entry (" + e.what() + ")");
  }
  return out;
}

}  // namespace robustlab
