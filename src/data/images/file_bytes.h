// Whole-file reads for dataset readers: a file compressed with gzip is decompressed on the fly
// (zlib reads plain files unchanged), so `train-images-idx3-ubyte` and its `.gz` read the same.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace robustlab {

// The file's (decompressed) bytes. UserError naming the file when it is missing, unreadable or a
// damaged gzip stream.
std::vector<uint8_t> read_file_bytes(const std::string& path);

// The first of `candidates` (paths) that exists, else UserError naming what was looked for.
std::string first_existing(const std::vector<std::string>& candidates, const std::string& what);

}  // namespace robustlab
