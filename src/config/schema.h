// The declared shape of a study's config: every key with its type, default, allowed range or
// choices, and one line of help. A config file or --set may only name keys declared here; the
// resolved config writes every one of them out, so a run's config.toml is complete.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace robustlab {

using ConfigValue = std::variant<int64_t, double, bool, std::string, std::vector<double>,
                                 std::vector<std::string>>;

enum class FieldType { Integer, Number, Flag, Text, NumberList, TextList };

struct Field {
  std::string key;  // dotted: "data.k"
  FieldType type;
  ConfigValue default_value;
  std::string help;
  std::optional<double> min{};  // inclusive bounds for numbers (and list elements)
  std::optional<double> max{};
  std::vector<std::string> choices{};  // for text (and list elements), empty = any
};

class Schema {
 public:
  Schema& integer(std::string key, int64_t value, std::string help, std::optional<double> min = {},
                  std::optional<double> max = {});
  Schema& number(std::string key, double value, std::string help, std::optional<double> min = {},
                 std::optional<double> max = {});
  Schema& flag(std::string key, bool value, std::string help);
  Schema& text(std::string key, std::string value, std::string help,
               std::vector<std::string> choices = {});
  Schema& numbers(std::string key, std::vector<double> value, std::string help,
                  std::optional<double> min = {}, std::optional<double> max = {});
  Schema& texts(std::string key, std::vector<std::string> value, std::string help,
                std::vector<std::string> choices = {});

  const Field* find(const std::string& key) const;
  const std::vector<Field>& fields() const { return fields_; }

 private:
  Schema& add(Field field);
  std::vector<Field> fields_;
};

const char* type_name(FieldType type);

}  // namespace robustlab
