// robustlab sweep --slurm against a real single-node Slurm that the test starts and stops itself
// (tests/slurm_cluster.sh): the width sweep as a job array gives the same store as run locally.
// Its own ctest entry (tests/CMakeLists.txt) with a timeout; it fails, never skips, without Slurm.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "cli_runner.h"
#include "sweep_fixture.h"

namespace {

TEST(SweepSlurm, JobArrayGivesTheLocalNumbers) {
  const std::string dir = fresh_dir("sweep_slurm");
  std::filesystem::create_directories(dir);
  const std::string file = write_width_sweep(dir + "/width.toml", "");
  const std::string local = dir + "/local", slurm = dir + "/slurm";

  const Result by_hand = run_robustlab("sweep " + file + " -q --jobs 2 --threads 1 --out " + local);
  ASSERT_EQ(by_hand.code, 0) << by_hand.output;

  // Submits the array (one CPU, so one thread, per cell, as locally), then waits for the queue.
  const auto start = std::chrono::steady_clock::now();
  const Result submitted = run_command("bash " ROBUSTLAB_SOURCE_DIR "/tests/slurm_cluster.sh " ROBUSTLAB_BINARY
                                       " sweep " + file + " --slurm --cpus-per-task 1 --time 00:10:00 --out " + slurm);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(submitted.code, 0) << submitted.output;
  EXPECT_NE(submitted.output.find("submitted job array "), std::string::npos) << submitted.output;
  std::cout << "slurm: 9 cells through a fresh cluster in " << seconds << " s\n";

  // The script Slurm ran: one task per cell, the limits asked for.
  bool script_seen = false;
  for (const auto& e : std::filesystem::directory_iterator(slurm + "/slurm")) {
    if (e.path().extension() != ".sh") continue;
    std::ostringstream text;
    text << std::ifstream(e.path()).rdbuf();
    script_seen = true;
    EXPECT_NE(text.str().find("#SBATCH --array=0-8\n"), std::string::npos) << text.str();
    EXPECT_NE(text.str().find("#SBATCH --time=00:10:00\n"), std::string::npos) << text.str();
  }
  EXPECT_TRUE(script_seen);
  EXPECT_EQ(cells_done(slurm), 9);

  // The tasks wrote run directories only; status fills the store from them.
  EXPECT_EQ(store_count(slurm + "/sweep.db", "SELECT COUNT(*) FROM metrics"), 0);
  const Result status = run_robustlab("sweep status " + slurm);
  EXPECT_EQ(status.code, 0) << status.output;
  EXPECT_NE(status.output.find("9 cells: 9 done, 0 running, 0 failed, 0 left"), std::string::npos) << status.output;
  EXPECT_EQ(store_text(slurm + "/sweep.db"), store_text(local + "/sweep.db"));
  EXPECT_EQ(store_count(slurm + "/sweep.db", "SELECT COUNT(*) FROM cells WHERE status = 'done' AND host IS NOT NULL"), 9);

  // Submitting again finds nothing left to do.
  const Result again = run_robustlab("sweep " + file + " --slurm --out " + slurm);
  EXPECT_EQ(again.code, 0) << again.output;
  EXPECT_NE(again.output.find("no cell left to submit"), std::string::npos) << again.output;
}

}  // namespace
