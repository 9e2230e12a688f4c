#include "config/fields.h"

#include <nlohmann/json.hpp>

#include <climits>

#include "runtime/user_error.h"

namespace robustlab {

std::string Fields::path(const std::string& key) const {
  std::string out;
  for (const auto& p : prefixes_) out += p + ".";
  return out + key;
}

// Every typed field goes through one visit: the member's value as a ConfigValue, which the
// visitor reads (declare, to JSON) or replaces (read, from JSON), then back into the member.
template <typename T>
void Fields::visit_as(Field declared, T& value) {
  declared.key = path(declared.key);
  ConfigValue v = value;
  declared.default_value = v;
  visit(declared, v);
  value = std::get<T>(v);
}

void Fields::field(const std::string& key, int64_t& value, const std::string& help, Range r) {
  visit_as(Field{key, FieldType::Integer, {}, help, r.min, r.max}, value);
}

void Fields::field(const std::string& key, int& value, const std::string& help, Range r) {
  // Stored as int64 with the bounds of an int, so that 4294967297 is refused, never wrapped.
  const double lo = r.min ? std::max(*r.min, double{INT_MIN}) : double{INT_MIN};
  const double hi = r.max ? std::min(*r.max, double{INT_MAX}) : double{INT_MAX};
  int64_t wide = value;
  visit_as(Field{key, FieldType::Integer, {}, help, lo, hi}, wide);
  value = static_cast<int>(wide);
}

void Fields::field(const std::string& key, double& value, const std::string& help, Range r) {
  visit_as(Field{key, FieldType::Number, {}, help, r.min, r.max}, value);
}

void Fields::field(const std::string& key, bool& value, const std::string& help) {
  visit_as(Field{key, FieldType::Flag, {}, help}, value);
}

void Fields::field(const std::string& key, std::string& value, const std::string& help,
                   const std::vector<std::string>& choices) {
  visit_as(Field{key, FieldType::Text, {}, help, {}, {}, choices}, value);
}

void Fields::field(const std::string& key, std::vector<double>& value, const std::string& help, Range r) {
  visit_as(Field{key, FieldType::NumberList, {}, help, r.min, r.max}, value);
}

void Fields::field(const std::string& key, std::vector<int64_t>& value, const std::string& help, Range r) {
  visit_as(Field{key, FieldType::IntegerList, {}, help, r.min, r.max}, value);
}

void Fields::field(const std::string& key, std::vector<std::string>& value, const std::string& help,
                   const std::vector<std::string>& choices) {
  visit_as(Field{key, FieldType::TextList, {}, help, {}, {}, choices}, value);
}

void DeclareFields::visit(const Field& declared, ConfigValue&) { schema_.add(declared); }

void ReadFields::visit(const Field& declared, ConfigValue& value) { value = config_.value(declared.key); }

void FieldsToJson::visit(const Field& declared, ConfigValue& value) {
  std::visit([&](const auto& v) { out_[declared.key] = v; }, value);
}

void FieldsFromJson::visit(const Field& declared, ConfigValue& value) {
  const std::string where = source_ + ": '" + declared.key + "'";
  if (!in_.contains(declared.key)) throw UserError(where + " is missing");
  const nlohmann::json& j = in_.at(declared.key);
  auto number = [&](const nlohmann::json& e) {
    if (!e.is_number()) throw UserError(where + " must be " + type_name(declared.type));
    const double v = e.get<double>();
    if (!std::isfinite(v) || (declared.min && v < *declared.min) || (declared.max && v > *declared.max))
      throw UserError(where + " is out of range");
    return v;
  };
  auto integer = [&](const nlohmann::json& e) {
    if (!e.is_number_integer()) throw UserError(where + " must be " + type_name(declared.type));
    number(e);
    return e.get<int64_t>();
  };
  auto text = [&](const nlohmann::json& e) {
    if (!e.is_string()) throw UserError(where + " must be " + type_name(declared.type));
    const std::string s = e.get<std::string>();
    if (!declared.choices.empty() && std::find(declared.choices.begin(), declared.choices.end(), s) == declared.choices.end())
      throw UserError(where + ": '" + s + "' is not a known value");
    return s;
  };
  auto list = [&](auto element) {
    if (!j.is_array()) throw UserError(where + " must be " + type_name(declared.type));
    std::vector<decltype(element(j))> out;
    for (const auto& e : j) out.push_back(element(e));
    return out;
  };
  switch (declared.type) {
    case FieldType::Integer: value = integer(j); break;
    case FieldType::Number: value = number(j); break;
    case FieldType::Flag:
      if (!j.is_boolean()) throw UserError(where + " must be " + type_name(declared.type));
      value = j.get<bool>();
      break;
    case FieldType::Text: value = text(j); break;
    case FieldType::NumberList: value = list(number); break;
    case FieldType::IntegerList: value = list(integer); break;
    case FieldType::TextList: value = list(text); break;
  }
}

}  // namespace robustlab
