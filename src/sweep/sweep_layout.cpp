#include "sweep/sweep_layout.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "runtime/atomic_file.h"
#include "runtime/output_directory.h"
#include "runtime/user_error.h"

namespace robustlab {
namespace fs = std::filesystem;

namespace {
std::string read_text(const std::string& path) {
  std::ostringstream text;
  text << std::ifstream(path).rdbuf();
  return text.str();
}
}  // namespace

bool cell_is_done(const SweepLayout& layout, const SweepCell& cell) {
  const std::string dir = layout.cell_dir(cell);
  std::error_code ec;
  return is_robustlab_run(dir) && fs::is_regular_file(dir + "/results.json", ec);
}

SweepSpec read_sweep_in(const SweepLayout& layout) {
  std::error_code ec;
  if (!fs::is_regular_file(layout.sweep_file(), ec))
    throw UserError(layout.root + " is not a sweep directory (no sweep.toml)");
  return parse_sweep(read_text(layout.sweep_file()), layout.sweep_file());
}

void claim_sweep_dir(const SweepLayout& layout, const std::string& sweep_text) {
  std::error_code ec;
  if (fs::exists(layout.sweep_file(), ec)) {
    if (read_text(layout.sweep_file()) != sweep_text)
      throw UserError(layout.root + " holds a different sweep (its sweep.toml differs); give another --out");
  } else if (fs::exists(layout.root, ec) && !(fs::is_directory(layout.root, ec) && fs::is_empty(layout.root, ec))) {
    throw UserError(layout.root + " exists and is not a sweep directory; give another --out");
  }
  for (const char* sub : {"cells", "attempts", "logs"}) fs::create_directories(layout.root + "/" + sub);
  if (!fs::exists(layout.sweep_file(), ec)) write_file_atomically(layout.sweep_file(), sweep_text);
}

}  // namespace robustlab
