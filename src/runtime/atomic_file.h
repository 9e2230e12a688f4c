// Writing a file so that readers see the old contents or the new, never a torn file: the bytes go
// to "PATH.tmp-PID" beside it, flushed to the disk, which is then renamed over PATH (rename is
// atomic on POSIX), and the rename flushed in turn.
#pragma once
#include <string>

namespace robustlab {

void write_file_atomically(const std::string& path, const std::string& bytes);  // UserError on failure

}  // namespace robustlab
