// The test binary's main: the same kernel selection as robustlab itself, one thread (ctest runs
// two tests at once on the two cores), a temporary directory of this process's own, then
// GoogleTest.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "runtime/allocator.h"
#include "runtime/blas_kernels.h"
#include "runtime/threads.h"

namespace {

// ctest runs two test processes at once, and the kernel variants run the same tests side by side,
// so a file name fixed in a test (::testing::TempDir() + "robustlab_crafted_models") would be
// written and removed by both. Each process gets TEST_TMPDIR/robustlab-tests-<pid>/, which
// TempDir() then returns; it is removed when every test passed and kept to look at otherwise.
std::string make_process_temp_dir() {
  const std::string dir = ::testing::TempDir() + "robustlab-tests-" + std::to_string(::getpid()) + "/";
  std::filesystem::create_directories(dir);
  ::setenv("TEST_TMPDIR", dir.c_str(), 1);
  return dir;
}

}  // namespace

int main(int argc, char** argv) {
  robustlab::select_blas_kernels(argv);
  robustlab::keep_freed_memory_for_reuse();
  robustlab::apply_thread_plan(robustlab::plan_threads(1, robustlab::Workload::Elementwise));
  ::testing::InitGoogleTest(&argc, argv);
  const std::string temp_dir = make_process_temp_dir();
  const int failed = RUN_ALL_TESTS();
  if (failed == 0) std::filesystem::remove_all(temp_dir);
  return failed;
}
