#include "report/run_directory.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "runtime/user_error.h"

namespace fs = std::filesystem;

namespace robustlab {

StagedDirectory::StagedDirectory(std::string final_path, bool replace)
    : final_(std::move(final_path)), replace_(replace) {
  while (final_.size() > 1 && final_.back() == '/') final_.pop_back();
  if (fs::exists(final_) && !replace_)
    throw UserError("output directory " + final_ + " already exists (choose another --out, or --force)");
  staging_ = final_ + ".partial-" + std::to_string(getpid());
  std::error_code ec;
  fs::remove_all(staging_, ec);
  fs::create_directories(staging_, ec);
  if (ec) throw UserError("cannot create output directory " + staging_ + ": " + ec.message());
}

StagedDirectory::~StagedDirectory() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

std::string StagedDirectory::path(const std::string& file) const { return staging_ + "/" + file; }

void StagedDirectory::write(const std::string& file, const std::string& contents) const {
  std::ofstream out(path(file), std::ios::binary);
  out << contents;
  out.close();
  if (!out) throw UserError("cannot write " + path(file));
}

void StagedDirectory::commit() {
  std::error_code ec;
  if (replace_ && fs::exists(final_)) fs::remove_all(final_, ec);
  fs::rename(staging_, final_, ec);
  if (ec) throw UserError("cannot move " + staging_ + " to " + final_ + ": " + ec.message());
  committed_ = true;
}

}  // namespace robustlab
