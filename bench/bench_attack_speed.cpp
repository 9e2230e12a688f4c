// robustlab's attacks against torchattacks 3.5.1 on the same model (an MLP on Fashion-MNIST,
// trained here), the same 1000 test images and the same thread count, in the same run: PGD-10,
// APGD-CE-100 and Square-1000 at linf eps 0.1, examples per second of each and the ratio.
// torchattacks runs in the tests' virtual environment (scripts/reference-libraries.sh).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "data/images/splits.h"
#include "experiment/image_task.h"
#include "probes/robust_accuracy.h"
#include "runtime/threads.h"

namespace robustlab::bench {
namespace {

const std::string kVenvPython = std::string(ROBUSTLAB_BINARY_DIR) + "/venv/bin/python";

struct Fixture {
  std::string model_path, indices_path;
  Dataset test;
};

const Fixture& fixture() {
  static const Fixture f = [] {
    Fixture out;
    ImageTraining t = ImageTraining::defaults();
    t.model.architecture = "mlp";
    t.model.hidden = {256};
    t.train.epochs = 2;
    const ImageData data = load_image_dataset("fashion-mnist", "");
    const Splits splits = split_image_data(data, 10000, 0, 1000);
    const ImageModelSpec spec = image_model_spec(t.model, data, 10);
    TrainedClassifier trained =
        train_image_classifier("bench", spec, splits.train, splits.validation, t.training_options(), RunContext{});
    const std::string dir = std::filesystem::temp_directory_path().string() + "/robustlab-bench-attack";
    std::filesystem::create_directories(dir);
    out.model_path = dir + "/model.pt";
    save_state_file(out.model_path, model_file(trained.model, {"fashion-mnist", {}}));
    out.indices_path = dir + "/indices.txt";
    std::ofstream indices(out.indices_path);
    for (int64_t i = 0; i < splits.test_index.size(0); ++i) indices << splits.test_index[i].item<int64_t>() << "\n";
    out.test = splits.test;
    return out;
  }();
  return f;
}

// torchattacks' examples per second for each attack, from a child process.
std::map<std::string, double> torchattacks_rates(int threads) {
  std::map<std::string, double> rates;
  const std::string cmd = kVenvPython + " " + ROBUSTLAB_SOURCE_DIR + "/bench/torchattacks_speed.py " +
                          fixture().model_path + " " + fixture().indices_path + " " + std::to_string(threads);
  FILE* child = popen(cmd.c_str(), "r");
  char name[64];
  double rate = 0;
  while (child && std::fscanf(child, "%63s %lf", name, &rate) == 2) rates[name] = rate;
  if (child) pclose(child);
  return rates;
}

// Args: {threads}.
void BM_AttackSpeedAgainstTorchattacks(benchmark::State& state) {
  if (!std::filesystem::exists(kVenvPython)) {
    state.SkipWithError("no tests' virtual environment: run scripts/reference-libraries.sh first");
    return;
  }
  const int threads = static_cast<int>(state.range(0));
  apply_thread_plan(plan_threads(threads, Workload::Elementwise));
  const Fixture& f = fixture();
  const LoadedModel loaded = load_model_file(f.model_path, torch::kCPU);
  const Victim victim = make_victim(forward_of(torch::nn::AnyModule(loaded.model)), Box{});
  std::map<std::string, double> ours;
  for (auto _ : state) {
    for (const auto& [name, attack, steps] : {std::tuple{"pgd10", "pgd-linf", 10}, std::tuple{"apgd100", "apgd-ce", 100},
                                              std::tuple{"square1000", "square", 0}}) {
      AttackSpec spec;
      spec.name = attack;
      spec.steps = steps > 0 ? steps : 1;
      spec.queries = 1000;
      const auto start = std::chrono::steady_clock::now();
      robust_accuracy_curve("bench", victim, f.test.inputs, f.test.labels, {{spec, {0.1}}}, 0);
      ours[name] = f.test.size() / std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
  }
  const std::map<std::string, double> theirs = torchattacks_rates(threads);
  for (const auto& [name, rate] : ours) {
    state.counters[name + "_examples_per_s"] = rate;
    const auto it = theirs.find(name);
    state.counters[name + "_torchattacks_examples_per_s"] = it == theirs.end() ? 0 : it->second;
    state.counters[name + "_speedup"] = it == theirs.end() ? 0 : rate / it->second;
  }
}
BENCHMARK(BM_AttackSpeedAgainstTorchattacks)->Arg(1)->Arg(2)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
}  // namespace robustlab::bench
