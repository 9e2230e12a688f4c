#include "studies/feature_purification_images.h"

#include "experiment/claims.h"
#include "experiment/evaluate.h"
#include "experiment/fit.h"
#include "experiment/image_table.h"
#include "probes/purification.h"
#include "probes/spatial_frequency.h"
#include "runtime/memory_budget.h"
#include "runtime/user_error.h"

namespace robustlab {

// 10 000 Fashion-MNIST training images, an MLP of 256 hidden units; 10 epochs of clean SGD, then
// 10 epochs of linf PGD-5 at eps 0.1 from the clean weights (the usual Fashion-MNIST radius).
// Enough for clean accuracy ~0.85 and for the first layer to move visibly, in about a minute.
PurificationImages PurificationImages::paper() {
  PurificationImages p;
  p.image = ImageTraining::defaults();
  p.image.data.train_size = 10000;
  p.image.data.validation_size = 1000;
  p.image.data.test_size = 1000;
  p.image.model.architecture = "mlp";
  p.image.model.hidden = {256};
  p.image.train.epochs = 10;
  p.image.adversarial.method = "pgd";
  p.image.adversarial.eps = 0.1;
  p.image.adversarial.steps = 5;
  return p;
}

void PurificationImages::fields(Fields& f) {
  f.field("enabled", enabled, "run the real-image part");
  image.fields(f);
  f.field("adversarial_epochs", adversarial_epochs, "epochs of adversarial training from the clean weights", {1});
  f.field("shown_neurons", shown_neurons, "first-layer neurons drawn before and after", {0, 1000});
  f.field("top_directions", top_directions, "singular directions of W' - W whose share of its energy is reported", {1});
  f.field("high_frequency", high_frequency, "radial frequency (cycles per pixel) above which energy counts as high",
          {0, 0.71});
  f.field("pgd_steps", pgd_steps, "steps of the evaluation's PGD at adversarial.eps", {1, 1000});
  f.group("verify", verify);
}

void PurificationImages::check() const {
  if (!enabled) return;
  if (image.model.architecture != "mlp")
    throw UserError("images.model.architecture: the decomposition reads an mlp's first layer; use mlp");
  if (image.adversarial.method == "none")
    throw UserError("images.adversarial.method: the second training must be adversarial (pgd, fast, one-step, ...)");
  check_adversarial_training(image.adversarial);
  require_memory("this config (images part)", image.memory_bytes(1));
}

namespace {

// The first Linear layer's weight [hidden, inputs], a copy on the CPU.
at::Tensor first_layer(const ImageClassifier& net) {
  for (const auto& module : net->extractor->modules(false))
    if (const auto* linear = module->as<torch::nn::LinearImpl>()) return linear->weight.detach().cpu().clone();
  throw UserError("images: the network has no linear layer to read");
}

// Neuron i's weight before and after as [C, H, W] pictures.
std::vector<std::pair<std::string, at::Tensor>> weight_pictures(const at::Tensor& clean, const at::Tensor& adversarial,
                                                                const ImageModelSpec& spec, int64_t shown) {
  std::vector<std::pair<std::string, at::Tensor>> pictures;
  for (int64_t i = 0; i < std::min(shown, clean.size(0)); ++i)
    for (const auto& [when, w] : {std::pair<std::string, at::Tensor>{"clean", clean}, {"adversarial", adversarial}})
      pictures.emplace_back("w" + std::to_string(i) + " " + when, w[i].view(spec.input_shape));
  return pictures;
}

}  // namespace

void run_purification_images(const PurificationImages& o, const RunContext& ctx, StudyResult& result) {
  const ImageTask task = load_image_task(o.image.data);
  const Dataset train = task.train().to(ctx.device), test = task.test().to(ctx.device);
  const ImageModelSpec spec = image_model_spec(o.image.model, task.data, task.outputs());
  const double eps = o.image.adversarial.eps;
  AttackSpec pgd;
  pgd.name = o.image.adversarial.norm == Norm::Linf ? "pgd-linf" : "pgd-l2";
  pgd.steps = o.pgd_steps;
  const std::vector<AttackGrid> grid = {{pgd, {eps}}};
  const std::string norm = norm_name(o.image.adversarial.norm);
  const auto evaluate_at_eps = [&](const std::string& name, const Victim& victim) {
    Evaluation e = evaluate(name, victim, test, grid, norm, ctx.seed);
    e.summary.critical_radius.reset();  // one radius only: no curve to read it from
    return e;
  };

  // Clean training, then adversarial training of the same network from where it ended.
  TrainOptions clean_options = o.image.training_options();
  clean_options.adversarial = AdversarialTraining{};
  const TrainedClassifier trained = train_image_classifier("images-clean", spec, train, task.validation(),
                                                           clean_options, ctx);
  const torch::nn::AnyModule net(trained.model);
  const Victim victim = make_victim(forward_of(net), train.box);
  const Evaluation clean = evaluate_at_eps("images-clean", victim);
  const at::Tensor w_clean = first_layer(trained.model);
  TrainOptions adversarial_options = o.image.training_options();
  adversarial_options.epochs = o.adversarial_epochs;
  adversarial_options.steps = 0;
  adversarial_options.adversarial.box = train.box;
  fit("images-adversarial", net, train.inputs, train.labels, adversarial_options, ctx);
  const Evaluation adversarial = evaluate_at_eps("images-adversarial", victim);
  const at::Tensor w_adv = first_layer(trained.model);

  // The decomposition, the high-frequency shares and the update's singular-value mass.
  const Purification p = purification(w_clean, w_adv);
  std::vector<int64_t> shape = {w_clean.size(0)};
  shape.insert(shape.end(), spec.input_shape.begin(), spec.input_shape.end());
  const double high_clean = high_frequency_share(w_clean.view(shape), o.high_frequency).mean().item<double>();
  const double high_adv = high_frequency_share(w_adv.view(shape), o.high_frequency).mean().item<double>();
  const double low_rank = top_singular_share(w_adv - w_clean, o.top_directions);
  const Estimate purified = purified_share(p);
  Table measures("images_purification", {text_key("measure"), value("value")},
                 task.data.name + ": first-layer weights of the MLP, clean (w_i) and after adversarial training (w_i').");
  measures.in_report = true;
  const std::vector<std::pair<std::string, double>> rows = {
      {"share of neurons with |v_i| < |beta_i w_i'|", purified.value},
      {"median |v_i| / |beta_i w_i'|", p.ratio.median().item<double>()},
      {claim_text("mean high-frequency energy share (> %.2g cycles/pixel), clean", o.high_frequency), high_clean},
      {claim_text("mean high-frequency energy share (> %.2g cycles/pixel), adversarial", o.high_frequency), high_adv},
      {claim_text("share of |W' - W|_F^2 in its top %.0f singular directions", static_cast<double>(o.top_directions)),
       low_rank},
      {"clean accuracy, clean training", clean.summary.clean_accuracy},
      {"robust accuracy at eps, clean training", clean.worst_case(norm, eps).value},
      {"clean accuracy, adversarial training", adversarial.summary.clean_accuracy},
      {"robust accuracy at eps, adversarial training", adversarial.worst_case(norm, eps).value}};
  for (const auto& [measure, number] : rows) measures.add({measure, number});
  const Table pictures = image_table("images_first_layer", weight_pictures(w_clean, w_adv, spec, o.shown_neurons));
  record(result, clean);
  record(result, adversarial);
  result.tables.insert(result.tables.end(), {measures, pictures});
  Figure grid_figure = Figure::images("images_first_layer", "images_first_layer", "image",
                                      result.study + ": first-layer weights, clean and after adversarial training");
  result.figures.push_back(grid_figure);
  result.explanation += " **Images.** On " + task.data.name + ", an MLP trained cleanly and then adversarially (" +
                        norm + claim_text(" eps %.3g) from the clean weights: ", eps) +
                        "its first-layer weights are drawn before and after; adversarial training keeps most of each "
                        "neuron (w_i = beta_i w_i' + v_i with v_i the smaller part) and takes away mostly "
                        "high-frequency, dense patterns.";

  // Claims: the decomposition (purification keeps most of each clean neuron) and robustness.
  const PurificationImagesVerify& v = o.verify;
  const Estimate robust = adversarial.worst_case(norm, eps);
  const Estimate accurate = proportion(adversarial.summary.clean_accuracy, adversarial.examples);
  result.claims.push_back(claim_at_least("images: adversarial training keeps most of each clean neuron",
                                         "share of neurons with |v_i| < |beta_i w_i'|", purified,
                                         v.min_purified_share));
  Claim robust_claim = claim_at_least("images: adversarial training from the clean weights is robust at eps",
                                      "robust accuracy at eps", robust, v.min_robust);
  robust_claim.expected += claim_text("; clean accuracy >= %.2g (-2 SE)", v.min_clean);
  robust_claim.measured += claim_text("; clean %.3f; clean training's robust accuracy %.3f", accurate.value,
                                      clean.worst_case(norm, eps).value);
  robust_claim.pass = robust_claim.pass && at_least(accurate, v.min_clean);
  result.claims.push_back(robust_claim);
}

}  // namespace robustlab
