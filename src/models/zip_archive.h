// PyTorch's files are zip archives: records "ARCHIVE/data.pkl" (a pickle), "ARCHIVE/data/N" (the
// bytes of storage N), "ARCHIVE/version", and for TorchScript also code/ and constants.pkl. This
// reads an archive's central directory (APPNOTE.TXT §4.3.16: the end-of-directory record at the end
// of the file points to one 46-byte header per record) with every offset and size checked against
// the file, so that nothing later allocates or reads what the file does not hold.
#pragma once
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace robustlab {

// A damaged or hostile file; the message says what is wrong (the caller adds which file).
struct FileFormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ZipRecord {
  std::string name;
  uint16_t method = 0;  // 0 stored, 8 deflated
  uint64_t compressed = 0, uncompressed = 0, local_header = 0;
};

// Every record, or FileFormatError; the records may declare at most max_total_bytes in all.
std::vector<ZipRecord> read_zip_directory(const uint8_t* data, size_t size, uint64_t max_total_bytes);

enum class ArchiveKind {
  StateFile,     // torch.save / torch::pickle_save: data.pkl and data/N
  TorchScript,   // torch.jit.save: also code/ and constants.pkl
  LegacyPickle,  // torch.save before PyTorch 1.6: a bare pickle
  OtherZip,      // a zip archive without data.pkl
  NotZip,
};

ArchiveKind archive_kind(const uint8_t* data, size_t size);

}  // namespace robustlab
