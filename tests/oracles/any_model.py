"""A PyTorch model robustlab never saw, as a user would bring it: defined here (batch norm and
dropout included, so eval mode matters), trained briefly on Fashion-MNIST, saved as TorchScript
scripted and traced; and variants robustlab must refuse. Prints the scripted model's clean test
accuracy over the whole test set as correct/total.
    any_model.py OUT_DIR"""
import os
import sys

import torch
from torch import nn

import fashion_mnist

torch.manual_seed(0)
torch.set_num_threads(1)
out = sys.argv[1]
os.makedirs(out, exist_ok=True)


class Net(nn.Module):
    def __init__(self, classes=10, channels=1):
        super().__init__()
        self.register_buffer("mean", torch.tensor(0.286))
        self.register_buffer("std", torch.tensor(0.353))
        self.features = nn.Sequential(nn.Conv2d(channels, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Flatten(), nn.Dropout(0.3))
        self.head = nn.Linear(8 * 14 * 14 if channels == 1 else 8 * 16 * 16, classes)

    def forward(self, x):
        return self.head(self.features((x - self.mean) / self.std))


images, labels = fashion_mnist.test_set()
train_x, train_y = fashion_mnist.train_set()
model = Net()
optimizer = torch.optim.Adam(model.parameters(), 3e-3)
for step in range(150):
    batch = torch.randint(0, train_x.shape[0], (128,))
    loss = nn.functional.cross_entropy(model(train_x[batch]), train_y[batch])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
model.eval()
torch.jit.save(torch.jit.script(model), os.path.join(out, "scripted.pt"))
torch.jit.save(torch.jit.trace(model, images[:4]), os.path.join(out, "traced.pt"))
torch.jit.save(torch.jit.script(Net(classes=5).eval()), os.path.join(out, "five_classes.pt"))
torch.jit.save(torch.jit.script(Net(channels=3).eval()), os.path.join(out, "colour_input.pt"))
with torch.no_grad():
    correct = (model(images).argmax(1) == labels).sum().item()
print(f"{correct}/{len(labels)}")
