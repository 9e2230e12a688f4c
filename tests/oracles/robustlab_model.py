"""A robustlab model file as a PyTorch module: the same network (normalisation inside, the MLP or
LeNet-style CNN of src/models/image/), built from the file's spec and loaded with its weights.
robustlab's model files are torch.save dictionaries: {"format", "spec", "task", "model": state dict}.
"""
import json

import torch
from torch import nn


class Normalize(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        c = len(mean)
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float64).float().view(1, c, 1, 1))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float64).float().view(1, c, 1, 1))

    def forward(self, x):
        return (x - self.mean) / self.std


class ImageClassifier(nn.Module):
    """normalise -> extractor -> linear, named as robustlab names them."""

    def __init__(self, spec):
        super().__init__()
        c, h, w = spec["input_shape"]
        self.normalize = Normalize(spec["channel_mean"], spec["channel_std"])
        if spec["architecture"] == "mlp":
            layers, width = [nn.Flatten()], c * h * w
            for hidden in spec["hidden"]:
                layers += [nn.Linear(width, hidden), nn.ReLU()]
                width = hidden
        elif spec["architecture"] == "small-cnn":
            after = ((h // 2) - 4) // 2
            layers = [nn.Conv2d(c, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                      nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16 * after * after, 120), nn.ReLU(),
                      nn.Linear(120, 84), nn.ReLU()]
            width = 84
        else:
            raise SystemExit("robustlab_model.py: architecture " + spec["architecture"] + " is not mirrored here")
        self.extractor = nn.Sequential(*layers)
        self.classifier = nn.Linear(width, spec["outputs"])
        self.binary = spec["outputs"] == 1

    def forward(self, x):
        z = self.classifier(self.extractor(self.normalize(x)))
        return z.squeeze(1) if self.binary else z


def load(path):
    file = torch.load(path)
    model = ImageClassifier(json.loads(file["spec"]))
    model.load_state_dict(file["model"])
    return model.eval()
