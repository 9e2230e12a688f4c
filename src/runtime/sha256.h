// SHA-256 of a file (OpenSSL's libcrypto), so that a result names the exact model it measured.
#pragma once
#include <string>

namespace robustlab {

std::string file_sha256(const std::string& path);  // lower-case hex; UserError when unreadable

}  // namespace robustlab
