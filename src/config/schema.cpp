#include "config/schema.h"

namespace robustlab {

Schema& Schema::add(Field field) {
  fields_.push_back(std::move(field));
  return *this;
}

Schema& Schema::integer(std::string key, int64_t value, std::string help,
                        std::optional<double> min, std::optional<double> max) {
  return add({std::move(key), FieldType::Integer, value, std::move(help), min, max});
}
Schema& Schema::number(std::string key, double value, std::string help, std::optional<double> min,
                       std::optional<double> max) {
  return add({std::move(key), FieldType::Number, value, std::move(help), min, max});
}
Schema& Schema::flag(std::string key, bool value, std::string help) {
  return add({std::move(key), FieldType::Flag, value, std::move(help)});
}
Schema& Schema::text(std::string key, std::string value, std::string help,
                     std::vector<std::string> choices) {
  return add({std::move(key), FieldType::Text, std::move(value), std::move(help), {}, {},
              std::move(choices)});
}
Schema& Schema::numbers(std::string key, std::vector<double> value, std::string help,
                        std::optional<double> min, std::optional<double> max) {
  return add({std::move(key), FieldType::NumberList, std::move(value), std::move(help), min, max});
}
Schema& Schema::texts(std::string key, std::vector<std::string> value, std::string help,
                      std::vector<std::string> choices) {
  return add({std::move(key), FieldType::TextList, std::move(value), std::move(help), {}, {},
              std::move(choices)});
}

const Field* Schema::find(const std::string& key) const {
  for (const auto& f : fields_)
    if (f.key == key) return &f;
  return nullptr;
}

const char* type_name(FieldType type) {
  switch (type) {
    case FieldType::Integer: return "an integer";
    case FieldType::Number: return "a number";
    case FieldType::Flag: return "true or false";
    case FieldType::Text: return "a string";
    case FieldType::NumberList: return "a list of numbers";
    case FieldType::TextList: return "a list of strings";
  }
  return "?";
}

}  // namespace robustlab
