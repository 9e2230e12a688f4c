// One epoch of training, one PGD-10 evaluation pass and one epoch of PGD-7 adversarial training
// (Madry; 5000 examples) of the MLP and the small CNN on Fashion-MNIST: robustlab (its thread
// plan, kernels, data already in memory as one tensor) against the same work in plain LibTorch
// (plain_libtorch.h) in a child process of this run. Counters: examples per second of each, and
// robustlab's speed-up.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "data/images/file_bytes.h"
#include "data/images/image_datasets.h"
#include "data/images/splits.h"
#include "plain_libtorch.h"
#include "probes/robust_accuracy.h"
#include "runtime/random.h"
#include "runtime/threads.h"
#include "experiment/image_task.h"

namespace robustlab::bench {
namespace {

constexpr long kTrainExamples = 20000, kTestExamples = 2000, kAdversarialExamples = 5000;

const ImageData& fashion_mnist() {
  static const ImageData data = load_image_dataset("fashion-mnist", "");
  return data;
}

// torch::data's MNIST reader wants uncompressed files: write them once to a temporary directory.
std::string uncompressed_copy() {
  static const std::string dir = [] {
    const std::string d = std::filesystem::temp_directory_path().string() + "/robustlab-bench-fashion-mnist";
    std::filesystem::create_directories(d);
    for (const char* f : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                          "t10k-labels-idx1-ubyte"}) {
      const auto bytes = read_file_bytes(default_data_root("fashion-mnist") + "/" + f + ".gz", uint64_t{1} << 30);
      std::ofstream(d + "/" + f, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    }
    return d;
  }();
  return dir;
}

Throughput reference(const std::string& architecture) {
  char self[PATH_MAX] = {};
  if (readlink("/proc/self/exe", self, sizeof self - 1) <= 0) return {};
  const std::string cmd = "env -u OPENBLAS_CORETYPE ROBUSTLAB_BLAS_TUNING=off ROBUSTLAB_BENCH_PLAIN=" + architecture +
                          " ROBUSTLAB_BENCH_ROOT=" + uncompressed_copy() + " '" + self + "'";
  FILE* child = popen(cmd.c_str(), "r");
  Throughput t;
  if (!child || std::fscanf(child, "%lf %lf %lf", &t.train_examples_per_s, &t.pgd10_examples_per_s,
                            &t.pgd_training_examples_per_s) != 3)
    t = {};
  if (child) pclose(child);
  return t;
}

// Args: {0: mlp, 1: small-cnn}.
void BM_ImageTrainingAndPgd10(benchmark::State& state) {
  const std::string architecture = state.range(0) == 0 ? "mlp" : "small-cnn";
  ImageTraining standard = ImageTraining::defaults();
  standard.model.architecture = architecture;
  standard.train.epochs = 1;
  standard.train.schedule = "constant";
  standard.train.weight_decay = 0;
  ImageTraining adversarial = standard;
  adversarial.adversarial.method = "pgd";
  adversarial.adversarial.eps = 0.1;
  adversarial.adversarial.alpha = 0.025;
  adversarial.adversarial.steps = 7;
  apply_thread_plan(plan_threads(0, standard.workload()));
  const Splits splits = split_image_data(fashion_mnist(), kTrainExamples, 0, kTestExamples);
  const ImageModelSpec spec = image_model_spec(standard.model, fashion_mnist(), 10);
  const Splits adversarial_splits = split_image_data(fashion_mnist(), kAdversarialExamples, 0, 1);
  double train_rate = 0, pgd_rate = 0, adversarial_rate = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    const TrainedClassifier trained = train_image_classifier("bench", spec, splits.train, splits.validation,
                                                             standard.training_options(), RunContext{});
    train_rate = kTrainExamples / std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const Victim victim = make_victim(forward_of(torch::nn::AnyModule(trained.model)), Box{});
    AttackSpec pgd;
    pgd.name = "pgd-linf";
    pgd.steps = 10;
    start = std::chrono::steady_clock::now();
    robust_accuracy_curve("bench", victim, splits.test.inputs, splits.test.labels, {{pgd, {0.1}}}, 0, 500);
    pgd_rate = kTestExamples / std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    start = std::chrono::steady_clock::now();
    train_image_classifier("bench", spec, adversarial_splits.train, adversarial_splits.validation,
                           adversarial.training_options(), RunContext{});
    adversarial_rate = kAdversarialExamples / std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  const Throughput plain = reference(architecture);
  state.counters["train_examples_per_s"] = train_rate;
  state.counters["plain_train_examples_per_s"] = plain.train_examples_per_s;
  state.counters["train_speedup"] = plain.train_examples_per_s > 0 ? train_rate / plain.train_examples_per_s : 0;
  state.counters["pgd10_examples_per_s"] = pgd_rate;
  state.counters["plain_pgd10_examples_per_s"] = plain.pgd10_examples_per_s;
  state.counters["pgd10_speedup"] = plain.pgd10_examples_per_s > 0 ? pgd_rate / plain.pgd10_examples_per_s : 0;
  state.counters["pgd_training_examples_per_s"] = adversarial_rate;
  state.counters["plain_pgd_training_examples_per_s"] = plain.pgd_training_examples_per_s;
  state.counters["pgd_training_speedup"] =
      plain.pgd_training_examples_per_s > 0 ? adversarial_rate / plain.pgd_training_examples_per_s : 0;
  state.SetLabel(architecture);
}
BENCHMARK(BM_ImageTrainingAndPgd10)->Arg(0)->Arg(1)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
}  // namespace robustlab::bench
