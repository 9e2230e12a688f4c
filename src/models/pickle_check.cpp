#include "models/pickle_check.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "models/zip_archive.h"

namespace robustlab {
namespace {

[[noreturn]] void fail(const std::string& what) { throw FileFormatError("pickle: " + what); }

constexpr uint32_t kMaxDepth = 32;
constexpr uint64_t kMaxMemo = 1 << 20;

const std::set<std::string>& allowed_globals() {
  static const std::set<std::string> globals = {
      "torch._utils._rebuild_tensor_v2", "collections.OrderedDict", "torch.jit._pickle.restore_type_tag",
      "torch.FloatStorage", "torch.DoubleStorage", "torch.HalfStorage", "torch.BFloat16Storage",
      "torch.LongStorage", "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage",
      "torch.ByteStorage", "torch.BoolStorage"};
  return globals;
}

// The pickle machine, simulated: values are only their nesting depth and whether they are a fresh
// container (the one thing SETITEMS/APPENDS may add to).
class Machine {
 public:
  Machine(const uint8_t* p, size_t n) : p_(p), n_(n) {}

  void run() {
    if (n_ < 2 || p_[0] != 0x80 || p_[1] != 2) fail("not pickle protocol 2");
    i_ = 2;
    for (;;) {
      if (i_ >= n_) fail("no STOP opcode");
      const uint8_t op = p_[i_++];
      if (op == '.') {  // STOP
        if (stack_.size() != 1 || !marks_.empty()) fail("STOP with " + std::to_string(stack_.size()) + " values");
        if (i_ != n_) fail("bytes after STOP");
        return;
      }
      step(op);
    }
  }

 private:
  struct Value {
    uint32_t depth;
    bool fresh_container;
    bool shared;  // fetched again from the memo
  };

  void step(uint8_t op) {
    switch (op) {
      case '(': marks_.push_back(stack_.size()); break;                       // MARK
      case '}': case ']': push(1, true); break;                               // EMPTY_DICT, EMPTY_LIST
      case ')': push(1); break;                                               // EMPTY_TUPLE
      case 'N': case 0x88: case 0x89: push(0); break;                         // NONE, NEWTRUE, NEWFALSE
      case 'K': operand(1), push(0); break;                                   // BININT1
      case 'M': operand(2), push(0); break;                                   // BININT2
      case 'J': operand(4), push(0); break;                                   // BININT
      case 'G': operand(8), push(0); break;                                   // BINFLOAT
      case 0x8a:                                                              // LONG1
        if (*operand(1) != 8) fail("LONG1 of other than 8 bytes");
        operand(8), push(0);
        break;
      case 'X': operand(length32(operand(4))), push(0); break;                // BINUNICODE
      case 0x85: push(pop(1, "TUPLE1") + 1); break;
      case 0x86: push(pop(2, "TUPLE2") + 1); break;
      case 0x87: push(pop(3, "TUPLE3") + 1); break;
      case 't': push(close_mark("TUPLE").second + 1); break;
      case 'l': push(close_mark("LIST").second + 1, true); break;
      case 'd': {
        const auto [count, depth] = close_mark("DICT");
        if (count % 2) fail("odd number of DICT items");
        push(depth + 1, true);
      } break;
      case 'u': case 'e': add_items(op == 'u'); break;                        // SETITEMS, APPENDS
      case 'q': put(*operand(1)); break;                                      // BINPUT
      case 'r': put(length32(operand(4))); break;                             // LONG_BINPUT
      case 'h': get(*operand(1)); break;                                      // BINGET
      case 'j': get(length32(operand(4))); break;                             // LONG_BINGET
      case 'c': {                                                             // GLOBAL
        const std::string module = name_line(), name = name_line();
        if (!allowed_globals().count(module + "." + name)) fail("global " + module + "." + name + " is not allowed");
        push(0);
      } break;
      case 'R': case 'b': push(pop(2, "REDUCE") + 1); break;                  // REDUCE, BUILD
      case 'Q': push(pop(1, "BINPERSID") + 1); break;                         // BINPERSID
      default: fail("opcode " + std::to_string(op) + " at byte " + std::to_string(i_ - 1) + " is not allowed");
    }
  }

  const uint8_t* operand(size_t k) {
    if (k > n_ - i_) fail("truncated operand at byte " + std::to_string(i_));
    const uint8_t* at = p_ + i_;
    i_ += k;
    return at;
  }
  static uint32_t length32(const uint8_t* b) {
    return uint32_t{b[0]} | (uint32_t{b[1]} << 8) | (uint32_t{b[2]} << 16) | (uint32_t{b[3]} << 24);
  }
  size_t above_mark() const { return stack_.size() - (marks_.empty() ? 0 : marks_.back()); }

  uint32_t pop(size_t k, const char* op) {
    if (above_mark() < k) fail(std::string("stack underflow at ") + op + " (byte " + std::to_string(i_) + ")");
    uint32_t depth = 0;
    for (size_t j = 0; j < k; ++j) depth = std::max(depth, values_[stack_[stack_.size() - 1 - j]].depth);
    stack_.resize(stack_.size() - k);
    return depth;
  }
  void push(uint32_t depth, bool fresh_container = false) {
    if (depth > kMaxDepth) fail("nested deeper than " + std::to_string(kMaxDepth));
    values_.push_back({depth, fresh_container, false});
    stack_.push_back(values_.size() - 1);
  }
  std::pair<size_t, uint32_t> close_mark(const char* op) {
    if (marks_.empty()) fail(std::string(op) + " without MARK");
    const size_t start = marks_.back();
    marks_.pop_back();
    uint32_t depth = 0;
    for (size_t j = start; j < stack_.size(); ++j) depth = std::max(depth, values_[stack_[j]].depth);
    const size_t count = stack_.size() - start;
    stack_.resize(start);
    return {count, depth};
  }
  // SETITEMS / APPENDS add the items above the mark to the container below it.
  void add_items(bool dict) {
    if (marks_.empty()) fail("SETITEMS/APPENDS without MARK");
    const size_t start = marks_.back();
    const size_t floor = marks_.size() >= 2 ? marks_[marks_.size() - 2] : 0;
    if (start == 0 || start - 1 < floor) fail("SETITEMS/APPENDS without a container");
    Value& target = values_[stack_[start - 1]];
    if (!target.fresh_container || target.shared) fail("SETITEMS/APPENDS on a shared or non-container value");
    const auto [count, depth] = close_mark(dict ? "SETITEMS" : "APPENDS");
    if (dict && count % 2) fail("odd number of SETITEMS items");
    if (depth + 1 > kMaxDepth) fail("nested deeper than " + std::to_string(kMaxDepth));
    target.depth = std::max(target.depth, depth + 1);
  }
  void put(uint64_t id) {
    if (above_mark() < 1) fail("memo put with an empty stack");
    if (id > memo_.size() || id >= kMaxMemo) fail("memo index " + std::to_string(id) + " out of order");
    if (id == memo_.size()) memo_.push_back(-1);
    memo_[id] = static_cast<int64_t>(stack_.back());
  }
  void get(uint64_t id) {
    if (id >= memo_.size() || memo_[id] < 0) fail("memo index " + std::to_string(id) + " not set");
    values_[static_cast<size_t>(memo_[id])].shared = true;
    stack_.push_back(static_cast<size_t>(memo_[id]));
  }
  std::string name_line() {  // a GLOBAL operand: module or name, then a newline
    const size_t start = i_;
    while (i_ < n_ && p_[i_] != '\n') {
      const char c = static_cast<char>(p_[i_]);
      if (!(c == '_' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
        fail("bad character in a GLOBAL name");
      if (++i_ - start > 128) fail("GLOBAL name too long");
    }
    if (i_ >= n_) fail("unterminated GLOBAL name");
    return std::string(reinterpret_cast<const char*>(p_ + start), (i_++) - start);
  }

  const uint8_t* p_;
  size_t n_, i_ = 0;
  std::vector<Value> values_;
  std::vector<size_t> stack_;  // indices into values_
  std::vector<size_t> marks_;  // stack sizes at each MARK
  std::vector<int64_t> memo_;  // value index, or −1
};

}  // namespace

void check_pickle(const uint8_t* bytes, size_t size) { Machine(bytes, size).run(); }

}  // namespace robustlab
