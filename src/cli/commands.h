#pragma once

namespace robustlab {

// Parses the command line and runs `run`, `verify`, `train`, `attack`, `sweep` or `list`. Returns the exit code:
// 0 success, 1 a verified claim failed, 2 bad input (one line on stderr).
int cli_main(int argc, char** argv);

}  // namespace robustlab
