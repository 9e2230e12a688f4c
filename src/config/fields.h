// An options struct declares its config keys once, in a `fields` method that names each member
// with its key, its help and its range:
//
//     struct OrthogonalClustersOptions {
//       int64_t k = 10;
//       void fields(Fields& f) { f.field("k", k, "number of clusters", {2}); }
//     };
//
// The same list is walked by different visitors: DeclareFields adds every key to a Schema with
// the member's current value as its default, ReadFields fills the members from a resolved Config,
// and FieldsToJson / FieldsFromJson write and read them as JSON (a model's saved spec). Since
// there is no second list, a key cannot be declared with one spelling and read with another.
#pragma once
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"

namespace robustlab {

// Inclusive bounds of a number (or of each element of a list of numbers).
struct Range {
  std::optional<double> min{};
  std::optional<double> max{};
};

class Fields {
 public:
  virtual ~Fields() = default;

  void field(const std::string& key, int64_t& value, const std::string& help, Range range = {});
  void field(const std::string& key, int& value, const std::string& help, Range range = {});
  void field(const std::string& key, double& value, const std::string& help, Range range = {});
  void field(const std::string& key, bool& value, const std::string& help);
  void field(const std::string& key, std::string& value, const std::string& help,
             const std::vector<std::string>& choices = {});
  void field(const std::string& key, std::vector<double>& value, const std::string& help, Range range = {});
  void field(const std::string& key, std::vector<int64_t>& value, const std::string& help, Range range = {});
  void field(const std::string& key, std::vector<std::string>& value, const std::string& help,
             const std::vector<std::string>& choices = {});

  // A member of any type with named values, stored as one of the names ("l2" / "linf").
  template <typename T>
  void choice(const std::string& key, T& value, const std::vector<std::pair<std::string, T>>& names,
              const std::string& help) {
    std::string name;
    std::vector<std::string> choices;
    for (const auto& [n, v] : names) {
      choices.push_back(n);
      if (v == value && name.empty()) name = n;
    }
    field(key, name, help, choices);
    for (const auto& [n, v] : names)
      if (n == name) value = v;
  }

  // The fields of a nested options struct, under "prefix.".
  template <typename Group>
  void group(const std::string& prefix, Group& group) {
    prefixes_.push_back(prefix);
    group.fields(*this);
    prefixes_.pop_back();
  }

 protected:
  virtual void visit(const Field& declared, ConfigValue& value) = 0;

 private:
  template <typename T>
  void visit_as(Field declared, T& value);
  std::string path(const std::string& key) const;
  std::vector<std::string> prefixes_;
};

// Adds every field to a schema, with the member's value as the default.
class DeclareFields : public Fields {
 public:
  explicit DeclareFields(Schema& schema) : schema_(schema) {}

 protected:
  void visit(const Field& declared, ConfigValue& value) override;

 private:
  Schema& schema_;
};

// Fills every member from a resolved config.
class ReadFields : public Fields {
 public:
  explicit ReadFields(const Config& config) : config_(config) {}

 protected:
  void visit(const Field& declared, ConfigValue& value) override;

 private:
  const Config& config_;
};

// Writes every field into a flat JSON object {"key": value}.
class FieldsToJson : public Fields {
 public:
  explicit FieldsToJson(nlohmann::json& out) : out_(out) {}

 protected:
  void visit(const Field& declared, ConfigValue& value) override;

 private:
  nlohmann::json& out_;
};

// Reads every field from a flat JSON object, with the types and ranges of a config key; UserError
// naming `source` and the key when one is missing or wrong.
class FieldsFromJson : public Fields {
 public:
  FieldsFromJson(const nlohmann::json& in, std::string source) : in_(in), source_(std::move(source)) {}

 protected:
  void visit(const Field& declared, ConfigValue& value) override;

 private:
  const nlohmann::json& in_;
  std::string source_;
};

// A schema holding `base`'s keys and then every field of `defaults`.
template <typename Options>
Schema schema_of(Options defaults, Schema base = {}) {
  DeclareFields declare(base);
  defaults.fields(declare);
  return base;
}

// `start` with every field read from the config.
template <typename Options>
Options read_options(const Config& config, Options start) {
  ReadFields read(config);
  start.fields(read);
  return start;
}

}  // namespace robustlab
