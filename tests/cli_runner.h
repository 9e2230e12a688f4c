// Running the robustlab binary from tests: exit code and everything it printed.
#pragma once
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

struct Result {
  int code;
  std::string output;
};

// Any command line, through the shell: its exit code and everything it printed.
inline Result run_command(const std::string& command) {
  const std::string cmd = command + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  const int status = pclose(pipe);
  return {WEXITSTATUS(status), out};
}

inline Result run_robustlab(const std::string& args) { return run_command(std::string(ROBUSTLAB_BINARY) + " " + args); }

// A path under the test temp directory that does not exist yet.
inline std::string fresh_dir(const std::string& name) {
  const std::string dir = ::testing::TempDir() + "robustlab_cli_" + name;
  std::filesystem::remove_all(dir);
  return dir;
}

inline nlohmann::json read_json(const std::string& path) { return nlohmann::json::parse(std::ifstream(path)); }

inline void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }
