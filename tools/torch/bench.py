"""PyTorch (2 threads) on the NeuralNet bench workloads, printing the same `key value` lines as
nnbench. Usage: bench.py resnet18-train | resnet18-infer | resnet18-latency | cnn58-train"""
import resource
import sys
import time

import torch
from models import ResNet18, cnn58

torch.set_num_threads(2)
torch.manual_seed(0)


def median_seconds(warmup, repeats, body):
    for _ in range(warmup):
        body()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    return sorted(times)[repeats // 2]


def training_rate(model, shape, outputs, repeats):
    x, y = torch.rand(*shape) * 2 - 1, torch.rand(shape[0], outputs) * 2 - 1
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    model.train()

    def step():
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()

    return shape[0] / median_seconds(2, repeats, step)


def main(task):
    print("engine pytorch")
    print(f"torch_version {torch.__version__}")
    if task == "resnet18-train":
        print(f"resnet18_train_img_per_s {training_rate(ResNet18(1, 136), (32, 1, 160, 160), 136, 5)}")
        print(f"resnet18_train_peak_rss_mib {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}")
    elif task in ("resnet18-infer", "resnet18-latency"):
        model = ResNet18(1, 136).eval()
        n = 32 if task == "resnet18-infer" else 1
        x = torch.rand(n, 1, 160, 160)
        with torch.no_grad():
            seconds = median_seconds(5, 5 if n > 1 else 31, lambda: model(x))
        if n > 1:
            print(f"resnet18_infer_img_per_s {n / seconds}")
        else:
            print(f"resnet18_latency_ms {seconds * 1000}")
    elif task == "cnn58-train":
        print(f"cnn58_train_img_per_s {training_rate(cnn58(), (64, 1, 240, 320), 116, 5)}")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
