// The experiment kit: a study written in the test tree, with a table and figures the report has
// never seen, reaches report.md, its CSV and results.json without any change to report/; several
// seeds combine into mean and spread with claims checked on every seed; every registered study
// reads exactly the config keys it declares.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "config/fields.h"
#include "experiment/attack_keys.h"
#include "experiment/claims.h"
#include "experiment/fit.h"
#include "experiment/image_table.h"
#include "experiment/seeds.h"
#include "experiment/study.h"
#include "models/two_layer/two_layer_relu.h"
#include "report/csv.h"
#include "report/write_run.h"
#include "runtime/environment.h"
#include "small_study.h"
#include "studies/registry.h"

using namespace robustlab;
namespace fs = std::filesystem;

namespace {

// A toy study: a two-layer net learns the sign of the first coordinate; its loss is recorded
// every few steps by the training loop's on_step hook into a table of its own.
struct ToyStudy {
  int64_t n = 200;
  TrainOptions train;
  double max_final_loss = 0.3;

  static ToyStudy paper() {
    ToyStudy t;
    t.train.optimizer = "gd";
    t.train.lr = 0.5;
    t.train.steps = 40;
    return t;
  }
  void fields(Fields& f) {
    f.field("n", n, "training points", {2});
    f.group("train", train);
    f.field("max_final_loss", max_final_loss, "the claim: final loss at most this", {0});
  }
  void check() const {}
  Workload workload() const { return Workload::Elementwise; }
};

StudyResult run_toy(const ToyStudy& o, const RunContext& ctx) {
  at::Generator gen = make_generator(ctx.seed, "data");
  const torch::Tensor x = torch::randn({o.n, 3}, gen);
  const torch::Tensor y = (x.select(1, 0) > 0).to(torch::kInt64) * 2 - 1;
  TwoLayerReluOptions net_options;
  net_options.input_dim = 3;
  net_options.width = 2;
  net_options.init_std = 0.1;
  TwoLayerRelu net = build<TwoLayerRelu>("net", net_options, ctx);

  StudyResult result;
  result.study = "toy";
  result.seed = ctx.seed;
  result.norm = "l2";
  result.explanation = "A toy study of the kit.";
  Table curve("training_curve", {integer_key("step"), value("loss")}, "The training loss every 5 steps.");
  curve.in_report = true;
  TrainOptions options = o.train;
  options.on_step_every = 5;
  options.on_step = [&](int64_t step) {
    torch::NoGradGuard no_grad;
    curve.add({step, per_example_loss(net->forward(x), y).mean().item<double>()});
  };
  fit("net", torch::nn::AnyModule(net), x, y, options, ctx);
  result.tables.push_back(curve);
  Table units("unit_norms", {text_key("unit"), value("norm")});
  for (int64_t r = 0; r < net->weight.size(0); ++r) units.add({"w" + std::to_string(r), net->weight[r].norm().item<double>()});
  result.tables.push_back(units);
  Figure lines = Figure::lines("training_curve", "training_curve", "step", "loss", {}, "loss over training");
  lines.log_y = true;
  result.figures = {lines, Figure::bars("unit_norms", "unit_norms", "unit", "norm", {}, "weight norm per unit")};
  const double final_loss = curve.number(curve.rows.size() - 1, "loss");
  result.claims = {{"the loss falls", claim_text("final loss <= %.2f", o.max_final_loss),
                    claim_text("final loss %.4f", final_loss), final_loss <= o.max_final_loss}};
  return result;
}

Study toy_study() { return make_study<ToyStudy>("toy", "a toy study of the kit", run_toy); }

RunRecord record_of(const Config& config, const StudyResult& result) {
  return {config.to_toml(), result};
}

}  // namespace

TEST(ExperimentKit, AToyStudysNewTableAndFiguresReachEveryOutput) {
  const Study study = toy_study();
  const Config config = Config::defaults(study.schema());
  const StudyResult result = study.prepare(config).run(RunContext{});
  ASSERT_TRUE(result.all_claims_pass()) << result.claims[0].measured;
  const Table& curve = *result.find_table("training_curve");
  ASSERT_EQ(curve.rows.size(), 8u);  // steps 5, 10, ..., 40
  EXPECT_EQ(std::get<int64_t>(curve.rows.back()[0]), 40);

  const std::string dir = ::testing::TempDir() + "robustlab_toy_run";
  fs::remove_all(dir);
  StagedDirectory out(dir, false, {});
  write_run(out, record_of(config, result), {}, describe_runtime(torch::kCPU), 1.0);
  std::ifstream csv(dir + "/training_curve.csv");
  std::string header, first;
  std::getline(csv, header);
  std::getline(csv, first);
  EXPECT_EQ(header, "step,loss");
  EXPECT_EQ(first.rfind("5,", 0), 0u);
  const auto json = nlohmann::json::parse(std::ifstream(dir + "/results.json"));
  EXPECT_EQ(json["tables"]["training_curve"]["rows"].size(), 8u);
  EXPECT_EQ(json["tables"]["unit_norms"]["columns"][1], "norm");
  EXPECT_EQ(json["figures"][0], "training_curve");
  for (const char* file : {"training_curve.png", "training_curve.svg", "unit_norms.png", "unit_norms.svg"})
    EXPECT_GT(fs::file_size(dir + "/" + file), 1000u) << file;
  std::stringstream md;
  md << std::ifstream(dir + "/report.md").rdbuf();
  EXPECT_NE(md.str().find("![loss over training](training_curve.png)"), std::string::npos);
  EXPECT_NE(md.str().find("The training loss every 5 steps."), std::string::npos);  // in_report
  EXPECT_NE(md.str().find("| step | loss |"), std::string::npos);
  EXPECT_EQ(md.str().find("| unit | norm |"), std::string::npos);  // not marked for the report
  fs::remove_all(dir);
}

TEST(ExperimentKit, SeedsCombineIntoMeanAndSpreadAndClaimsHoldOnlyOnEverySeed) {
  const Study study = toy_study();
  const PreparedRun run = study.prepare(Config::defaults(study.schema()));
  const auto per_seed = run_seeds(run, RunContext{}, 4, 3, [](uint64_t) { return std::string(); });
  ASSERT_EQ(per_seed.size(), 3u);
  EXPECT_EQ(per_seed[2].seed, 6u);
  const StudyResult combined = combine_seeds(per_seed);
  EXPECT_EQ(combined.seeds, (std::vector<uint64_t>{4, 5, 6}));
  const Table& curve = *combined.find_table("training_curve");
  EXPECT_EQ(curve.columns.size(), 5u);  // step, loss, loss_sd, loss_min, loss_max
  for (size_t r = 0; r < curve.rows.size(); ++r) {
    double sum = 0, lo = 1e300, hi = -1e300;
    for (const auto& s : per_seed) {
      const double v = s.find_table("training_curve")->number(r, "loss");
      sum += v;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    EXPECT_NEAR(curve.number(r, "loss"), sum / 3, 1e-12);
    EXPECT_EQ(curve.number(r, "loss_min"), lo);
    EXPECT_EQ(curve.number(r, "loss_max"), hi);
    EXPECT_GT(curve.number(r, "loss_sd"), 0.0);  // the seeds differ
  }
  ASSERT_EQ(combined.claims.size(), 1u);
  EXPECT_TRUE(combined.claims[0].pass);
  EXPECT_EQ(combined.claims[0].measured, "holds on 3/3 seeds");
  // A claim that fails on one seed fails the combined result, and says where.
  std::vector<StudyResult> one_fails = per_seed;
  one_fails[1].claims[0].pass = false;
  const StudyResult failed = combine_seeds(one_fails);
  EXPECT_FALSE(failed.all_claims_pass());
  EXPECT_EQ(failed.claims[0].measured.rfind("holds on 2/3 seeds; seed 5:", 0), 0u) << failed.claims[0].measured;
}

TEST(ExperimentKit, EveryStudyReadsExactlyTheKeysItDeclares) {
  for (const Study& study : all_studies()) {
    const Schema schema = study.schema();
    const Config config = Config::defaults(schema);
    read_options(config, RunKeys{});
    study.prepare(config);  // reads the study's options; a key read but not declared throws
    std::set<std::string> declared;
    for (const auto& f : schema.fields()) declared.insert(f.key);
    EXPECT_EQ(config.keys_read(), declared) << study.name;
  }
  // Reading a key nobody declared is a bug the first test run finds, not a user's run.
  const Config config = Config::defaults(schema_of(RunKeys{}));
  EXPECT_THROW(config.number("attack.eps_max"), std::logic_error);
}

TEST(ExperimentKit, SeedsOnTheCommandLineWriteMeanSpreadBandsAndPerSeedRuns) {
  std::string sets;
  for (const auto& kv : small_feature_averaging()) sets += " --set " + kv;
  const std::string dir = fresh_dir("seeds");
  const Result r = run_robustlab("verify feature-averaging -q --seeds 3 --seed 1 --set adversarial.width=0 --out " + dir + sets);
  ASSERT_EQ(r.code, 0) << r.output;
  const auto json = read_json(dir + "/results.json");
  EXPECT_EQ(json["seeds"], nlohmann::json({1, 2, 3}));
  for (const auto& claim : json["claims"]) {
    EXPECT_EQ(claim["holds_on"], "3/3") << claim["name"];
    EXPECT_EQ(claim["seeds"].size(), 3u);
  }
  std::ifstream csv(dir + "/robust_accuracy.csv");
  std::string header;
  std::getline(csv, header);
  EXPECT_EQ(header, "model,attack,norm,eps,accuracy,accuracy_sd,accuracy_min,accuracy_max,alpha,steps,restarts");
  EXPECT_TRUE(json["models"]["binary"].contains("clean_accuracy_sd"));
  for (int seed : {1, 2, 3}) {
    const std::string sub = dir + "/seed-" + std::to_string(seed);
    EXPECT_EQ(read_json(sub + "/results.json")["seed"], seed);
    EXPECT_TRUE(fs::exists(sub + "/robust_accuracy.png"));
    // Each seed's run is an ordinary run: its config reproduces it.
    std::stringstream config;
    config << std::ifstream(sub + "/config.toml").rdbuf();
    EXPECT_NE(config.str().find("seed = " + std::to_string(seed)), std::string::npos);
    EXPECT_NE(config.str().find("seeds = 1"), std::string::npos);
  }
  EXPECT_TRUE(fs::exists(dir + "/robust_accuracy.svg"));
  // A claim that cannot hold on every seed: verify exits 1.
  const std::string failing = fresh_dir("seeds_fail");
  const Result f = run_robustlab("verify feature-averaging -q --seeds 2 --set adversarial.width=0 "
                                 "--set verify.max_radius_ratio=0.01 --out " + failing + sets);
  EXPECT_EQ(f.code, 1) << f.output;
  fs::remove_all(dir);
  fs::remove_all(failing);
}

TEST(ExperimentKit, CsvQuotesTextsWithCommasAndQuotes) {
  robustlab::Table t("t", {robustlab::text_key("name"), robustlab::value("x")});
  t.add({std::string("V, mean"), 1.5});
  t.add({std::string("say \"hi\""), 2.0});
  t.add({std::string("plain"), 3.0});
  EXPECT_EQ(robustlab::table_csv(t), "name,x\n\"V, mean\",1.5\n\"say \"\"hi\"\"\",2\nplain,3\n");
}

// A sample's mean and the standard error sd/√n of its spread; none for one value.
TEST(ExperimentKit, SampleMeanCarriesTheStandardErrorOfItsSpread) {
  const robustlab::Estimate e = robustlab::sample_mean({1, 2, 3, 4});
  EXPECT_DOUBLE_EQ(e.value, 2.5);
  EXPECT_NEAR(e.se, std::sqrt(5.0 / 3.0) / 2.0, 1e-12);  // sd² = (2.25 + 0.25 + 0.25 + 2.25) / 3
  EXPECT_EQ(e.n, 4);
  EXPECT_EQ(robustlab::sample_mean({7}).se, 0.0);
}

// A study's explanation runs to thousands of characters: claim_text keeps every one.
TEST(ExperimentKit, ClaimTextKeepsALongExplanationWhole) {
  const std::string words(5000, 'x');
  const std::string text = robustlab::claim_text((words + " %.0f %.2f").c_str(), 3.0, 0.5);
  EXPECT_EQ(text, words + " 3 0.50");
  EXPECT_EQ(robustlab::claim_text("no numbers"), "no numbers");
}

// One row per pixel; a colour image's channels side by side, a grey [1, H, W] as [H, W].
TEST(ExperimentKit, ImageTableLaysChannelsSideBySide) {
  const at::Tensor colour = torch::arange(3 * 2 * 2, torch::kFloat32).view({3, 2, 2});  // c*4 + r*2 + col
  const at::Tensor grey = torch::arange(4, torch::kFloat32).view({1, 2, 2});
  const robustlab::Table t = robustlab::image_table("pictures", {{"colour", colour}, {"grey", grey}});
  ASSERT_EQ(t.rows.size(), 12u + 4u);
  for (size_t i = 0; i < 12; ++i) {
    const int64_t r = static_cast<int64_t>(t.number(i, "row")), col = static_cast<int64_t>(t.number(i, "col"));
    ASSERT_LT(col, 6);
    EXPECT_EQ(t.number(i, "value"), colour[col / 2][r][col % 2].item<double>()) << r << "," << col;
  }
  for (size_t i = 12; i < 16; ++i)
    EXPECT_EQ(t.number(i, "value"), 2 * t.number(i, "row") + t.number(i, "col"));
}

// The attack grid: 0 first, increasing, each radius once, the claims' radius added once even where
// a range wrote it with a rounding error.
TEST(ExperimentKit, AttackGridAddsTheClaimsRadiusOnce) {
  robustlab::AttackKeys keys;
  keys.names = {"pgd-l2", "dense-direction"};
  keys.eps = {0.2, 0.1, 0.35000000000000003, 0.2};
  EXPECT_EQ(keys.grid(), (std::vector<double>{0, 0.1, 0.2, 0.35000000000000003}));
  const auto grids = keys.grids_with(0.35);
  ASSERT_EQ(grids.size(), 2u);
  for (const auto& g : grids) EXPECT_EQ(g.eps, (std::vector<double>{0, 0.1, 0.2, 0.35}));
  EXPECT_EQ(keys.grids_with(0.3)[1].eps, (std::vector<double>{0, 0.1, 0.2, 0.3, 0.35000000000000003}));
  EXPECT_EQ(keys.grids_with(0.3)[1].attack.name, "dense-direction");
}
