// A sign, found by a probe, that a robustness number may be optimistic: which model, what kind
// of sign (a stable name a claim or a tool can test for), and one line for the user.
#pragma once
#include <string>

namespace robustlab {

struct Warning {
  std::string model;
  std::string kind;  // one of the kinds below
  std::string text;
};

namespace warning_kind {
constexpr const char* kOneStepStronger = "one-step-stronger";    // FGSM beats PGD
constexpr const char* kBlackBoxStronger = "black-box-stronger";  // Square beats every white-box attack
constexpr const char* kUnboundedEps = "unbounded-eps";           // PGD cannot break a reachable-everywhere ball
constexpr const char* kZeroGradient = "zero-gradient";           // the loss's input gradient is exactly 0
constexpr const char* kFewerSteps = "fewer-steps";               // more steps find lower accuracy
constexpr const char* kCollapsed = "collapsed";                  // clean accuracy at chance: nothing learned
}  // namespace warning_kind

}  // namespace robustlab
