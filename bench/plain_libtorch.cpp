#include "plain_libtorch.h"

#include <chrono>

namespace robustlab::bench {
namespace {

namespace nn = torch::nn;

nn::Sequential plain_model(const std::string& architecture) {
  if (architecture == "mlp")
    return nn::Sequential(nn::Flatten(), nn::Linear(784, 256), nn::ReLU(), nn::Linear(256, 256), nn::ReLU(),
                          nn::Linear(256, 10));
  return nn::Sequential(nn::Conv2d(nn::Conv2dOptions(1, 6, 5).padding(2)), nn::ReLU(), nn::MaxPool2d(2),
                        nn::Conv2d(6, 16, 5), nn::ReLU(), nn::MaxPool2d(2), nn::Flatten(),
                        nn::Linear(400, 120), nn::ReLU(), nn::Linear(120, 84), nn::ReLU(), nn::Linear(84, 10));
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The textbook l-inf PGD loop: uniform random start, signed steps, clip to the ball and [0, 1].
torch::Tensor textbook_pgd(nn::Sequential& model, const torch::Tensor& x, const torch::Tensor& y, double eps,
                           double alpha, int steps) {
  torch::Tensor x_adv = (x + torch::empty_like(x).uniform_(-eps, eps)).clamp(0, 1);
  for (int step = 0; step < steps; ++step) {
    x_adv.requires_grad_(true);
    const torch::Tensor loss = torch::nn::functional::cross_entropy(model->forward(x_adv), y);
    const torch::Tensor grad = torch::autograd::grad({loss}, {x_adv})[0];
    x_adv = torch::min(torch::max(x_adv.detach() + alpha * grad.sign(), x - eps), x + eps).clamp(0, 1);
  }
  return x_adv.detach();
}

}  // namespace

Throughput plain_libtorch_throughput(const std::string& architecture, const std::string& root,
                                     long train_examples, long test_examples, long adversarial_examples) {
  nn::Sequential model = plain_model(architecture);
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.05).momentum(0.9));
  auto train_loader = torch::data::make_data_loader<torch::data::samplers::RandomSampler>(
      torch::data::datasets::MNIST(root).map(torch::data::transforms::Stack<>()), 128);
  Throughput t;
  model->train();
  long seen = 0;
  auto start = std::chrono::steady_clock::now();
  for (auto& batch : *train_loader) {
    optimizer.zero_grad();
    torch::nn::functional::cross_entropy(model->forward(batch.data), batch.target).backward();
    optimizer.step();
    if ((seen += batch.data.size(0)) >= train_examples) break;
  }
  t.train_examples_per_s = seen / seconds_since(start);

  model->eval();
  auto test_loader = torch::data::make_data_loader<torch::data::samplers::SequentialSampler>(
      torch::data::datasets::MNIST(root, torch::data::datasets::MNIST::Mode::kTest)
          .map(torch::data::transforms::Stack<>()),
      500);
  const double eps = 0.1, alpha = 0.025;
  seen = 0;
  start = std::chrono::steady_clock::now();
  for (auto& batch : *test_loader) {
    textbook_pgd(model, batch.data, batch.target, 0.1, 0.025, 10);
    if ((seen += batch.data.size(0)) >= test_examples) break;
  }
  t.pgd10_examples_per_s = seen / seconds_since(start);

  // Madry adversarial training: each minibatch replaced by its PGD-7 point (crafted in eval mode).
  seen = 0;
  start = std::chrono::steady_clock::now();
  for (auto& batch : *train_loader) {
    model->eval();
    const torch::Tensor x_adv = textbook_pgd(model, batch.data, batch.target, 0.1, 0.025, 7);
    model->train();
    optimizer.zero_grad();
    torch::nn::functional::cross_entropy(model->forward(x_adv), batch.target).backward();
    optimizer.step();
    if ((seen += batch.data.size(0)) >= adversarial_examples) break;
  }
  t.pgd_training_examples_per_s = seen / seconds_since(start);
  return t;
}

}  // namespace robustlab::bench
