// The reference robustlab's image benchmarks compare against: the program a researcher writes
// with LibTorch's plain defaults. torch::data's MNIST reader and DataLoader, an nn::Sequential of
// the same architecture, torch::optim::SGD, default thread settings and default BLAS kernels (it
// runs in a child process started with ROBUSTLAB_BLAS_TUNING=off), and a textbook PGD loop.
#pragma once
#include <string>

namespace robustlab::bench {

struct Throughput {
  double train_examples_per_s = 0;  // one epoch of SGD (momentum 0.9), batch 128
  double pgd10_examples_per_s = 0;  // l-inf PGD, 10 steps, eps 0.1, batch 500, eval mode
  double pgd_training_examples_per_s = 0;  // one epoch of Madry training: PGD-7, eps 0.1, alpha 0.025
};

// root: a directory with the uncompressed IDX files (torch::data::datasets::MNIST's names).
Throughput plain_libtorch_throughput(const std::string& architecture, const std::string& root,
                                     long train_examples, long test_examples, long adversarial_examples);

}  // namespace robustlab::bench
