"""Fashion-MNIST's images and labels from the Debian package's IDX files, as robustlab reads
them: pixels / 255 as float32, [N, 1, 28, 28]."""
import gzip
import struct

import torch

ROOT = "/usr/share/datasets/fashion-mnist"


def _idx(path):
    data = gzip.open(path).read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def _split(prefix, root):
    images = _idx(f"{root}/{prefix}-images-idx3-ubyte.gz").unsqueeze(1).float().div_(255.0)
    labels = _idx(f"{root}/{prefix}-labels-idx1-ubyte.gz").long()
    return images, labels


def test_set(root=ROOT):
    return _split("t10k", root)


def train_set(root=ROOT):
    return _split("train", root)
