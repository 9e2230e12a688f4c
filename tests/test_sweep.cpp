// robustlab sweep: bad sweep files refused before any cell runs; a sweep killed halfway and
// resumed ends with the same store as one never interrupted; the report across the grid.
// (The same sweep through a real Slurm: test_sweep_slurm.cpp.)
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli_runner.h"
#include "sweep_fixture.h"

namespace {

inline std::string read_all(const std::string& path) {
  std::ostringstream s;
  s << std::ifstream(path).rdbuf();
  return s.str();
}

TEST(Sweep, BadInputIsOneLineBeforeAnyCellRuns) {
  const std::string dir = fresh_dir("sweep_bad");
  std::filesystem::create_directories(dir);
  const std::string good = write_width_sweep(dir + "/good.toml");
  const std::string good_text = read_all(good);
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string t = good_text;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"unknown study", replaced("feature-averaging", "no-such-study")},
      {"unknown key in [set]", replaced("\"data.d\"", "\"data.dd\"")},
      {"unknown axis key", replaced("\"binary.width\"", "\"binary.widht\"")},
      {"axis conflicting with a fixed override", good_text + "\"data.d\" = [256, 512]\n"},
      {"empty axis", replaced("[2, 4, 8]", "[]")},
      {"empty seeds", replaced("seeds = [0, 1, 2]", "seeds = []")},
      {"value out of range", replaced("[2, 4, 8]", "[2, -4]")},
      {"seed as an axis", good_text + "seed = [1, 2]\n"},
      {"unknown entry", "bogus = 1\n" + good_text},
  };
  for (const auto& [what, text] : cases) {
    const std::string file = dir + "/bad.toml", out = dir + "/out";
    write_text(file, text);
    const Result r = run_robustlab("sweep " + file + " -q --out " + out);
    EXPECT_EQ(r.code, 2) << what << ": " << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << what << ": " << r.output;
    EXPECT_EQ(r.output.rfind("robustlab: ", 0), 0u) << what << ": " << r.output;
    EXPECT_FALSE(std::filesystem::exists(out)) << what << ": a cell ran or the sweep directory was made";
  }
  const Result zero = run_robustlab("sweep " + good + " -q --jobs 0 --out " + dir + "/out");
  EXPECT_EQ(zero.code, 2) << zero.output;
  EXPECT_NE(zero.output.find("--jobs"), std::string::npos) << zero.output;
  EXPECT_FALSE(std::filesystem::exists(dir + "/out"));
}

TEST(Sweep, KilledHalfwayAndResumedEqualsUninterrupted) {
  const std::string dir = fresh_dir("sweep_resume");
  std::filesystem::create_directories(dir);
  const std::string file = write_width_sweep(dir + "/width.toml");
  const std::string whole = dir + "/whole", resumed = dir + "/resumed";
  const std::string args = "sweep " + file + " -q --jobs 2 --threads 1 --out ";

  const Result uninterrupted = run_robustlab(args + whole);
  ASSERT_EQ(uninterrupted.code, 0) << uninterrupted.output;
  EXPECT_EQ(cells_done(whole), 9);

  // The same sweep in its own process group, killed (with its cells' processes) once some cells
  // are done and before all are.
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::setpgid(0, 0);
    const std::string out = resumed;
    ::execl(ROBUSTLAB_BINARY, ROBUSTLAB_BINARY, "sweep", file.c_str(), "-q", "--jobs", "2", "--threads", "1", "--out",
            out.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (cells_done(resumed) < 3 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ::kill(-pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  const int done_when_killed = cells_done(resumed);
  ASSERT_GE(done_when_killed, 3);
  ASSERT_LT(done_when_killed, 9) << "the sweep finished before it could be killed";

  const Result status_line = run_robustlab("sweep status " + resumed);
  EXPECT_EQ(status_line.code, 0) << status_line.output;
  EXPECT_NE(status_line.output.find(std::to_string(done_when_killed) + " done"), std::string::npos) << status_line.output;

  const Result resume = run_robustlab("sweep " + file + " --jobs 2 --threads 1 --out " + resumed);
  ASSERT_EQ(resume.code, 0) << resume.output;
  EXPECT_NE(resume.output.find(std::to_string(9 - done_when_killed) + " cells run, 0 failed, " +
                               std::to_string(done_when_killed) + " done before"),
            std::string::npos)
      << resume.output;

  // Same numbers, every cell once.
  const std::string a = store_text(whole + "/sweep.db"), b = store_text(resumed + "/sweep.db");
  EXPECT_EQ(a, b);
  EXPECT_EQ(store_count(resumed + "/sweep.db", "SELECT COUNT(*) FROM cells WHERE status = 'done'"), 9);
  EXPECT_GT(store_count(resumed + "/sweep.db", "SELECT COUNT(*) FROM robust_accuracy"), 9 * 3);
  EXPECT_EQ(store_count(resumed + "/sweep.db", "SELECT COUNT(DISTINCT cell) FROM metrics"), 9);
  EXPECT_EQ(store_count(resumed + "/sweep.db",
                        "SELECT COUNT(*) FROM (SELECT cell, model, metric FROM metrics GROUP BY 1, 2, 3 HAVING COUNT(*) > 1)"),
            0);
  // The store agrees with each cell's own results.json.
  const nlohmann::json cell = read_json(resumed + "/cells/binary.width=4,seed=1/results.json");
  const double accuracy = cell["models"]["binary"]["clean_accuracy"];
  std::ostringstream exact;
  exact.precision(17);
  exact << accuracy;
  EXPECT_NE(b.find("binary.width=4,seed=1|binary|clean_accuracy|" + exact.str()), std::string::npos) << exact.str();

  // The report: the metric against width, one row per width with its spread over the 3 seeds.
  const Result report = run_robustlab("sweep report " + resumed + " --metric binary.clean_accuracy");
  ASSERT_EQ(report.code, 0) << report.output;
  const std::string csv = read_all(resumed + "/report/metrics.csv");
  EXPECT_EQ(csv.rfind("binary.width,model,metric,value,value_sd,value_min,value_max", 0), 0u) << csv.substr(0, 200);
  for (const char* width : {"\n2,binary,clean_accuracy,", "\n4,binary,clean_accuracy,", "\n8,binary,clean_accuracy,"})
    EXPECT_NE(csv.find(width), std::string::npos) << width;
  const std::string md = read_all(resumed + "/report/report.md");
  EXPECT_NE(md.find("/9 cells"), std::string::npos) << md.substr(0, 2000);
  if (std::filesystem::exists("/usr/bin/gnuplot")) {
    EXPECT_TRUE(std::filesystem::exists(resumed + "/report/binary.clean_accuracy_vs_binary.width.png"));
  }
}

}  // namespace

namespace {

TEST(Sweep, FailedCellIsRecordedAndTheOthersGoOn) {
  const std::string dir = fresh_dir("sweep_failed");
  std::filesystem::create_directories(dir);
  std::string text = read_all(write_width_sweep(dir + "/width.toml"));
  text.replace(text.find("[0, 1, 2]"), 9, "[0]");
  text.replace(text.find("[2, 4, 8]"), 9, "[2, 4]");
  write_text(dir + "/width.toml", text);
  // Something of the user's where a cell of this (resumed) sweep would go: that cell's run refuses
  // to replace it.
  const std::string blocked = dir + "/out/cells/binary.width=2,seed=0";
  std::filesystem::create_directories(blocked);
  write_text(dir + "/out/sweep.toml", text);
  write_text(blocked + "/mine.txt", "keep");
  const Result r = run_robustlab("sweep " + dir + "/width.toml -q --jobs 2 --threads 1 --out " + dir + "/out");
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_EQ(cells_done(dir + "/out"), 1);
  EXPECT_TRUE(std::filesystem::exists(blocked + "/mine.txt"));
  EXPECT_EQ(store_count(dir + "/out/sweep.db",
                        "SELECT COUNT(*) FROM cells WHERE status = 'failed' AND id = 'binary.width=2,seed=0' AND "
                        "error LIKE '%already exists%'"),
            1);
  const Result status = run_robustlab("sweep status " + dir + "/out");
  EXPECT_NE(status.output.find("2 cells: 1 done, 0 running, 1 failed, 0 left"), std::string::npos) << status.output;
}

}  // namespace
