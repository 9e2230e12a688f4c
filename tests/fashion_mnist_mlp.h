// The small Fashion-MNIST MLP the attack and adversarial-training tests train: one hidden layer,
// normalised with the dataset's own channel statistics.
#pragma once
#include "data/images/image_datasets.h"
#include "models/image/image_classifier.h"

inline robustlab::ImageModelSpec fashion_mnist_mlp(const robustlab::ImageData& data, int64_t hidden) {
  robustlab::ImageModelSpec spec;
  spec.architecture = "mlp";
  spec.input_shape = {1, 28, 28};
  spec.outputs = 10;
  spec.hidden = {hidden};
  spec.channel_mean = data.channel_mean;
  spec.channel_std = data.channel_std;
  return spec;
}
