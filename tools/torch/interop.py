"""Checks safetensors interchange with PyTorch on a full ResNet18 (1 input channel, 136 outputs):
a PyTorch state dict (with num_batches_tracked) loads strictly into the engine, and the file the
engine writes opens in Python's safetensors with the same weights and the same eval output.
Usage: .venv/bin/python tools/torch/interop.py [path/to/nnbench]"""
import os
import subprocess
import sys
import tempfile

import torch
from safetensors import safe_open
from safetensors.torch import save_file
from models import ResNet18

torch.manual_seed(0)
nnbench = sys.argv[1] if len(sys.argv) > 1 else ".build/release/nnbench"
model = ResNet18(1, 136)
model.train()
with torch.no_grad():
    for _ in range(3):  # move the running statistics away from their defaults
        model(torch.randn(4, 1, 64, 64))
model.eval()
with tempfile.TemporaryDirectory() as tmp:
    source, written = os.path.join(tmp, "torch.safetensors"), os.path.join(tmp, "engine.safetensors")
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, source, metadata={"origin": "torch"})
    subprocess.run([nnbench, "roundtrip", source, written], check=True)
    with safe_open(written, "pt") as f:
        assert f.metadata()["origin"] == "torch", f.metadata()
        tensors = {k: f.get_tensor(k) for k in f.keys()}
output = tensors.pop("eval_output")
expected_keys = {k for k in model.state_dict() if not k.endswith("num_batches_tracked")}
assert set(tensors) == expected_keys, set(tensors) ^ expected_keys
for key, value in tensors.items():
    assert torch.equal(value, model.state_dict()[key]), key
x = torch.sin(torch.arange(2 * 64 * 64, dtype=torch.float64) * 0.01).float().view(2, 1, 64, 64)
with torch.no_grad():
    reference = model(x)
error = (output - reference).abs().max().item()
print(f"{len(tensors)} tensors identical; eval output max |difference| {error:.2e}")
assert error < 1e-3 * reference.abs().max().item(), error
print("interop OK")
