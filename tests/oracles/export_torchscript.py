"""Saves a robustlab model file as TorchScript, the way a user exports any PyTorch model:
    model.eval(); torch.jit.save(torch.jit.script(model), OUT)        (or torch.jit.trace)
Usage: export_torchscript.py MODEL.pt OUT.pt [script|trace]"""
import sys

import torch

import robustlab_model

model = robustlab_model.load(sys.argv[1])
how = sys.argv[3] if len(sys.argv) > 3 else "script"
if how == "trace":
    c, h, w = model.normalize.mean.shape[1], 28, 28
    scripted = torch.jit.trace(model, torch.rand(2, c, h, w))
else:
    scripted = torch.jit.script(model)
torch.jit.save(scripted, sys.argv[2])
