# morph — build, test, demo and benchmarks. `make demo` and `make test` do all set-up on Debian.

SWIFT     ?= swift
DATA      ?= ../shared/data
BUILD_DIR ?= .build
RELEASE   := $(BUILD_DIR)/release/morph
APT_PACKAGES := pkg-config libopenblas-dev libjpeg62-turbo-dev libpng-dev \
                libavcodec-dev libavformat-dev libswscale-dev libavutil-dev \
                libfreetype-dev fonts-dejavu-core
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Where `make install` puts things: $(DESTDIR)$(PREFIX)/bin, share/morph/models, share/man/man1, completions.
PREFIX    ?= /usr/local
DESTDIR   ?=
SHARE     := $(DESTDIR)$(PREFIX)/share

# Tests call OpenBLAS directly (no re-exec as the `morph` program does): pick the fast kernels here
# unless the caller chose some. Debian's OpenBLAS 0.3.21 does not recognise AVX-512 CPUs.
# Benchmarks leave the choice to the programs, which pick kernels as `morph` does (BLASRuntime):
# BENCH_ENV drops the value set here, and keeps one the caller set.
BENCH_ENV := $(if $(filter undefined,$(origin OPENBLAS_CORETYPE)),env -u OPENBLAS_CORETYPE,env)
ifeq ($(origin OPENBLAS_CORETYPE),undefined)
OPENBLAS_CORETYPE := $(shell grep -qw avx512f /proc/cpuinfo 2>/dev/null && echo SkylakeX || \
                             (grep -qw avx2 /proc/cpuinfo 2>/dev/null && echo Haswell))
endif
ifneq ($(OPENBLAS_CORETYPE),)
export OPENBLAS_CORETYPE
endif

.PHONY: all deps build test demo bench venv clean install uninstall install-check train-nose train-imm train-nose-crop train-imm-crop train-landmarks train-faces train-verifier train-identity

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

## install: the tool, its models, a man page and bash/zsh/fish completions under $(DESTDIR)$(PREFIX)
install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(SHARE)/morph/models $(SHARE)/man/man1 \
	  $(SHARE)/bash-completion/completions $(SHARE)/zsh/site-functions $(SHARE)/fish/vendor_completions.d
	install -m 755 $(RELEASE) $(DESTDIR)$(PREFIX)/bin/morph
	install -m 644 models/*.safetensors $(SHARE)/morph/models/
	$(RELEASE) --generate-completion-script bash > $(SHARE)/bash-completion/completions/morph
	$(RELEASE) --generate-completion-script zsh > $(SHARE)/zsh/site-functions/_morph
	$(RELEASE) --generate-completion-script fish > $(SHARE)/fish/vendor_completions.d/morph.fish
	$(RELEASE) manual > $(SHARE)/man/man1/morph.1

## install-check: install into a temporary prefix and run the installed tool from another folder
install-check:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  $(MAKE) --no-print-directory install DESTDIR="$$tmp" PREFIX=/usr > /dev/null && \
	  cp samples/imm-01-1m.jpg "$$tmp/photo.jpg" && \
	  (cd "$$tmp" && env -u MORPH_MODELS ./usr/bin/morph detect photo.jpg -o out --no-overlays > /dev/null) && \
	  grep -q '"points"' "$$tmp/out/photo.json" && test -s "$$tmp/usr/share/man/man1/morph.1" && \
	  $(MAKE) --no-print-directory uninstall DESTDIR="$$tmp" PREFIX=/usr && test ! -e "$$tmp/usr/bin/morph" && \
	  echo "install-check: the installed morph found its models and analysed a photo"

## uninstall: remove what `make install` put under $(DESTDIR)$(PREFIX)
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/morph $(SHARE)/man/man1/morph.1 $(SHARE)/bash-completion/completions/morph \
	  $(SHARE)/zsh/site-functions/_morph $(SHARE)/fish/vendor_completions.d/morph.fish
	rm -rf $(SHARE)/morph

## demo: render the shipped samples (different people: the largest face of each) into output/demo.mp4
demo: build
	@mkdir -p output
	$(RELEASE) samples/*.jpg --face largest -o output/demo.mp4

## bench: speed measurements (BLAS kernels, engine vs PyTorch, rendering, detection)
bench: build venv
	@echo "== sgemm: Debian's default kernels (forced) vs the kernels morph selects =="
	@OPENBLAS_CORETYPE=Prescott $(RELEASE) bench sgemm
	@$(BENCH_ENV) $(RELEASE) bench sgemm
	@echo "== neural-network engine vs PyTorch (2 threads), share of the sgemm bound =="
	@$(BENCH_ENV) tools/bench-neuralnet.sh
	@echo "== morph rendering (warp + blend) =="
	@$(BENCH_ENV) $(RELEASE) bench render
	@echo "== detection on 12-megapixel photos =="
	@$(BENCH_ENV) $(RELEASE) bench detect --megapixels 12 samples/*.jpg
	@echo "== the whole job: 17 photos of mixed sizes =="
	@$(BENCH_ENV) $(RELEASE) bench video --count 17 --face largest samples/*.jpg
	@echo "== the whole job following one person (--face auto): 17 photos of one face =="
	@$(BENCH_ENV) $(RELEASE) bench video --count 17 samples/imm-01-1m.jpg
	@echo "== grouping people (detect --people) on synthetic collections of 250 to 2000 photos =="
	@$(BENCH_ENV) $(RELEASE) bench people

## venv: PyTorch (CPU wheel) for the reference measurements and golden-test generation
venv: .venv/bin/python
.venv/bin/python:
	python3 -m venv .venv
	.venv/bin/pip install -q torch==2.13.0 numpy safetensors

## train-*: retrain the shipped models from $(DATA) (runs under output/runs/, models into models/)
train-nose: build
	$(RELEASE) train nose --data $(DATA)/imm_face_db -o models/nose.safetensors
train-imm: build
	$(RELEASE) train imm --data $(DATA)/imm_face_db -o models/imm58.safetensors
train-nose-crop: build
	$(RELEASE) train nose-crop --data $(DATA)/imm_face_db --init models/landmarks68.safetensors \
	  -o models/nose-crop.safetensors
train-imm-crop: build
	$(RELEASE) train imm-crop --data $(DATA)/imm_face_db --init models/landmarks68.safetensors \
	  -o models/imm58-crop.safetensors

# train-landmarks: the shipped 68-point model (about 4 h 30 min on 2 cores; run it again after an
# interruption: each stage resumes from its checkpoint). Two teachers start from the identity model's
# backbone (seeds 21 and 22, 60 epochs each, 128x128 crops); the student starts there too and learns
# for 90 epochs, on 192x192 crops at feature stride 8, from the 300-W faces and, half as many again each epoch, LFW
# photos labelled by the teachers (peopleDevTrain.txt); a last stage of 10 epochs moves it to 224x224
# crops on the annotated faces alone.
LM68_RUN := output/runs/landmarks68
LM68_FROM := --data $(DATA)/300w --init models/identity.safetensors
resume_in = $(if $(wildcard $(1)/checkpoint.safetensors),--resume)
train-landmarks: build
	$(RELEASE) train landmarks $(LM68_FROM) --seed 21 --run $(LM68_RUN)-teacher-21 $(call resume_in,$(LM68_RUN)-teacher-21)
	$(RELEASE) train landmarks $(LM68_FROM) --seed 22 --run $(LM68_RUN)-teacher-22 $(call resume_in,$(LM68_RUN)-teacher-22)
	$(RELEASE) train landmarks $(LM68_FROM) --seed 22 --epochs 90 --unlabelled $(DATA)/lfw --unlabelled-ratio 0.5 \
	  --teachers $(LM68_RUN)-teacher-21/landmarks68.safetensors,$(LM68_RUN)-teacher-22/landmarks68.safetensors \
	  --input-size 192 --feature-stride 8 --run $(LM68_RUN) $(call resume_in,$(LM68_RUN))
	$(RELEASE) train landmarks --data $(DATA)/300w --init $(LM68_RUN)/landmarks68.safetensors --seed 22 --epochs 10 --lr 1e-4 \
	  --input-size 224 --feature-stride 8 --run $(LM68_RUN)-224 -o models/landmarks68.safetensors $(call resume_in,$(LM68_RUN)-224)
train-faces: build
	$(RELEASE) train faces --data $(DATA) -o models/faces.safetensors

# The face-identity model on LFW (about 1 hour on 2 cores; the first 15 minutes place keypoints on
# every photo, cached in the run folder). Run it again after an interruption: it resumes.
ID_RUN := output/runs/identity
train-identity: build
	$(RELEASE) train identity --data $(DATA)/lfw --init models/landmarks68.safetensors --seed 31 --run $(ID_RUN) \
	  -o models/identity.safetensors \
	  $(if $(wildcard $(ID_RUN)/checkpoint.safetensors),--resume)

# Needs models/faces.safetensors and models/landmarks68.safetensors: it checks their boxes.
train-verifier: build
	$(RELEASE) train verifier --data $(DATA) -o models/face-verifier.safetensors

clean:
	rm -rf $(BUILD_DIR) output/*.mp4 output/runs
