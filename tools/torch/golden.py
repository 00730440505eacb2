"""Generates the NeuralNet golden fixtures (Tests/NeuralNetTests/Fixtures/golden_*.safetensors).

Both sides derive weights, inputs and targets from the formulas in models.py, so only results are
stored: forward output, losses, parameter gradients (all of them for the tiny CNN, per-tensor
summaries for ResNet18), BatchNorm running statistics and parameters after one Adam step.
Run: .venv/bin/python tools/torch/golden.py
"""
import os
import numpy as np
import torch
from safetensors.torch import save_file
from models import ResNet18, tiny_cnn, formula, formula_weights

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "NeuralNetTests", "Fixtures")
torch.manual_seed(0)
torch.set_num_threads(1)


def tensor(shape, phase, scale=1.0):
    """A float32 tensor of `shape` filled from `formula`, times `scale`."""
    return torch.from_numpy(formula(int(np.prod(shape)), phase) * np.float32(scale)).view(*shape)


def wing(pred, target, w=10.0, eps=2.0):
    """Wing loss (Feng et al. 2018), mean over elements."""
    d = (pred - target).abs()
    c = w - w * np.log(1 + w / eps)
    return torch.where(d < w, w * torch.log(1 + d / eps), d - c).mean()


def summary(g):
    """sum, sum of squares and the elements at k (n - 1) // 7, k = 0..7, of a flattened tensor."""
    flat = g.detach().double().flatten()
    picks = flat[torch.tensor([k * (flat.numel() - 1) // 7 for k in range(8)])]
    return torch.cat([flat.sum().view(1), (flat * flat).sum().view(1), picks]).float()


def run(model, x, target):
    """One training-mode forward and backward with the MSE loss; returns output and loss."""
    model.train()
    out = model(x)
    loss = torch.nn.functional.mse_loss(out, target)
    loss.backward()
    return out.detach().clone(), loss.detach()


def tiny():
    model = tiny_cnn()
    formula_weights(model)
    x, target = tensor([2, 1, 16, 16], 0.5), tensor([2, 5], 2.0, 0.5)
    out, loss = run(model, x, target)
    result = {"output": out, "loss.mse": loss.view(1)}
    for name, value in [("l1", torch.nn.functional.l1_loss), ("smooth_l1", torch.nn.functional.smooth_l1_loss),
                        ("wing", wing)]:
        pred = (out * 8).requires_grad_()  # spread the differences over both pieces of each loss
        loss_value = value(pred, target)
        loss_value.backward()
        result[f"loss.{name}"] = loss_value.detach().view(1)
        result[f"loss_grad.{name}"] = pred.grad
    for name, p in model.named_parameters():
        result[f"grad.{name}"] = p.grad.clone()
    for name, b in model.named_buffers():
        if not name.endswith("num_batches_tracked"):
            result[f"after_forward.{name}"] = b.clone()
    torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=0.001).step()
    for name, p in model.named_parameters():
        result[f"after_adam.{name}"] = p.detach().clone()
    model.eval()
    with torch.no_grad():
        result["eval_output"] = model(x)
    save_file({k: v.contiguous() for k, v in result.items()}, os.path.join(FIXTURES, "golden_tiny.safetensors"),
              metadata={"generator": "tools/torch/golden.py", "torch": torch.__version__})
    # The same model's state dict as PyTorch writes it (with num_batches_tracked), for loading.
    save_file({k: v.contiguous() for k, v in model.state_dict().items()},
              os.path.join(FIXTURES, "tiny_state_dict.safetensors"), metadata={"format": "pt"})


def resnet():
    model = ResNet18(1, 136)
    formula_weights(model)
    x, target = tensor([2, 1, 64, 64], 0.5), tensor([2, 136], 2.0, 0.5)
    out, loss = run(model, x, target)
    result = {"output": out, "loss.mse": loss.view(1)}
    for name, p in model.named_parameters():
        result[f"grad_summary.{name}"] = summary(p.grad)
    keys = ",".join(f"{k}:{'x'.join(map(str, v.shape))}" for k, v in model.state_dict().items())
    save_file(result, os.path.join(FIXTURES, "golden_resnet18.safetensors"),
              metadata={"generator": "tools/torch/golden.py", "torch": torch.__version__, "state_dict": keys})


if __name__ == "__main__":
    tiny()
    resnet()
