"""PyTorch twins of the NeuralNet engine's models, built by hand (no torchvision), with
torchvision's state-dict keys, and the deterministic weight formula both sides share."""
import numpy as np
import torch
from torch import nn


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return torch.relu(y + (self.downsample(x) if self.downsample is not None else x))


class ResNet18(nn.Module):
    def __init__(self, in_channels=1, outputs=136):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        widths = [(64, 64, 1), (64, 128, 2), (128, 256, 2), (256, 512, 2)]
        for index, (cin, cout, stride) in enumerate(widths, 1):
            setattr(self, f"layer{index}", nn.Sequential(BasicBlock(cin, cout, stride), BasicBlock(cout, cout, 1)))
        self.fc = nn.Linear(512, outputs)

    def forward(self, x):
        x = self.maxpool(torch.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


def tiny_cnn():
    """The golden test's small CNN: input [N, 1, 16, 16] -> [N, 5]."""
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, 1, 1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 6, 3, 2, 1), nn.BatchNorm2d(6), nn.ReLU(), nn.AvgPool2d(2),
        nn.Flatten(), nn.Linear(24, 5))


def cnn58():
    """The 58-point CNN: input [N, 1, 240, 320] -> [N, 116]."""
    layers, cin = [], 1
    for cout in [18, 24, 30, 30, 25]:
        layers += [nn.Conv2d(cin, cout, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2)]
        cin = cout
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(25 * 7 * 10, 128), nn.ReLU(), nn.Linear(128, 116))


def formula(count, phase):
    """Pseudo-random values in [-1, 1): h = 43758.5453 sin(12.9898 i + phase), 2 frac(h) - 1, in
    float64, rounded to float32 (mirrored by the Swift tests)."""
    h = np.sin(np.arange(count, dtype=np.float64) * 12.9898 + phase) * 43758.5453
    return (2 * (h - np.floor(h)) - 1).astype(np.float32)


def formula_weights(model):
    """Sets parameter t (in named_parameters order) from v = formula(numel, 0.7 t + 1.3): matrices
    and kernels v sqrt(3 / fan_in), 1-D weights 1 + 0.1 v, biases 0.1 v."""
    with torch.no_grad():
        for t, (name, p) in enumerate(model.named_parameters()):
            values = formula(p.numel(), 0.7 * t + 1.3).astype(np.float64)
            if p.dim() > 1:
                values *= np.sqrt(3.0 / (p.numel() // p.shape[0]))
            elif name.endswith("weight"):
                values = 1 + 0.1 * values
            else:
                values = 0.1 * values
            p.copy_(torch.from_numpy(values.astype(np.float32)).view_as(p))
