// `robustlab attack --model FILE --attack NAME --eps LIST`: robust accuracy of a saved model (a
// model.pt or checkpoint.pt, a study's binary.pt, or any PyTorch model saved as TorchScript) on test
// images of its dataset, with its own task's labels, per attack and as the per-example worst case;
// the same attack options and the same CSV columns as the studies, and the gradient-masking
// warnings every evaluation gets.
#pragma once
#include <string>
#include <vector>

#include "cli/common_options.h"

namespace robustlab {

struct AttackCommandOptions {
  std::string model;
  std::string data;  // default: the dataset the model was trained on
  std::string root;
  std::vector<std::string> attacks;
  std::vector<std::string> eps;  // numbers or fractions (8/255)
  std::string alpha;             // absolute step; default 2.5·eps/steps
  int steps = 0;  // 0: each attack's own default (PGD 10, APGD and auto 100)
  int restarts = 1;
  int targets = 0;     // apgd-t, auto; 0: min(9, classes − 1)
  int queries = 1000;  // square, auto (AutoAttack uses 5000)
  std::string random_start = "ball";
  int64_t examples = 1000;
  int64_t seed = 0;
  std::string out;          // CSV file; default none
  std::string json;         // results as JSON, with the model file's SHA-256
  std::string per_example;  // every image's outcome as CSV
  RuntimeFlags runtime;
};

void add_attack_command(CLI::App& app, AttackCommandOptions& options, CLI::App*& command);
int run_attack_command(const AttackCommandOptions& options);

}  // namespace robustlab
