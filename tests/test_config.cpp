// Config resolution: defaults, files, --set, and the one-line errors that name the key.
#include <gtest/gtest.h>

#include <fstream>

#include "config/config.h"
#include "runtime/user_error.h"
#include "studies/registry.h"

using namespace robustlab;

namespace {
Schema schema() { return find_study("feature-averaging").schema(); }

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

std::string write_file(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}
}  // namespace

TEST(Config, DefaultsAreThePapersValues) {
  const Config c = Config::defaults(schema());
  EXPECT_EQ(c.integer("data.k"), 10);
  EXPECT_EQ(c.integer("data.d"), 3072);
  EXPECT_EQ(c.integer("binary.width"), 5);
  EXPECT_DOUBLE_EQ(c.number("train.lr"), 1e-3);
  EXPECT_EQ(c.integer("train.steps"), 100);
  EXPECT_EQ(c.integer("attack.steps"), 7);
}

TEST(Config, SetOverridesWithTypesFractionsAndLists) {
  const Config c = Config::resolve(schema(), "", {"data.k=20", "train.lr=0.5", "attack.alpha=8/255",
                                                  "train.optimizer=sgd", "attack.names=pgd-l2,fgm",
                                                  "binary.bias=false", "train.lr=2"});
  EXPECT_EQ(c.integer("data.k"), 20);
  EXPECT_DOUBLE_EQ(c.number("train.lr"), 2.0);  // the last --set wins
  EXPECT_DOUBLE_EQ(c.number("attack.alpha"), 8.0 / 255.0);
  EXPECT_EQ(c.text("train.optimizer"), "sgd");
  EXPECT_EQ(c.texts("attack.names"), (std::vector<std::string>{"pgd-l2", "fgm"}));
  EXPECT_FALSE(c.flag("binary.bias"));
}

TEST(Config, ErrorsNameTheKeyOnOneLine) {
  const std::string unknown = error_of([] { Config::resolve(schema(), "", {"data.kk=3"}); });
  EXPECT_NE(unknown.find("'data.kk'"), std::string::npos);
  EXPECT_NE(unknown.find("unknown key"), std::string::npos);
  EXPECT_NE(unknown.find("data.k"), std::string::npos);  // suggests the keys that exist
  const std::string type = error_of([] { Config::resolve(schema(), "", {"data.k=ten"}); });
  EXPECT_NE(type.find("'data.k'"), std::string::npos);
  EXPECT_NE(type.find("integer"), std::string::npos);
  const std::string range = error_of([] { Config::resolve(schema(), "", {"data.k=1"}); });
  EXPECT_NE(range.find("must be >= 2"), std::string::npos);
  const std::string choice = error_of([] { Config::resolve(schema(), "", {"train.optimizer=rmsprop"}); });
  EXPECT_NE(choice.find("not one of"), std::string::npos);
  const std::string negative = error_of([] { Config::resolve(schema(), "", {"attack.eps=-1"}); });
  EXPECT_NE(negative.find("'attack.eps'"), std::string::npos);
  for (const auto& e : {unknown, type, range, choice, negative}) EXPECT_EQ(e.find('\n'), std::string::npos) << e;
}

TEST(Config, FileErrorsNameFileAndLine) {
  const std::string bad_key = write_file("bad_key.toml", "study = \"feature-averaging\"\n[data]\nk = 4\nkk = 3\n");
  const std::string e1 = error_of([&] { Config::resolve(schema(), bad_key, {}); });
  EXPECT_NE(e1.find("bad_key.toml:4"), std::string::npos) << e1;
  const std::string syntax = write_file("syntax.toml", "[data\nk = 4\n");
  const std::string e2 = error_of([&] { Config::resolve(schema(), syntax, {}); });
  EXPECT_NE(e2.find("syntax.toml:1"), std::string::npos) << e2;
  const std::string e3 = error_of([] { Config::resolve(schema(), "/nonexistent/x.toml", {}); });
  EXPECT_NE(e3.find("/nonexistent/x.toml"), std::string::npos) << e3;
}

TEST(Config, WrittenConfigReadsBackToTheSameValues) {
  const Config c = Config::resolve(schema(), "", {"data.k=12", "train.lr=0.1", "attack.alpha=0.3",
                                                  "data.noise_std=0.7", "attack.names=fgsm"});
  const std::string path = write_file("roundtrip.toml", "study = \"feature-averaging\"\n" + c.to_toml());
  const Config back = Config::resolve(schema(), path, {});
  EXPECT_EQ(back.to_toml(), c.to_toml());
  EXPECT_EQ(back.number("train.lr"), 0.1);  // bit-exact
  EXPECT_EQ(back.number("attack.alpha"), 0.3);
  EXPECT_EQ(study_named_in(path), "feature-averaging");
}
