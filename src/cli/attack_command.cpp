#include "cli/attack_command.h"

#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "config/config.h"
#include "data/images/label_maps.h"
#include "data/images/splits.h"
#include "experiment/evaluate.h"
#include "cli/attack_target.h"
#include "report/results_json.h"
#include "runtime/environment.h"
#include "runtime/sha256.h"
#include "report/csv.h"
#include "runtime/atomic_file.h"
#include "runtime/output_directory.h"
#include "runtime/user_error.h"

namespace robustlab {
namespace {

double parse_eps_value(const std::string& text, const std::string& option) {
  const std::optional<double> v = parse_number(text);
  if (!v) throw UserError(option + ": '" + text + "' is not a number or a fraction like 8/255");
  if (*v < 0 || std::isnan(*v)) throw UserError(option + ": " + text + " is negative");
  // Inputs live in [0, 1]: even an l2 ball around a 3072-pixel image needs a radius below 56.
  constexpr double kLargest = 1e6;
  if (!(*v <= kLargest)) throw UserError(option + ": " + text + " is not a radius (at most 1e6)");
  return *v;
}

// One row per test image, attack and eps: the image's position in the dataset's test file, its
// label, whether the model is still right and what it answers.
std::string per_example_csv(const Evaluation& e, const at::Tensor& index, const at::Tensor& labels) {
  std::ostringstream out;
  out << std::setprecision(10) << "example,label,attack,norm,eps,correct,predicted\n";
  const at::Tensor y = labels.cpu();
  for (const auto& o : e.outcomes)
    for (int64_t i = 0; i < o.correct.size(0); ++i)
      out << index[i].item<int64_t>() << ',' << y[i].item<int64_t>() << ',' << o.attack << ',' << o.norm << ','
          << o.eps << ',' << (o.correct[i].item<bool>() ? 1 : 0) << ',' << o.predicted[i].item<int64_t>() << '\n';
  return out.str();
}

}  // namespace

void add_attack_command(CLI::App& app, AttackCommandOptions& o, CLI::App*& cmd) {
  cmd = app.add_subcommand("attack", "robust accuracy of a saved model under attacks");
  cmd->add_option("--model", o.model,
                  "a model file written by robustlab (train, a study), or a TorchScript file saved from Python: "
                  "torch.jit.save(torch.jit.script(model), FILE) with inputs Nx C x H x W in [0,1], logits out, "
                  "normalisation inside the model (TorchScript runs code: load only files you trust)")
      ->required();
  cmd->add_option("--data", o.data, "dataset (default: the one a robustlab model was trained on; required for TorchScript)");
  cmd->add_option("--root", o.root, "directory with the dataset's files (default: its usual place)");
  cmd->add_option("--attack", o.attacks, "attack name (repeatable; see robustlab list)")->required();
  cmd->add_option("--eps", o.eps, "radii, e.g. --eps 0.05,0.1 or 8/255")->required()->delimiter(',');
  cmd->add_option("--alpha", o.alpha, "absolute step size (default 2.5*eps/steps)");
  cmd->add_option("--steps", o.steps, "iterations of iterative attacks (default: PGD 10, APGD and auto 100)")
      ->check(whole_number(1, 1000000000));
  cmd->add_option("--restarts", o.restarts, "restarts (per-example worst case)")->check(whole_number(1, 1000000000));
  cmd->add_option("--targets", o.targets, "apgd-t, auto: target classes (default min(9, classes - 1))")
      ->check(whole_number(1, 1000000000));
  cmd->add_option("--queries", o.queries, "square, auto: queries per example")->check(whole_number(1, 1000000000));
  cmd->add_option("--random-start", o.random_start, "none, sphere or ball")->check(CLI::IsMember({"none", "sphere", "ball"}));
  cmd->add_option("--examples", o.examples, "test examples attacked (0: all)")->check(whole_number(0, 1000000000));
  cmd->add_option("--seed", o.seed, "seed of the attacks' random starts")->check(whole_number(0, INT64_MAX));
  cmd->add_option("--out", o.out, "write the table as CSV to this file");
  cmd->add_option("--json", o.json, "write the results (and the model file's SHA-256) as JSON to this file");
  cmd->add_option("--per-example", o.per_example,
                  "write every test image's outcome under every attack and eps as CSV to this file");
  add_runtime_flags(cmd, o.runtime);
}

int run_attack_command(const AttackCommandOptions& o) {
  std::vector<double> eps_values;
  for (const auto& e : o.eps) eps_values.push_back(parse_eps_value(e, "--eps"));
  const std::optional<double> alpha = o.alpha.empty() ? std::nullopt : std::optional(parse_eps_value(o.alpha, "--alpha"));
  for (const auto& name : o.attacks) find_attack(name);  // unknown names fail before any work
  // An attack asks for input gradients only: the same numbers at any thread count.
  RuntimeFlags runtime = o.runtime;
  runtime.threads = resolve_threads(o.runtime.threads, Workload::Elementwise);
  const RunContext ctx = start_runtime(runtime, Workload::Elementwise);

  std::error_code ec;
  if (!o.root.empty() && !std::filesystem::is_directory(o.root, ec))
    throw UserError("--root " + o.root + ": " + (ec && ec != std::errc::no_such_file_or_directory ? ec.message() : "no such directory"));
  for (const auto& file : {o.out, o.json, o.per_example})
    if (!file.empty()) check_output_path(file, {o.model, o.root}, "--out");
  const AttackTarget target = load_attack_target(o.model, o.data, ctx.device);
  const ImageData data = load_image_dataset(target.dataset, o.root);
  if (o.examples > data.test.size())
    throw UserError("--examples " + std::to_string(o.examples) + ": more than the " + std::to_string(data.test.size()) +
                    " test images of " + target.dataset);
  const Splits splits = split_image_data(data, 0, 0, o.examples);
  const int64_t classes = static_cast<int64_t>(data.class_names.size());
  const Dataset test = apply_label_map(splits.test, target.labels, classes).to(ctx.device);
  check_fits(target, o.model, test, classes);

  const Victim victim = make_victim(forward_of(target.model), test.box);
  std::vector<AttackGrid> attacks;
  for (const auto& name : o.attacks) {
    AttackSpec spec;
    spec.name = name;
    spec.steps = o.steps > 0 ? o.steps : std::max(find_attack(name).default_steps, 1);
    spec.alpha_per_eps = 2.5 / spec.steps;
    spec.alpha = alpha.value_or(0.0);
    spec.random_start = parse_random_start(o.random_start);
    spec.restarts = o.restarts;
    spec.targets = o.targets;
    spec.queries = o.queries;
    attacks.push_back({spec, eps_values});
  }
  const std::string model_name = std::filesystem::path(o.model).stem().string();
  const std::string norm = norm_name(find_attack(o.attacks.front()).norm);
  const Evaluation evaluation =
      evaluate(model_name, victim, test, attacks, norm, static_cast<uint64_t>(o.seed), !o.per_example.empty());
  const std::vector<RobustAccuracyPoint>& rows = evaluation.curve;
  Table table = robust_accuracy_table();
  add_curve(table, rows);

  if (!o.out.empty()) write_file_atomically(o.out, table_csv(table));
  if (!o.per_example.empty()) write_file_atomically(o.per_example, per_example_csv(evaluation, splits.test_index, test.labels));
  if (!o.json.empty()) {
    const nlohmann::json results = {{"command", "attack"},
                                    {"model", o.model},
                                    {"model_sha256", file_sha256(o.model)},
                                    {"model_kind", target.kind},
                                    {"dataset", target.dataset},
                                    {"labels", target.labels.kind},
                                    {"examples", test.size()},
                                    {"seed", o.seed},
                                    {"robust_accuracy", table_json(table)},
                                    {"warnings", warnings_json(evaluation.warnings)},
                                    {"runtime", runtime_json(describe_runtime(ctx.device))}};
    write_file_atomically(o.json, results.dump(2) + "\n");
  }
  if (!o.runtime.quiet) {
    std::cout << o.model << " on " << test.size() << " " << target.dataset << " test images (" << target.labels.kind << ")\n";
    std::cout << std::left << std::setw(10) << "attack" << std::setw(6) << "norm" << std::setw(11) << "eps"
              << std::setw(11) << "alpha" << std::setw(7) << "steps" << "accuracy\n";
    for (const auto& r : rows)
      std::cout << std::left << std::setw(10) << r.attack << std::setw(6) << r.norm << std::setw(11) << r.eps
                << std::setw(11) << r.alpha << std::setw(7) << r.steps << std::fixed << std::setprecision(4)
                << r.accuracy << std::defaultfloat << "\n";
  }
  for (const auto& w : evaluation.warnings) std::cerr << "warning: " << w.text << "\n";
  return 0;
}

}  // namespace robustlab
