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
  training.insert("stopped_early", int64_t{s.log.stopped_early});
  if (s.best_model) training.insert("best_model", *s.best_model);

  StateFile file = make_state_file(model, texts);
  file.insert("training", training);
  save_state_file(path, file);
}

namespace {

// A typed entry of the checkpoint; UserError naming file and entry when it is absent or of another type.
int64_t integer_entry(const StateFile& d, const std::string& key, const std::string& path) {
  const c10::IValue v = state_entry(d, key, path);
  if (!v.isInt()) throw UserError(path + ": entry '" + key + "' is not an integer");
  return v.toInt();
}
double number_entry(const StateFile& d, const std::string& key, const std::string& path) {
  const c10::IValue v = state_entry(d, key, path);
  if (!v.isDouble()) throw UserError(path + ": entry '" + key + "' is not a number");
  return v.toDouble();
}
torch::Tensor tensor_entry(const StateFile& d, const std::string& key, const std::string& path, torch::ScalarType type,
                           int64_t dims) {
  const c10::IValue v = state_entry(d, key, path);
  if (!v.isTensor() || v.toTensor().scalar_type() != type || v.toTensor().dim() != dims)
    throw UserError(path + ": entry '" + key + "' is not a " + std::to_string(dims) + "-D " + c10::toString(type) + " tensor");
  return v.toTensor().contiguous();
}

// The optimiser's per-parameter state (momentum, Adam's moments) has the shape of its parameter:
// an archive from another model would otherwise fail, or worse, at the first step.
void check_optimizer_state(torch::optim::Optimizer& optimizer, const std::string& path) {
  for (auto& group : optimizer.param_groups())
    for (auto& p : group.params()) {
      const auto it = optimizer.state().find(c10::guts::to_string(p.unsafeGetTensorImpl()));
      if (it == optimizer.state().end()) continue;
      std::vector<torch::Tensor> tensors;
      if (auto* sgd = dynamic_cast<torch::optim::SGDParamState*>(it->second.get())) tensors = {sgd->momentum_buffer()};
      if (auto* adam = dynamic_cast<torch::optim::AdamParamState*>(it->second.get()))
        tensors = {adam->exp_avg(), adam->exp_avg_sq(), adam->max_exp_avg_sq()};
      for (const auto& t : tensors)
        if (t.defined() && t.sizes() != p.sizes())
          throw UserError(path + ": its optimiser state does not fit this model (from another run?)");
    }
}

}  // namespace

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

  try {
    std::istringstream optimizer_bytes(tensor_bytes(tensor_entry(training, "optimizer", path, torch::kUInt8, 1)));
    torch::serialize::InputArchive archive;
    archive.load_from(optimizer_bytes);
    optimizer.load(archive);
    generator.set_state(tensor_entry(training, "generator", path, torch::kUInt8, 1));
  } catch (const c10::Error& e) {
    throw UserError(path + ": unreadable optimiser or generator state (" + e.what_without_backtrace() + ")");
  }
  check_optimizer_state(optimizer, path);

  LoopState s;
  s.epoch = integer_entry(training, "epoch", path);
  s.step = integer_entry(training, "step", path);
  const torch::Tensor loss = tensor_entry(training, "loss", path, torch::kFloat64, 1);
  s.log.loss.assign(loss.data_ptr<double>(), loss.data_ptr<double>() + loss.numel());
  const torch::Tensor epochs = tensor_entry(training, "epochs", path, torch::kFloat64, 2);
  if (epochs.size(0) > 0 && epochs.size(1) != 5) throw UserError(path + ": entry 'epochs' is not [epochs, 5]");
  s.log.epochs = records_from(epochs);
  s.log.best_epoch = integer_entry(training, "best_epoch", path);
  s.best_metric = number_entry(training, "best_metric", path);
  s.since_best = integer_entry(training, "since_best", path);
  if (training.contains("stopped_early")) s.log.stopped_early = integer_entry(training, "stopped_early", path) != 0;
  if (training.contains("best_model")) s.best_model = state_tensors(training, "best_model", path);
  // Counters that describe one consistent point of a run, or the file was edited.
  if (s.epoch < 0 || s.step < 0 || static_cast<int64_t>(s.log.loss.size()) != s.step ||
      static_cast<int64_t>(s.log.epochs.size()) != s.epoch || s.log.best_epoch < 0 || s.log.best_epoch > s.epoch ||
      s.since_best < 0 || s.since_best > s.epoch)
    throw UserError(path + ": its counters (epoch " + std::to_string(s.epoch) + ", step " + std::to_string(s.step) +
                    ") do not match its logs; the file is damaged or was edited");
  s.log.resumed_from_epoch = s.epoch;
  return s;
}

}  // namespace robustlab
