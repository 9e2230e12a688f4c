#include "report/run_directory.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "runtime/atomic_file.h"
#include "runtime/user_error.h"

namespace fs = std::filesystem;

namespace robustlab {

StagedDirectory::StagedDirectory(std::string final_path, bool replace, const std::vector<std::string>& inputs)
    : final_(std::move(final_path)), replace_(replace) {
  while (final_.size() > 1 && final_.back() == '/') final_.pop_back();
  check_output_path(final_, inputs, "--out");
  std::error_code ec;
  if (fs::exists(final_, ec)) {
    if (!replace_) throw UserError("output directory " + final_ + " already exists (choose another --out, or --force)");
    check_replaceable(final_, "--out");
  }
  const fs::path parent = fs::absolute(final_, ec).parent_path();
  fs::create_directories(parent, ec);
  if (ec) throw UserError("cannot create " + parent.string() + ": " + ec.message());
  lock_ = std::make_unique<WriterLock>(final_ + ".lock", "output directory " + final_);
  remove_stale_leftovers(final_);
  staging_ = final_ + ".partial-" + std::to_string(getpid());
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
  write_file_atomically(path(file), contents);
}

void StagedDirectory::commit() {
  mark_as_run(staging_);
  for (const auto& entry : fs::recursive_directory_iterator(staging_))
    if (entry.is_directory()) sync_path(entry.path().string());
  sync_path(staging_);
  std::error_code ec;
  if (fs::exists(final_, ec)) {
    // One atomic exchange: the new run takes DIR, the old one the staging name, then goes.
    if (renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, final_.c_str(), RENAME_EXCHANGE) != 0) {
      // A file system without exchange: the old run steps aside first, and is gone only after.
      const std::string aside = final_ + ".replaced-" + std::to_string(getpid());
      fs::rename(final_, aside, ec);
      if (!ec) fs::rename(staging_, final_, ec);
      if (ec) throw UserError("cannot move " + staging_ + " to " + final_ + ": " + ec.message());
      fs::remove_all(aside, ec);
      committed_ = true;
      return;
    }
    fs::remove_all(staging_, ec);
  } else {
    fs::rename(staging_, final_, ec);
    if (ec) throw UserError("cannot move " + staging_ + " to " + final_ + ": " + ec.message());
  }
  sync_path(fs::absolute(final_).parent_path().string());
  committed_ = true;
}

}  // namespace robustlab
