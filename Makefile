# reputed -- build, test, run. See README.
PKG_CONFIG ?= pkg-config
PREFIX     ?= /usr/local
BUILD      ?= build
CC         ?= cc

PKGS      = libuv lmdb ldns libmaxminddb libcurl jansson inih
TEST_PKGS = cmocka

CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wpointer-arith -Wformat=2
DATADIR  ?= $(PREFIX)/share/reputed
CPPFLAGS += -D_GNU_SOURCE -Ischema -MMD -MP \
            -DREPUTED_DATADIR='"$(DATADIR)"' \
            $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LDLIBS   += $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lm

LIB_SRC  = $(wildcard schema/*.c)
IMP_SRC  = $(filter-out importers/main.c,$(wildcard importers/*.c))
SRV_SRC  = $(filter-out server/main.c,$(wildcard server/*.c))
CTL_SRC  = tools/reputectl.c $(wildcard tools/ctl_*.c)
UNIT_SRC = $(wildcard tests/unit/test_*.c)

LIB      = $(BUILD)/libreputed.a
IMP_LIB  = $(BUILD)/libimport.a
SRV_LIB  = $(BUILD)/libserver.a
PROGS    = $(BUILD)/reputed-import $(BUILD)/reputectl \
           $(if $(wildcard server/main.c),$(BUILD)/reputed)
UNITS    = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH    = $(BUILD)/bench_store

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

.PHONY: all deps test unit integration bench run install clean sanitize fuzz \
        valgrind
all: $(PROGS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# Tests may include any module's header; the programs keep their layers.
$(BUILD)/obj/tests/%.o: CPPFLAGS += -Iserver -Iimporters

$(LIB): $(call obj,$(LIB_SRC))
	$(AR) rcs $@ $^
$(IMP_LIB): $(call obj,$(IMP_SRC))
	$(AR) rcs $@ $^
$(SRV_LIB): $(call obj,$(SRV_SRC)) | $(LIB)
	$(AR) rcs $@ $(filter %.o,$^)

$(BUILD)/reputed-import: $(call obj,importers/main.c) $(IMP_LIB) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/reputectl: $(call obj,$(CTL_SRC)) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/reputed: $(call obj,server/main.c) $(SRV_LIB) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Unit tests link the core and the importer and server modules (no mains).
$(BUILD)/tests/%: $(call obj,tests/unit/%.c) $(IMP_LIB) $(if $(SRV_SRC),$(SRV_LIB)) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) \
	    $(shell $(PKG_CONFIG) --libs $(TEST_PKGS) 2>/dev/null)

$(BENCH): $(call obj,tests/bench/bench_store.c) $(IMP_LIB) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Installs the Debian packages the build and tests need, if any is missing.
deps:
	@tools/install-deps.sh

unit: $(UNITS)
	@tests/unit/run.sh $(UNITS)

integration: $(PROGS)
	@BUILD=$(abspath $(BUILD)) tests/integration/run.sh

test: deps
	@$(MAKE) --no-print-directory all unit
	@$(MAKE) --no-print-directory integration

bench:
	@tools/install-deps.sh --bench
	@$(MAKE) --no-print-directory $(PROGS) $(BENCH)
	@BUILD=$(abspath $(BUILD)) tests/bench/run.sh

run: deps
	@$(MAKE) --no-print-directory all
	@tools/run-sample.sh $(BUILD)

sanitize: deps
	@CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer" \
	    LDFLAGS="-fsanitize=address,undefined" \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    $(MAKE) --no-print-directory BUILD=build-san test

# Every program under valgrind's memcheck (a build with a 1 GiB map).
valgrind:
	@tools/install-deps.sh --valgrind
	@tests/valgrind.sh

# libFuzzer targets (clang), each run for FUZZ_TIME seconds.
FUZZ_TIME ?= 60
fuzz:
	@tools/install-deps.sh --fuzz
	@FUZZ_TIME=$(FUZZ_TIME) tests/fuzz/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR) \
	    $(DESTDIR)$(PREFIX)/share/doc/reputed/contrib
	install -m 755 $(PROGS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 catalog/catalog.ini $(DESTDIR)$(DATADIR)/
	install -m 644 contrib/* $(DESTDIR)$(PREFIX)/share/doc/reputed/contrib/

clean:
	rm -rf build build-san build-fuzz build-vg

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
