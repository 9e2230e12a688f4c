#include "runtime/progress.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace robustlab {
namespace {
bool g_enabled = true;

bool terminal_wants_progress() {
  const char* ci = std::getenv("CI");
  return g_enabled && isatty(STDERR_FILENO) && !(ci && *ci);
}
}  // namespace

void Progress::set_enabled(bool enabled) { g_enabled = enabled; }

Progress::Progress(std::string label, long total)
    : label_(std::move(label)),
      total_(total),
      active_(terminal_wants_progress() && total > 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() { finish(); }

void Progress::advance(long by) {
  done_ += by;
  if (!active_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100) && done_ < total_) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double eta = done_ > 0 ? elapsed * (total_ - done_) / done_ : 0.0;
  std::fprintf(stderr, "\r\033[K%s %ld/%ld  %.1fs elapsed, ETA %.1fs", label_.c_str(), done_,
               total_, elapsed, eta);
  std::fflush(stderr);
}

void Progress::finish() {
  if (!active_ || finished_) return;
  finished_ = true;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

}  // namespace robustlab
