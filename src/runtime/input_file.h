// Opening a file robustlab was given (a config, a model, a dataset file) as a user expects: a
// missing file, a directory, a FIFO or device (which would block or never end), a symlink loop,
// a file too large to read, each a one-line UserError naming the path, never an exception from
// deep inside the standard library.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace robustlab {

// UserError unless path names a regular file (after following symlinks). `what` says what it
// was meant to be ("config file", "model file").
void require_regular_file(const std::string& path, const std::string& what);

// The file's bytes; UserError as above, or when it holds more than max_bytes.
std::vector<uint8_t> read_input_file(const std::string& path, uint64_t max_bytes, const std::string& what = "file");

}  // namespace robustlab
