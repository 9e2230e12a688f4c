#include "train/checkpoint.h"

#include "runtime/user_error.h"

namespace robustlab {
namespace {

torch::Tensor bytes_tensor(const std::string& bytes) {
  return torch::from_blob(const_cast<char*>(bytes.data()), {static_cast<int64_t>(bytes.size())}, torch::kUInt8).clone();
}

std::string tensor_bytes(const torch::Tensor& t) {
  const torch::Tensor c = t.contiguous();
  return std::string(reinterpret_cast<const char*>(c.data_ptr<uint8_t>()), static_cast<size_t>(c.numel()));
}

// Per-epoch records as a [E, 5] float64 tensor: epoch, lr, train_loss, validation, seconds.
torch::Tensor records_tensor(const std::vector<EpochRecord>& records) {
  std::vector<double> flat;
  for (const auto& r : records) flat.insert(flat.end(), {static_cast<double>(r.epoch), r.lr, r.train_loss, r.validation, r.seconds});
  return torch::tensor(flat, torch::kFloat64).view({static_cast<int64_t>(records.size()), 5});
}

std::vector<EpochRecord> records_from(const torch::Tensor& t) {
  std::vector<EpochRecord> records;
  const auto rows = t.accessor<double, 2>();
  for (int64_t i = 0; i < t.size(0); ++i)
    records.push_back({static_cast<int64_t>(rows[i][0]), rows[i][1], rows[i][2], rows[i][3], rows[i][4]});
  return records;
}

}  // namespace

void save_checkpoint(const std::string& path, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                     const at::Generator& generator, const LoopState& s,
                     const std::map<std::string, std::string>& texts) {
  torch::serialize::OutputArchive archive;
  optimizer.save(archive);
  std::ostringstream optimizer_bytes;
  archive.save_to(optimizer_bytes);

  StateFile training = empty_state_file();
  training.insert("epoch", s.epoch);
  training.insert("step", s.step);
  training.insert("optimizer", bytes_tensor(optimizer_bytes.str()));
  training.insert("generator", generator.get_state());
  training.insert("loss", torch::tensor(s.log.loss, torch::kFloat64));
  training.insert("epochs", records_tensor(s.log.epochs));
  training.insert("best_epoch", s.log.best_epoch);
  training.insert("best_metric", s.best_metric);
  training.insert("since_best", s.since_best);
  if (s.best_model) training.insert("best_model", *s.best_model);

  StateFile file = make_state_file(model, texts);
  file.insert("training", training);
  save_state_file(path, file);
}

LoopState load_checkpoint(const std::string& path, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                          at::Generator& generator, const std::map<std::string, std::string>& texts) {
  const StateFile file = load_state_file(path);
  for (const auto& [key, value] : texts)
    if (state_text(file, key, path) != value)
      throw UserError(path + ": was written by a run with a different " + key +
                      "; resume needs the same settings (or start afresh without --resume)");
  load_module_state(model, state_tensors(file, "model", path), path);
  const c10::IValue training_value = state_entry(file, "training", path);
  if (!training_value.isGenericDict()) throw UserError(path + ": holds weights only, not a training checkpoint");
  const StateFile training = training_value.toGenericDict();

  std::istringstream optimizer_bytes(tensor_bytes(state_entry(training, "optimizer", path).toTensor()));
  torch::serialize::InputArchive archive;
  archive.load_from(optimizer_bytes);
  optimizer.load(archive);
  generator.set_state(state_entry(training, "generator", path).toTensor());

  LoopState s;
  s.epoch = state_entry(training, "epoch", path).toInt();
  s.step = state_entry(training, "step", path).toInt();
  const torch::Tensor loss = state_entry(training, "loss", path).toTensor().contiguous();
  s.log.loss.assign(loss.data_ptr<double>(), loss.data_ptr<double>() + loss.numel());
  s.log.epochs = records_from(state_entry(training, "epochs", path).toTensor());
  s.log.best_epoch = state_entry(training, "best_epoch", path).toInt();
  s.best_metric = state_entry(training, "best_metric", path).toDouble();
  s.since_best = state_entry(training, "since_best", path).toInt();
  if (training.contains("best_model")) s.best_model = state_tensors(training, "best_model", path);
  s.log.resumed_from_epoch = s.epoch;
  return s;
}

}  // namespace robustlab
