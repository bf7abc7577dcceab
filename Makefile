# barebpf - top-level build.
#
#   make            library (static + shared) and the barebpf CLI, in build/
#   make test       install missing Debian packages, then build and run every
#                   test twice: a normal build (build/) and ASan+UBSan (build-san/)
#   make demo       build, then show barebpf assembling, disassembling, running,
#                   tracing and kernel-loading the sample corpus
#   make bench      interpreter speed next to the same C built with gcc -O2
#   make install PREFIX=/usr/local
#   make clean
#
# MODE=san selects the sanitizer build; sources are found by wildcard so a
# new file in a module folder needs no Makefile edit.

CC      ?= gcc
PREFIX  ?= /usr/local
MODE    ?= release
VERSION := 0.1.0

ifeq ($(MODE),san)
BUILD   := build-san
OPT     := -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDOPT   := -fsanitize=address,undefined
else
BUILD   := build
OPT     := -O2
LDOPT   :=
endif

CFLAGS_ALL := -std=gnu11 -g -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
	      -fPIC -D_GNU_SOURCE -I. $(OPT) $(CFLAGS)
LDFLAGS_ALL := $(LDOPT) $(LDFLAGS)
LIBS    := -lelf -lz -lpthread

# Library modules, one folder each (see docs/ARCHITECTURE.md).  A module
# whose folder does not exist yet simply contributes no sources.
LIB_MODULES := common isa interp loader btf elf core maps env jit-x86_64 verifier probe
LIB_SRCS := $(foreach m,$(LIB_MODULES),$(wildcard $(m)/*.c))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
CLI_SRCS := $(wildcard cli/*.c)
CLI_OBJS := $(CLI_SRCS:%.c=$(BUILD)/obj/%.o)
# One Criterion binary per tests/<module>/ folder, so modules build and
# fail independently; tests/common/*.c (shared test helpers) links into all.
TEST_MODULES := $(sort $(filter-out common,$(notdir $(patsubst %/,%,$(dir $(wildcard tests/*/*.c))))))
TEST_COMMON_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tests/common/*.c))
TEST_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tests/*/*.c))
TEST_BINS := $(foreach m,$(TEST_MODULES),$(BUILD)/tests/$(m))
# One public header per module (plus the ISA's X-macro tables).
PUBLIC_HEADERS := common/bb.h common/bb_uapi.h isa/isa.h isa/isa_table.h \
	isa/isa_helpers.h $(wildcard interp/vm.h loader/ldr.h btf/btf.h elf/obj.h \
	core/core.h maps/maps.h env/env.h jit-x86_64/jit.h verifier/vf.h probe/probe.h)

LIBA    := $(BUILD)/libbarebpf.a
LIBSO   := $(BUILD)/libbarebpf.so
CLI     := $(BUILD)/barebpf

CONFORMANCE_DIR ?= $(abspath ../shared/conformance)
export BAREBPF_CONFORMANCE_DIR := $(CONFORMANCE_DIR)
export BAREBPF_ROOT := $(CURDIR)

# The seed tools (opensnoop, runqlat, ...): tools/<name>.c is one program;
# tools/lib/*.c is shared by all of them.
TOOL_SRCS := $(wildcard tools/*.c)
TOOL_LIB_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tools/lib/*.c))
TOOLS := $(TOOL_SRCS:tools/%.c=$(BUILD)/tools/%)

.PHONY: all test check demo bench install clean deps fuzz corpus tools
all: $(LIBA) $(LIBSO) $(CLI) $(TOOLS)
tools: $(TOOLS)

-include $(LIB_OBJS:.o=.d) $(CLI_OBJS:.o=.d) $(TEST_OBJS:.o=.d) $(TOOL_LIB_OBJS:.o=.d)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(CFLAGS_$(subst /,_,$*)) -MMD -MP -c $< -o $@

$(LIBA): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(LIBSO): $(LIB_OBJS)
	$(CC) -shared -Wl,-soname,libbarebpf.so.0 $(LDFLAGS_ALL) -o $@ $^ $(LIBS)

$(BUILD)/tools/%: $(BUILD)/obj/tools/%.o $(TOOL_LIB_OBJS) $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $< $(TOOL_LIB_OBJS) $(LIBA) $(LIBS)

$(CLI): $(CLI_OBJS) $(LIBA)
	$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJS) $(LIBA) $(LIBS)

test_objs = $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tests/$(1)/*.c))
.SECONDARY:
.SECONDEXPANSION:
$(BUILD)/tests/%: $$(call test_objs,$$*) $(TEST_COMMON_OBJS) $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $(filter %.o,$^) $(LIBA) -lcriterion $(LIBS)

# libFuzzer targets, one per parser (fuzz/*.c), built with clang-19 and
# ASan+UBSan into build-fuzz/.  `make fuzz FUZZ_SECONDS=600` runs each with
# a random seed; `make test` passes FUZZ_SEED=1 so its short run explores
# the same inputs on every machine (a CI failure reproduces locally).
FUZZ_SRCS := $(wildcard fuzz/*.c)
FUZZ_BINS := $(FUZZ_SRCS:fuzz/%.c=build-fuzz/%)
FUZZ_SECONDS ?= 10
FUZZ_SEED ?=
FUZZ_CC ?= clang-19
FUZZ_CFLAGS := -std=gnu11 -g -O1 -D_GNU_SOURCE -I. -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined
# The library is compiled once with coverage instrumentation; each target links it.
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=build-fuzz/obj/%.o)
build-fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@
-include $(FUZZ_LIB_OBJS:.o=.d)
build-fuzz/%: fuzz/%.c $(FUZZ_LIB_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB_OBJS) $(LIBS)

fuzz: deps $(FUZZ_BINS)
	@set -e; for f in $(FUZZ_BINS); do \
		name=$$(basename $$f); mkdir -p build-fuzz/corpus-$$name fuzz/seeds/$$name; \
		echo "== fuzz $$name for $(FUZZ_SECONDS) s"; \
		if ! $$f -max_total_time=$(FUZZ_SECONDS) $(if $(FUZZ_SEED),-seed=$(FUZZ_SEED)) \
			build-fuzz/corpus-$$name fuzz/seeds/$$name \
			> build-fuzz/$$name.log 2>&1; then \
			tail -40 build-fuzz/$$name.log; exit 1; fi; \
		grep -E '^#[0-9]+ +DONE' build-fuzz/$$name.log || tail -1 build-fuzz/$$name.log; \
	done

deps:
	@scripts/deps.sh

# One build's tests.  Criterion forks a worker per test; -j2 matches the
# two cores CI machines have.
check: $(CLI) $(TOOLS) $(TEST_BINS) corpus
	@set -e; for t in $(TEST_BINS); do \
		echo "== $$t"; \
		BAREBPF_CLI=$(abspath $(CLI)) $$t -j2 --short-filename; \
	done
	@# The offline environment's tests once more with the JIT as the engine:
	@# every helper, tool and kernel comparison must hold for both engines.
	@echo "== $(BUILD)/tests/env (BAREBPF_ENV_ENGINE=jit)"
	@BAREBPF_ENV_ENGINE=jit BAREBPF_CLI=$(abspath $(CLI)) $(BUILD)/tests/env -j2 --short-filename

test: deps
	$(MAKE) MODE=release check
	$(MAKE) MODE=san check
	$(MAKE) fuzz FUZZ_SECONDS=5 FUZZ_SEED=1
	@echo "make test: normal and ASan+UBSan builds passed"

# The BPF C corpus, built with clang-19 against a vmlinux.h that barebpf
# itself dumps from /sys/kernel/btf/vmlinux.
corpus: deps all
	$(MAKE) -C corpus BAREBPF=$(abspath $(CLI)) OUT=$(abspath $(BUILD))/corpus

demo: deps all corpus
	@CORPUS=$(BUILD)/corpus TOOLS=$(BUILD)/tools scripts/demo.sh $(CLI)

bench: deps all corpus
	@$(MAKE) -C bench BAREBPF=$(abspath $(CLI)) LIBA=$(abspath $(LIBA)) \
		CORPUS_DIR=$(abspath $(BUILD))/corpus

install: $(LIBA) $(LIBSO) $(CLI)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 755 $(CLI) $(DESTDIR)$(PREFIX)/bin/barebpf
	for t in $(TOOLS); do install -m 755 $$t $(DESTDIR)$(PREFIX)/bin/barebpf-$$(basename $$t); done
	install -m 644 $(LIBA) $(DESTDIR)$(PREFIX)/lib/libbarebpf.a
	install -m 755 $(LIBSO) $(DESTDIR)$(PREFIX)/lib/libbarebpf.so.$(VERSION)
	ln -sf libbarebpf.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libbarebpf.so.0
	ln -sf libbarebpf.so.0 $(DESTDIR)$(PREFIX)/lib/libbarebpf.so
	for h in $(PUBLIC_HEADERS); do \
		install -D -m 644 $$h $(DESTDIR)$(PREFIX)/include/barebpf/$$h; done
	install -m 644 include/barebpf.h $(DESTDIR)$(PREFIX)/include/barebpf.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' \
		scripts/barebpf.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/barebpf.pc

clean:
	rm -rf build build-san build-fuzz
	$(MAKE) -C bench clean
