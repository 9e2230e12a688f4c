#include "sweep/slurm.h"

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>

#include "runtime/atomic_file.h"
#include "runtime/user_error.h"
#include "sweep/cell_process.h"

namespace robustlab {
namespace {

// Single quotes for bash: 'it'\''s'.
std::string shell_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string sbatch_script(const SweepLayout& layout, const SlurmSettings& slurm, const std::vector<SweepCell>& cells,
                          const std::string& binary) {
  const std::string root = std::filesystem::absolute(layout.root).lexically_normal().string();
  std::string s = "#!/bin/bash\n";
  s += "#SBATCH --job-name=robustlab-sweep\n";
  s += "#SBATCH --array=0-" + std::to_string(cells.size() - 1) + "\n";
  s += "#SBATCH --cpus-per-task=" + std::to_string(slurm.cpus_per_task) + "\n";
  s += "#SBATCH --output=" + root + "/slurm/%A_%a.out\n";
  if (!slurm.time.empty()) s += "#SBATCH --time=" + slurm.time + "\n";
  if (!slurm.mem.empty()) s += "#SBATCH --mem=" + slurm.mem + "\n";
  if (!slurm.partition.empty()) s += "#SBATCH --partition=" + slurm.partition + "\n";
  if (!slurm.account.empty()) s += "#SBATCH --account=" + slurm.account + "\n";
  s += "# One task per cell; each runs its cell as `robustlab sweep` would locally.\n";
  s += "cells=(\n";
  for (const auto& c : cells) s += "  " + shell_quoted(c.id) + "\n";
  s += ")\n";
  s += "exec " + shell_quoted(binary) + " sweep cell " + shell_quoted(root) + " \"${cells[$SLURM_ARRAY_TASK_ID]}\" --threads " +
       std::to_string(slurm.cpus_per_task) + "\n";
  return s;
}

std::string submit_array(const SweepLayout& layout, const SlurmSettings& slurm, const std::vector<SweepCell>& cells) {
  std::filesystem::create_directories(layout.slurm_dir());
  const std::string script = layout.slurm_dir() + "/array-" + std::to_string(static_cast<long long>(seconds_since_epoch())) + ".sh";
  write_file_atomically(script, sbatch_script(layout, slurm, cells, robustlab_binary()));
  const std::string command = "sbatch --parsable " + shell_quoted(script) + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw UserError("cannot run sbatch");
  std::string out;
  char buf[512];
  while (size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  const int status = ::pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) throw UserError("--slurm: sbatch not found on PATH");
    throw UserError("sbatch refused the job array: " + out.substr(out.rfind('\n') + 1));
  }
  return out.substr(0, out.find(';'));  // "jobid" or "jobid;cluster"
}

}  // namespace robustlab
