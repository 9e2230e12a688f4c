// The declared shape of a study's config: every key with its type, default, allowed range or
// choices, and one line of help. A config file or --set may only name keys declared here; the
// resolved config writes every one of them out, so a run's config.toml is complete. Schemas are
// built from the options structs' field lists (config/fields.h), never by hand.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace robustlab {

using ConfigValue = std::variant<int64_t, double, bool, std::string, std::vector<double>,
                                 std::vector<std::string>, std::vector<int64_t>>;

enum class FieldType { Integer, Number, Flag, Text, NumberList, TextList, IntegerList };

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
  // std::logic_error if the key is declared twice (two structs claiming one key is a bug).
  Schema& add(Field field);

  const Field* find(const std::string& key) const;
  const std::vector<Field>& fields() const { return fields_; }

 private:
  std::vector<Field> fields_;
};

const char* type_name(FieldType type);

}  // namespace robustlab
