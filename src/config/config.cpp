#include "config/config.h"

#include <cmath>
#include <iomanip>
#include <sstream>

#include "runtime/input_file.h"
#include "runtime/user_error.h"

namespace robustlab {

std::string format_number(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (std::isnan(v)) return "nan";
  // The shortest decimal that reads back to the same double, so config.toml reproduces exactly.
  std::string s;
  for (int precision = 1; precision <= 17; ++precision) {
    std::ostringstream out;
    out << std::setprecision(precision) << v;
    s = out.str();
    if (std::stod(s) == v) break;
  }
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

toml::table parse_toml_file(const std::string& file) {
  require_regular_file(file, "config file");  // a FIFO would block, a directory or a loop would throw
  try {
    return toml::parse_file(file);
  } catch (const toml::parse_error& e) {
    const auto& at = e.source().begin;
    std::string what(e.description());
    if (what.find("could not be opened") != std::string::npos || !at.line)
      throw UserError("config file " + file + ": " + what);
    throw UserError("config file " + file + ":" + std::to_string(at.line) + ":" +
                    std::to_string(at.column) + ": " + what);
  }
}

namespace {

[[noreturn]] void fail(const std::string& key, const std::string& where, const std::string& what) {
  throw UserError("config key '" + key + "'" + where + ": " + what);
}

std::string node_type(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "a list";
    case toml::node_type::table: return "a table";
    default: return "a date or time";
  }
}

// A number, or a fraction written as a string ("8/255"), the field's convention for ε and α.
std::optional<double> as_number(const toml::node& n) {
  if (auto i = n.value_exact<int64_t>()) return static_cast<double>(*i);
  if (auto d = n.value_exact<double>()) return *d;
  if (auto s = n.value_exact<std::string>(); s && s->find('/') != std::string::npos) return parse_number(*s);
  return std::nullopt;
}

void check_range(const Field& f, double v, const std::string& where) {
  if (!std::isfinite(v)) fail(f.key, where, "must be a finite number, got " + format_number(v));
  // Bounds and values in plain digits: 2147483647, not 2.14748e+09.
  auto text = [&](double x) {
    return f.type == FieldType::Integer || f.type == FieldType::IntegerList ? std::to_string(static_cast<long long>(x))
                                                                            : format_number(x);
  };
  if (f.min && v < *f.min) fail(f.key, where, "must be >= " + text(*f.min) + ", got " + text(v));
  if (f.max && v > *f.max) fail(f.key, where, "must be <= " + text(*f.max) + ", got " + text(v));
}

void check_choice(const Field& f, const std::string& v, const std::string& where) {
  if (f.choices.empty()) return;
  for (const auto& c : f.choices)
    if (c == v) return;
  std::string all;
  for (const auto& c : f.choices) all += (all.empty() ? "" : ", ") + c;
  fail(f.key, where, "'" + v + "' is not one of: " + all);
}

ConfigValue convert(const Field& f, const toml::node& n, const std::string& where) {
  const std::string got = "must be " + std::string(type_name(f.type)) + ", got " + node_type(n);
  switch (f.type) {
    case FieldType::Integer: {
      auto v = n.value_exact<int64_t>();
      if (!v) fail(f.key, where, got);
      check_range(f, static_cast<double>(*v), where);
      return *v;
    }
    case FieldType::Number: {
      auto v = as_number(n);
      if (!v) fail(f.key, where, got);
      check_range(f, *v, where);
      return *v;
    }
    case FieldType::Flag: {
      auto v = n.value_exact<bool>();
      if (!v) fail(f.key, where, got);
      return *v;
    }
    case FieldType::Text: {
      auto v = n.value_exact<std::string>();
      if (!v) fail(f.key, where, got);
      check_choice(f, *v, where);
      return *v;
    }
    case FieldType::NumberList: {
      if (auto s = n.value_exact<std::string>()) {
        auto range = parse_range(*s, f.key);
        if (!range) fail(f.key, where, "'" + *s + "' is not a list of numbers or a start:stop:step range");
        for (double v : *range) check_range(f, v, where);
        return *range;
      }
      const toml::array* arr = n.as_array();
      if (!arr) fail(f.key, where, got);
      std::vector<double> out;
      for (const auto& e : *arr) {
        auto v = as_number(e);
        if (!v) fail(f.key, where, got + " element");
        check_range(f, *v, where);
        out.push_back(*v);
      }
      return out;
    }
    case FieldType::IntegerList: {
      const toml::array* arr = n.as_array();
      if (!arr) fail(f.key, where, got);
      std::vector<int64_t> out;
      for (const auto& e : *arr) {
        // An integral float (1.0, as older config files wrote lists) is accepted; 32.7 is not.
        auto v = as_number(e);
        if (!v || *v != std::floor(*v) || std::abs(*v) > 9.0e15)
          fail(f.key, where, got + " element" + (v ? " (" + format_number(*v) + ")" : std::string()));
        check_range(f, *v, where);
        out.push_back(static_cast<int64_t>(*v));
      }
      return out;
    }
    case FieldType::TextList: {
      const toml::array* arr = n.as_array();
      if (!arr) fail(f.key, where, got);
      std::vector<std::string> out;
      for (const auto& e : *arr) {
        auto v = e.value_exact<std::string>();
        if (!v) fail(f.key, where, got + " element");
        check_choice(f, *v, where);
        out.push_back(*v);
      }
      return out;
    }
  }
  fail(f.key, where, "unsupported type");
}

std::string known_keys_near(const Schema& schema, const std::string& key) {
  const auto dot = key.rfind('.');
  const std::string section = dot == std::string::npos ? "" : key.substr(0, dot + 1);
  std::string keys;
  for (const auto& f : schema.fields())
    if (f.key.rfind(section, 0) == 0 && f.key.find('.', section.size()) == std::string::npos)
      keys += (keys.empty() ? "" : ", ") + f.key;
  return keys;
}

[[noreturn]] void unknown_key(const Schema& schema, const std::string& key,
                              const std::string& where) {
  const std::string near = known_keys_near(schema, key);
  fail(key, where, "unknown key" + (near.empty() ? "" : " (known here: " + near + ")"));
}

void read_table(const Schema& schema, const toml::table& table, const std::string& prefix,
                const std::string& file, std::map<std::string, ConfigValue>& values) {
  for (const auto& [name, node] : table) {
    const std::string key = prefix + std::string(name.str());
    const auto line = node.source().begin.line;
    const std::string where = " in " + file + (line ? ":" + std::to_string(line) : "");
    if (key == "study") continue;  // names the schema; checked by the caller
    if (const toml::table* sub = node.as_table()) {
      read_table(schema, *sub, key + ".", file, values);
      continue;
    }
    const Field* f = schema.find(key);
    if (!f) unknown_key(schema, key, where);
    values[key] = convert(*f, node, where);
  }
}


// --set KEY=VALUE: VALUE is read as a TOML value; a bare word that is not TOML is a string, and
// for a list of strings a bare comma-separated list is accepted ("pgd-l2,fgm").
ConfigValue parse_set(const Schema& schema, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw UserError("--set " + assignment + ": expected KEY=VALUE");
  const std::string key = assignment.substr(0, eq), raw = assignment.substr(eq + 1);
  const Field* f = schema.find(key);
  const std::string where = " (--set)";
  if (!f) unknown_key(schema, key, where);
  toml::table parsed;
  bool is_toml = true;
  try {
    parsed = toml::parse("v = " + raw);
  } catch (const toml::parse_error&) {
    is_toml = false;
  }
  const bool is_list = f->type == FieldType::NumberList || f->type == FieldType::IntegerList;
  if (!is_toml || (parsed["v"].is_string() && f->type == FieldType::TextList) ||
      (is_list && !parsed["v"].is_array() && !parsed["v"].is_string())) {
    if (f->type == FieldType::Text) parsed.insert_or_assign("v", raw);
    else if (f->type == FieldType::NumberList && raw.find(':') != std::string::npos) {
      parsed.insert_or_assign("v", raw);  // a start:stop:step range
    } else if (is_list) {
      // A bare comma-separated list: "0.05,0.1,8/255".
      toml::array arr;
      std::stringstream ss(raw);
      for (std::string item; std::getline(ss, item, ',');) {
        const std::optional<double> v = parse_number(item);
        if (!v) fail(key, where, "'" + item + "' is not a number");
        if (*v == std::floor(*v) && std::abs(*v) < 9.0e15) arr.push_back(static_cast<int64_t>(*v));
        else arr.push_back(*v);
      }
      parsed.insert_or_assign("v", std::move(arr));
    } else if (f->type == FieldType::TextList) {
      toml::array arr;
      std::stringstream ss(is_toml ? *parsed["v"].value<std::string>() : raw);
      for (std::string item; std::getline(ss, item, ',');) arr.push_back(item);
      parsed.insert_or_assign("v", std::move(arr));
    } else if (!is_toml && f->type == FieldType::Number && raw.find('/') != std::string::npos) {
      parsed.insert_or_assign("v", raw);  // a fraction like 8/255
    } else {
      fail(key, where, "'" + raw + "' is not " + type_name(f->type));
    }
  }
  return convert(*f, *parsed.get("v"), where);
}


std::string format_string(const std::string& s) {
  std::ostringstream out;
  out << toml::value<std::string>(s);
  return out.str();
}

std::string format_value(const ConfigValue& v) {
  struct Visitor {
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return format_number(d); }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(const std::string& s) const { return format_string(s); }
    std::string operator()(const std::vector<double>& xs) const {
      std::string out = "[";
      for (size_t i = 0; i < xs.size(); ++i) out += (i ? ", " : "") + format_number(xs[i]);
      return out + "]";
    }
    std::string operator()(const std::vector<int64_t>& xs) const {
      std::string out = "[";
      for (size_t i = 0; i < xs.size(); ++i) out += (i ? ", " : "") + std::to_string(xs[i]);
      return out + "]";
    }
    std::string operator()(const std::vector<std::string>& xs) const {
      std::string out = "[";
      for (size_t i = 0; i < xs.size(); ++i) out += (i ? ", " : "") + format_string(xs[i]);
      return out + "]";
    }
  };
  return std::visit(Visitor{}, v);
}

}  // namespace

Config Config::resolve(Schema schema, const std::string& file,
                       const std::vector<std::string>& sets) {
  Config config;
  config.schema_ = std::make_shared<const Schema>(std::move(schema));
  for (const auto& f : config.schema_->fields()) config.values_[f.key] = f.default_value;
  if (!file.empty()) read_table(*config.schema_, parse_toml_file(file), "", file, config.values_);
  for (const auto& s : sets) {
    const auto eq = s.find('=');
    config.values_[s.substr(0, eq)] = parse_set(*config.schema_, s);
  }
  return config;
}

const ConfigValue& Config::get(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) throw std::logic_error("config key not in schema: " + key);
  read_.insert(key);
  return it->second;
}

const ConfigValue& Config::value(const std::string& key) const { return get(key); }

int64_t Config::integer(const std::string& key) const { return std::get<int64_t>(get(key)); }
double Config::number(const std::string& key) const { return std::get<double>(get(key)); }
bool Config::flag(const std::string& key) const { return std::get<bool>(get(key)); }
const std::string& Config::text(const std::string& key) const {
  return std::get<std::string>(get(key));
}
const std::vector<double>& Config::numbers(const std::string& key) const {
  return std::get<std::vector<double>>(get(key));
}
const std::vector<std::string>& Config::texts(const std::string& key) const {
  return std::get<std::vector<std::string>>(get(key));
}
const std::vector<int64_t>& Config::integers(const std::string& key) const {
  return std::get<std::vector<int64_t>>(get(key));
}

std::string Config::to_toml() const {
  // Top-level keys first, then one [section] per dotted prefix, in the schema's order.
  std::vector<std::string> sections{""};
  for (const auto& f : schema_->fields()) {
    const auto dot = f.key.rfind('.');
    const std::string section = dot == std::string::npos ? "" : f.key.substr(0, dot);
    if (std::find(sections.begin(), sections.end(), section) == sections.end())
      sections.push_back(section);
  }
  std::ostringstream out;
  for (const auto& section : sections) {
    if (!section.empty()) out << "\n[" << section << "]\n";
    for (const auto& f : schema_->fields()) {
      const auto dot = f.key.rfind('.');
      const std::string fs = dot == std::string::npos ? "" : f.key.substr(0, dot);
      if (fs != section) continue;
      const std::string name = dot == std::string::npos ? f.key : f.key.substr(dot + 1);
      out << name << " = " << format_value(values_.at(f.key)) << "  # " << f.help << "\n";
    }
  }
  return out.str();
}

std::optional<double> parse_number(const std::string& text) {
  auto whole = [](const std::string& t) -> std::optional<double> {
    try {
      size_t used = 0;
      const double v = std::stod(t, &used);
      if (used == t.size()) return v;
    } catch (const std::exception&) {
    }
    return std::nullopt;
  };
  const auto slash = text.find('/');
  if (slash == std::string::npos) return whole(text);
  const auto num = whole(text.substr(0, slash)), den = whole(text.substr(slash + 1));
  if (!num || !den || *den == 0) return std::nullopt;
  return *num / *den;
}

std::optional<std::vector<double>> parse_range(const std::string& text, const std::string& key) {
  const auto first = text.find(':'), second = text.find(':', first + 1);
  if (first == std::string::npos || second == std::string::npos || text.find(':', second + 1) != std::string::npos)
    return std::nullopt;
  const auto start = parse_number(text.substr(0, first)), stop = parse_number(text.substr(first + 1, second - first - 1)),
             step = parse_number(text.substr(second + 1));
  if (!start || !stop || !step) return std::nullopt;
  if (!std::isfinite(*start) || !std::isfinite(*stop) || !(*step > 0))
    throw UserError("config key '" + key + "': range " + text + " needs finite ends and a step > 0");
  if (*stop < *start) throw UserError("config key '" + key + "': range " + text + " ends before it starts");
  constexpr double kMaxValues = 100000;
  if ((*stop - *start) / *step > kMaxValues)
    throw UserError("config key '" + key + "': range " + text + " has more than 100000 values");
  std::vector<double> values;
  for (int i = 0;; ++i) {
    const double v = *start + i * *step;  // not accumulated: no drift over a long grid
    if (v > *stop + 1e-9 * *step) break;
    values.push_back(v);
  }
  return values;
}

std::string study_named_in(const std::string& file) {
  const toml::table table = parse_toml_file(file);
  auto name = table["study"].value<std::string>();
  if (!name) throw UserError("config file " + file + ": no 'study = \"NAME\"' at the top");
  return *name;
}

}  // namespace robustlab
