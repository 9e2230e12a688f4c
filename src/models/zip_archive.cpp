#include "models/zip_archive.h"

#include <algorithm>

namespace robustlab {
namespace {

[[noreturn]] void fail(const std::string& what) { throw FileFormatError(what); }

// Zip is little-endian.
uint16_t le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t le32(const uint8_t* p) { return uint32_t{le16(p)} | (uint32_t{le16(p + 2)} << 16); }
uint64_t le64(const uint8_t* p) { return uint64_t{le32(p)} | (uint64_t{le32(p + 4)} << 32); }

constexpr uint32_t kEndOfDirectory = 0x06054b50, kZip64Locator = 0x07064b50, kZip64End = 0x06064b50;
constexpr uint32_t kDirectoryEntry = 0x02014b50, kLocalHeader = 0x04034b50;
constexpr size_t kEndSize = 22, kEntrySize = 46, kLocalSize = 30;

// The bytes [pos, pos + len) of the file, or FileFormatError naming `what`.
struct Bounded {
  const uint8_t* data;
  size_t size;
  const uint8_t* at(uint64_t pos, uint64_t len, const char* what) const {
    if (pos > size || len > size - pos) fail(std::string("damaged zip archive (") + what + " out of bounds)");
    return data + pos;
  }
};

// The zip64 extra field (id 1) holds the 64-bit values of the fields that read 0xFFFFFFFF, in order.
void read_zip64_extra(const uint8_t* extra, size_t length, ZipRecord& r) {
  for (size_t x = 0; x + 4 <= length;) {
    const uint16_t id = le16(extra + x), len = le16(extra + x + 2);
    if (x + 4 + len > length) fail("damaged zip archive (extra field)");
    if (id == 1) {
      size_t f = x + 4;
      for (uint64_t* v : {&r.uncompressed, &r.compressed, &r.local_header}) {
        if (*v != 0xFFFFFFFF) continue;
        if (f + 8 > x + 4 + len) fail("damaged zip archive (zip64 field)");
        *v = le64(extra + f);
        f += 8;
      }
    }
    x += 4 + len;
  }
}

}  // namespace

std::vector<ZipRecord> read_zip_directory(const uint8_t* data, size_t size, uint64_t max_total_bytes) {
  const Bounded file{data, size};
  if (size < kEndSize) fail("not a zip archive (too short)");
  // The end-of-directory record: the last signature whose comment runs exactly to the end.
  size_t end = size;
  const size_t lowest = size > kEndSize + 65535 ? size - kEndSize - 65535 : 0;
  for (size_t i = size - kEndSize + 1; i-- > lowest;)
    if (le32(data + i) == kEndOfDirectory && i + kEndSize + le16(data + i + 20) == size) {
      end = i;
      break;
    }
  if (end == size) fail("not a zip archive (no end-of-directory record; truncated?)");
  uint64_t entries = le16(data + end + 10), directory_size = le32(data + end + 12), directory = le32(data + end + 16);
  if (entries == 0xFFFF || directory_size == 0xFFFFFFFF || directory == 0xFFFFFFFF) {
    if (end < 20 || le32(data + end - 20) != kZip64Locator) fail("damaged zip archive (zip64 locator)");
    const uint8_t* z = file.at(le64(data + end - 20 + 8), 56, "zip64 directory");
    if (le32(z) != kZip64End) fail("damaged zip archive (zip64 directory)");
    entries = le64(z + 32), directory_size = le64(z + 40), directory = le64(z + 48);
  }
  file.at(directory, directory_size, "central directory");
  if (entries == 0) fail("empty zip archive");
  if (entries > directory_size / kEntrySize) fail("damaged zip archive (record count)");

  std::vector<ZipRecord> records;
  uint64_t pos = directory, total = 0;
  for (uint64_t k = 0; k < entries; ++k) {
    const uint8_t* h = file.at(pos, kEntrySize, "directory entry");
    if (le32(h) != kDirectoryEntry) fail("damaged zip archive (directory entry signature)");
    ZipRecord r;
    r.method = le16(h + 10);
    r.compressed = le32(h + 20);
    r.uncompressed = le32(h + 24);
    r.local_header = le32(h + 42);
    const uint16_t name_length = le16(h + 28), extra_length = le16(h + 30), comment_length = le16(h + 32);
    r.name.assign(reinterpret_cast<const char*>(file.at(pos + kEntrySize, name_length, "record name")), name_length);
    read_zip64_extra(file.at(pos + kEntrySize + name_length, extra_length, "extra field"), extra_length, r);
    pos += kEntrySize + uint64_t{name_length} + extra_length + comment_length;
    if (r.method != 0 && r.method != 8) fail("zip record " + r.name + " uses compression method " + std::to_string(r.method));
    if (r.method == 0 && r.compressed != r.uncompressed) fail("damaged zip archive (record " + r.name + ")");
    if (le32(file.at(r.local_header, kLocalSize, "local header")) != kLocalHeader)
      fail("damaged zip archive (local header of " + r.name + ")");
    file.at(r.local_header, r.compressed, "record data");
    if (r.uncompressed > max_total_bytes - std::min(total, max_total_bytes))
      fail("records declare more than " + std::to_string(max_total_bytes) + " bytes in all");
    total += r.uncompressed;
    records.push_back(std::move(r));
  }
  return records;
}

ArchiveKind archive_kind(const uint8_t* data, size_t size) {
  if (size >= 2 && data[0] == 0x80 && data[1] <= 5) return ArchiveKind::LegacyPickle;  // pickle PROTO
  if (size < 4 || le32(data) != kLocalHeader) return ArchiveKind::NotZip;
  std::vector<ZipRecord> records;
  try {
    records = read_zip_directory(data, size, ~uint64_t{0});
  } catch (const FileFormatError&) {
    return ArchiveKind::NotZip;
  }
  bool pickle = false, script = false;
  for (const auto& r : records) {
    const auto slash = r.name.find('/');
    if (slash == std::string::npos) continue;
    const std::string rest = r.name.substr(slash + 1);
    pickle |= rest == "data.pkl";
    script |= rest == "constants.pkl" || rest == "bytecode.pkl" || rest.rfind("code/", 0) == 0;
  }
  if (script) return ArchiveKind::TorchScript;
  return pickle ? ArchiveKind::StateFile : ArchiveKind::OtherZip;
}

}  // namespace robustlab
