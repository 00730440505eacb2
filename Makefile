# morph — build, test, demo and benchmarks. `make demo` and `make test` do all set-up on Debian.

SWIFT     ?= swift
DATA      ?= ../shared/data
BUILD_DIR ?= .build
RELEASE   := $(BUILD_DIR)/release/morph
APT_PACKAGES := pkg-config libopenblas-dev libjpeg62-turbo-dev libpng-dev \
                libavcodec-dev libavformat-dev libswscale-dev libavutil-dev \
                libfreetype-dev fonts-dejavu-core
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Tests call OpenBLAS directly (no re-exec as the `morph` program does): pick the fast kernels here
# unless the caller chose some. Debian's OpenBLAS 0.3.21 does not recognise AVX-512 CPUs.
ifeq ($(origin OPENBLAS_CORETYPE),undefined)
OPENBLAS_CORETYPE := $(shell grep -qw avx512f /proc/cpuinfo 2>/dev/null && echo SkylakeX || \
                             (grep -qw avx2 /proc/cpuinfo 2>/dev/null && echo Haswell))
endif
ifneq ($(OPENBLAS_CORETYPE),)
export OPENBLAS_CORETYPE
endif

.PHONY: all deps build test demo bench venv clean train-nose train-imm train-nose-crop train-imm-crop train-landmarks train-faces train-verifier

all: build

## deps: install the Debian packages the build needs (a quiet no-op when all are present)
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

## build: release build of the `morph` tool
build: deps
	$(SWIFT) build -c release --product morph

## test: every unit test (debug build)
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## demo: render the shipped samples into output/demo.mp4
demo: build
	@mkdir -p output
	$(RELEASE) samples/*.jpg -o output/demo.mp4

## bench: speed measurements (BLAS kernels, engine vs PyTorch, rendering, detection)
bench: build venv
	@echo "== sgemm: Debian's default kernels (forced) vs the kernels morph selects =="
	@OPENBLAS_CORETYPE=Prescott $(RELEASE) bench sgemm
	@env -u OPENBLAS_CORETYPE $(RELEASE) bench sgemm
	@echo "== neural-network engine vs PyTorch (2 threads) =="
	@tools/bench-neuralnet.sh
	@echo "== morph rendering (warp + blend) =="
	@$(RELEASE) bench render
	@echo "== detection on 12-megapixel photos =="
	@$(RELEASE) bench detect --megapixels 12 samples/*.jpg
	@echo "== the whole job: 17 photos of mixed sizes =="
	@$(RELEASE) bench video --count 17 samples/*.jpg

## venv: PyTorch (CPU wheel) for the reference measurements and golden-test generation
venv: .venv/bin/python
.venv/bin/python:
	python3 -m venv .venv
	.venv/bin/pip install -q torch==2.13.0 numpy safetensors

## train-*: retrain the shipped models from $(DATA) (runs under output/runs/, models into models/)
train-nose: build
	$(RELEASE) train nose --data $(DATA)/imm_face_db
train-imm: build
	$(RELEASE) train imm --data $(DATA)/imm_face_db
train-nose-crop: build
	$(RELEASE) train nose-crop --data $(DATA)/imm_face_db --init models/landmarks68.safetensors
train-imm-crop: build
	$(RELEASE) train imm-crop --data $(DATA)/imm_face_db --init models/landmarks68.safetensors

# train-landmarks: the shipped 68-point model, 60 epochs from scratch with the command's defaults
# (about 1.5-2 hours on 2 cores). Run it again after an interruption: it resumes from the checkpoint.
LM68_RUN := output/runs/landmarks68
train-landmarks: build
	$(RELEASE) train landmarks --data $(DATA)/300w --seed 21 --run $(LM68_RUN) \
	  $(if $(wildcard $(LM68_RUN)/checkpoint.safetensors),--resume)
train-faces: build
	$(RELEASE) train faces --data $(DATA)

# Needs models/faces.safetensors and models/landmarks68.safetensors: it checks their boxes.
train-verifier: build
	$(RELEASE) train verifier --data $(DATA)

clean:
	rm -rf $(BUILD_DIR) output/*.mp4 output/runs
