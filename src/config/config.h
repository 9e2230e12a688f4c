// A resolved config: the schema's defaults, overridden by a TOML file, overridden by --set
// KEY=VALUE, each value checked against its field. Every error is a UserError whose one line
// names the key (and the file and line where there is one).
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "config/schema.h"

namespace robustlab {

class Config {
 public:
  // file: path of a TOML config or "" for none; sets: "key=value" strings in the order given.
  static Config resolve(Schema schema, const std::string& file,
                        const std::vector<std::string>& sets);
  static Config defaults(Schema schema) { return resolve(std::move(schema), "", {}); }

  int64_t integer(const std::string& key) const;
  double number(const std::string& key) const;
  bool flag(const std::string& key) const;
  const std::string& text(const std::string& key) const;
  const std::vector<double>& numbers(const std::string& key) const;
  const std::vector<std::string>& texts(const std::string& key) const;
  const std::vector<int64_t>& integers(const std::string& key) const;
  const ConfigValue& value(const std::string& key) const;

  // The keys read so far (a check that a study reads every key it declares, and nothing else).
  const std::set<std::string>& keys_read() const { return read_; }

  // TOML with one table per section, every key written, each with its help as a comment.
  std::string to_toml() const;
  const Schema& schema() const { return *schema_; }

 private:
  const ConfigValue& get(const std::string& key) const;
  std::shared_ptr<const Schema> schema_;
  std::map<std::string, ConfigValue> values_;
  mutable std::set<std::string> read_;
};

// "0.1" or a fraction "8/255" (the field's way of writing ε and α); nullopt when neither.
std::optional<double> parse_number(const std::string& text);

// "start:stop:step" as the list start, start + step, ... up to stop (inclusive, within rounding);
// nullopt when the text is not of that form. UserError naming `key` for a step <= 0, stop < start
// or more than 100000 values.
std::optional<std::vector<double>> parse_range(const std::string& text, const std::string& key);

// The shortest decimal that reads back to the same double ("0.1", "3.0").
std::string format_number(double v);

// A TOML file as a table; UserError naming the file (and line) when it cannot be read or parsed.
toml::table parse_toml_file(const std::string& file);

// Reads only the "study" key of a config file (to know which schema to resolve it with).
std::string study_named_in(const std::string& file);

}  // namespace robustlab
