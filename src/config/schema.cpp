#include "config/schema.h"

#include <stdexcept>

namespace robustlab {

Schema& Schema::add(Field field) {
  if (find(field.key)) throw std::logic_error("config key declared twice: " + field.key);
  fields_.push_back(std::move(field));
  return *this;
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
    case FieldType::IntegerList: return "a list of integers";
  }
  return "?";
}

}  // namespace robustlab
