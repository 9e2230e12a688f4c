// What a sweep costs beyond its runs: `robustlab sweep` over 3 widths x 2 seeds of a test-size
// feature-averaging (one job, one thread) against the same six `robustlab run` commands typed one
// after another, both timed in this run. Counters: the sweep's extra milliseconds per cell
// (validating every cell, one process per cell, the store's writes) and the ratio of the times.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace robustlab::bench {
namespace {

const std::string kBinary = ROBUSTLAB_BINARY_DIR "/robustlab";
const std::vector<std::string> kSets = {"data.d=512", "data.train_per_cluster=40", "data.test_per_cluster=40",
                                        "attack.eps=\"2:30:4\"", "adversarial.width=0", "attack.check_steps=0"};
const std::vector<int> kWidths = {2, 4, 8};
const std::vector<int> kSeeds = {0, 1};

double seconds_of(const std::string& command) {
  const auto start = std::chrono::steady_clock::now();
  if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void BM_SweepOverheadPerCell(benchmark::State& state) {
  const std::string dir = ROBUSTLAB_BINARY_DIR "/bench-sweep";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/width.toml") << "study = \"feature-averaging\"\nseeds = [0, 1]\n[set]\n"
                                     << [] {
                                          std::string s;
                                          for (const auto& kv : kSets)
                                            s += "\"" + kv.substr(0, kv.find('=')) + "\" = " + kv.substr(kv.find('=') + 1) + "\n";
                                          return s;
                                        }()
                                     << "[axes]\n\"binary.width\" = [2, 4, 8]\n";
  const double cells = static_cast<double>(kWidths.size() * kSeeds.size());
  double by_hand = 0, sweep = 0;
  int round = 0;
  for (auto _ : state) {
    const std::string tag = std::to_string(round++);
    std::string sets;
    for (const auto& kv : kSets) sets += " --set '" + kv + "'";
    for (int width : kWidths)
      for (int seed : kSeeds)
        by_hand += seconds_of(kBinary + " run feature-averaging -q --threads 1" + sets + " --set binary.width=" +
                              std::to_string(width) + " --seed " + std::to_string(seed) + " --out " + dir + "/hand-" +
                              tag + "-" + std::to_string(width) + "-" + std::to_string(seed));
    sweep += seconds_of(kBinary + " sweep " + dir + "/width.toml -q --jobs 1 --threads 1 --out " + dir + "/sweep-" + tag);
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["by_hand_s_per_cell"] = by_hand / n / cells;
  state.counters["sweep_s_per_cell"] = sweep / n / cells;
  state.counters["overhead_ms_per_cell"] = 1000 * (sweep - by_hand) / n / cells;
  state.counters["sweep_over_by_hand"] = sweep / by_hand;
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_SweepOverheadPerCell)->Iterations(2)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace
}  // namespace robustlab::bench
