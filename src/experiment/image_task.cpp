#include "experiment/image_task.h"

#include "experiment/fit.h"
#include "probes/accuracy.h"
#include "runtime/user_error.h"
#include "train/augment.h"

namespace robustlab {

LabelMap ImageDataOptions::label_map() const {
  LabelMap map;
  map.kind = labels;
  map.positive = positive_classes;
  if (map.kind != "list" && !map.positive.empty())
    throw UserError("data.positive_classes: only used with data.labels = \"list\"");
  return map;
}

ImageTask load_image_task(const ImageDataOptions& o) {
  ImageTask task;
  task.labels = o.label_map();
  task.data = load_image_dataset(o.name, o.root);
  if (is_binary(task.labels)) class_signs(task.labels, task.classes());  // a bad list fails now
  task.splits = split_image_data(task.data, o.train_size, o.validation_size, o.test_size);
  return task;
}

ImageModelSpec image_model_spec(ImageModelSpec spec, const ImageData& data, int64_t outputs) {
  const auto& shape = data.train.inputs.sizes();
  spec.input_shape = {shape[1], shape[2], shape[3]};
  spec.outputs = outputs;
  spec.channel_mean = data.channel_mean;
  spec.channel_std = data.channel_std;
  return spec;
}

ImageTraining ImageTraining::defaults() {
  ImageTraining t;
  t.train.optimizer = "sgd";
  t.train.lr = 0.05;
  t.train.momentum = 0.9;
  t.train.weight_decay = 5e-4;
  t.train.epochs = 10;
  t.train.batch_size = 128;
  t.train.schedule = "cosine";
  t.train.warmup_epochs = 1;  // SGD with momentum at full lr from a random init can kill every ReLU
  return t;
}

namespace {
// train.augment and train.patience: training keys only image classifiers have.
struct ImageTrainingExtras {
  std::string& augment;
  int64_t& patience;
  void fields(Fields& f) {
    f.field("augment", augment, "none, or crop-flip (pad 4, random crop, horizontal flip)", {"none", "crop-flip"});
    f.field("patience", patience, "early stopping: epochs without a better validation accuracy (0: off)", {0});
  }
};
}  // namespace

void ImageTraining::fields(Fields& f) {
  fields_without_adversarial(f);
  f.group("adversarial", adversarial);
}

void ImageTraining::fields_without_adversarial(Fields& f) {
  f.group("data", data);
  f.group("model", model);
  f.group("train", train);
  ImageTrainingExtras extras{augment, patience};
  f.group("train", extras);
}

TrainOptions ImageTraining::training_options() const {
  TrainOptions o = train;
  o.patience = patience;
  o.adversarial = adversarial;
  check_adversarial_training(o.adversarial);
  if (augment == "crop-flip")
    o.augment = [](const torch::Tensor& x, at::Generator& gen) { return random_crop_flip(x, 4, gen); };
  return o;
}

Workload ImageTraining::workload() const {
  return model.architecture == "mlp" ? Workload::Elementwise : Workload::Convolutions;
}

double ImageTraining::memory_bytes(int64_t models) const {
  const ImageDatasetSize size = image_dataset_size(data.name);
  double pixels = 1;
  for (int64_t s : size.image_shape) pixels *= static_cast<double>(s);
  ImageModelSpec spec = model;
  spec.input_shape = size.image_shape;
  spec.outputs = 10;
  const double parameters = parameter_count(spec);
  double widest = pixels;
  for (int64_t h : model.hidden) widest = std::max(widest, static_cast<double>(h));
  if (model.architecture != "mlp") widest = std::max(widest, 64 * pixels);  // feature maps
  const double batch = std::min(static_cast<double>(train.batch_size), static_cast<double>(size.images));
  constexpr double kFloat = 4;
  return kFloat * (3 * static_cast<double>(size.images) * pixels + 5 * parameters * static_cast<double>(models) +
                   8 * batch * widest);
}

TrainedClassifier train_image_classifier(const std::string& name, const ImageModelSpec& spec, const Dataset& train_set,
                                         const Dataset& validation, TrainOptions options, const RunContext& ctx,
                                         const std::string& streams, const EpochProbe& after_epoch) {
  const std::string stream = streams.empty() ? name : streams;
  TrainedClassifier out;
  out.model = build<ImageClassifier>(stream, spec, ctx);
  const Forward forward = forward_of(torch::nn::AnyModule(out.model));
  const Dataset train_on = train_set.to(ctx.device), validate_on = validation.to(ctx.device);
  options.adversarial.box = train_set.box;
  if (validate_on.size() > 0)
    options.validate = [forward, validate_on] { return accuracy(forward, validate_on.inputs, validate_on.labels); };
  if (after_epoch) options.on_epoch = [forward, after_epoch](int64_t epoch) { after_epoch(forward, epoch); };
  out.log = fit(stream, torch::nn::AnyModule(out.model), train_on.inputs, train_on.labels, options, ctx);
  return out;
}

}  // namespace robustlab
