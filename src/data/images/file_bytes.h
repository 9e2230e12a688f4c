// Reading dataset files, plain or gzip-compressed (zlib reads plain files unchanged), so
// `train-images-idx3-ubyte` and its `.gz` read the same. A reader asks for the bytes it expects, a
// header first, then as many bytes as the header declares: a small compressed file that would
// inflate to gigabytes is refused from its header, before anything is inflated.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace robustlab {

class CompressedFile {
 public:
  // UserError naming the file when it is missing, not a regular file or unreadable.
  explicit CompressedFile(std::string path);
  ~CompressedFile();
  CompressedFile(const CompressedFile&) = delete;
  CompressedFile& operator=(const CompressedFile&) = delete;

  // Up to n more bytes (fewer at the end of the data); UserError on damaged gzip data.
  std::vector<uint8_t> read(uint64_t n);
  // True when no byte is left; UserError on damaged or truncated gzip data.
  bool at_end();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  void* file_;  // gzFile
};

// The whole file, at most max_bytes once decompressed (UserError beyond).
std::vector<uint8_t> read_file_bytes(const std::string& path, uint64_t max_bytes);

// The first of `candidates` (paths) that exists, else UserError naming what was looked for.
std::string first_existing(const std::vector<std::string>& candidates, const std::string& what);

}  // namespace robustlab
