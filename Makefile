# morph — build, test, demo and benchmarks. `make demo` and `make test` do all set-up on Debian.

SWIFT     ?= swift
DATA      ?= ../shared/data
BUILD_DIR ?= .build
RELEASE   := $(BUILD_DIR)/release/morph
APT_PACKAGES := pkg-config libopenblas-dev libjpeg62-turbo-dev libpng-dev \
                libavcodec-dev libavformat-dev libswscale-dev libavutil-dev
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

# train-landmarks: the shipped 68-point model is nine stages, each fine-tuning the one before
# (about 7 hours on 2 cores). Each stage's model goes to output/landmarks68/stageN.safetensors;
# running the target again skips finished stages and resumes an interrupted one from its checkpoint.
# (The shipped stage 1 was resumed at --lr 5e-4 from epoch 31; here it runs in one go.)
LM68 := output/landmarks68
LM68_INTEGRAL := --head integral --feature-stride 16 --loss wing
LM68_stage1 := --epochs 60 --seed 1
LM68_stage2 := --lr 2e-4 --epochs 30 --seed 2
LM68_stage3 := --loss wing --lr 1e-4 --epochs 24 --seed 3
LM68_stage4 := --loss wing --lr 8e-5 --epochs 22 --seed 4
LM68_stage5 := --head integral --loss wing --lr 2e-4 --epochs 24 --seed 9
LM68_stage6 := $(LM68_INTEGRAL) --lr 1e-4 --epochs 20 --seed 10
LM68_stage7 := $(LM68_INTEGRAL) --lr 5e-5 --epochs 12 --seed 11
LM68_stage8 := $(LM68_INTEGRAL) --cell-loss-weight 1 --lr 1e-4 --epochs 16 --seed 13
LM68_stage9 := $(LM68_INTEGRAL) --cell-loss-weight 1 --lr 5e-5 --epochs 14 --seed 14

# $(call LM68_STAGE,stage,previous stage or empty)
define LM68_STAGE
$(LM68)/$(1).safetensors: $(if $(2),$(LM68)/$(2).safetensors) | build
	$(RELEASE) train landmarks --data $(DATA)/300w $(LM68_$(1)) $(if $(2),--init $(LM68)/$(2).safetensors) \
	  --run $(LM68)/$(1) --output $$@ $$(if $$(wildcard $(LM68)/$(1)/checkpoint.safetensors),--resume)
endef
$(eval $(call LM68_STAGE,stage1,))
$(eval $(call LM68_STAGE,stage2,stage1))
$(eval $(call LM68_STAGE,stage3,stage2))
$(eval $(call LM68_STAGE,stage4,stage3))
$(eval $(call LM68_STAGE,stage5,stage4))
$(eval $(call LM68_STAGE,stage6,stage5))
$(eval $(call LM68_STAGE,stage7,stage6))
$(eval $(call LM68_STAGE,stage8,stage7))
$(eval $(call LM68_STAGE,stage9,stage8))

train-landmarks: $(LM68)/stage9.safetensors
	cp $< models/landmarks68.safetensors.tmp && mv models/landmarks68.safetensors.tmp models/landmarks68.safetensors
train-faces: build
	$(RELEASE) train faces --data $(DATA)

# Needs models/faces.safetensors and models/landmarks68.safetensors: it checks their boxes.
train-verifier: build
	$(RELEASE) train verifier --data $(DATA)

clean:
	rm -rf $(BUILD_DIR) output/*.mp4 output/runs
