# mod_broadcast -- build, install, test, run, benchmark.
#
#   make            build mod_broadcast.so with apxs (-Wall -Wextra -Werror)
#   make install    install it with apxs -i, the player's script, the
#                   schemas and mods-available/broadcast.{load,conf} (DESTDIR),
#                   and tools/mb-link (signed links) to BINDIR
#   make deb        the Debian package, build/libapache2-mod-broadcast_*.deb
#   make test-deb   install that package into this machine's Apache and test it
#   make test       unit tests + Apache::Test suite, one prove summary
#   make test-sanitize   the same suite against the module built with
#                   AddressSanitizer + UBSan (SANITIZE=1); fails on any report
#   make fuzz       every libFuzzer target in t/fuzz for FUZZ_SECONDS each
#   make run        the embedded default on 127.0.0.1:8080 (foreground)
#   make bench      benchmarks in bench/ (wrk: ranges against the core, API pairs/s)
#   make bench-watchlog   the cost of the watch log (log on / log off)
#   make bench-journal    playlist PUT cost against its segments; BroadcastLiveSync
#   make bench-viewers    live HLS viewers one machine holds: module / nginx
#   make bench-tools      build/hlsviewers, the HLS audience simulator

APXS     ?= /usr/bin/apxs
HTTPD    ?= /usr/sbin/apache2
CC       ?= gcc
TEST_PORT ?= 8529
RUN_PORT  ?= 8080

WARN     = -Wall -Wextra -Werror
# The httpd-free core (src/core/, its interface in include/) is built once
# per flavour as a static library, build/<flavour>/libmbcore.a, which the
# module, the unit tests and the fuzzers link.  The glue (every other .c
# under src/, one folder per handler or concern) is compiled by apxs.
# The module exports only broadcast_module (MB_EXPORT): everything is
# compiled with -fvisibility=hidden (t/unit/symbols.t).
MOD_VIS  = -fvisibility=hidden
CORE_SRCS = $(sort $(wildcard src/core/*.c))
GLUE_SRCS = mod_broadcast.c $(wildcard src/*.c) $(sort $(filter-out $(CORE_SRCS),$(wildcard src/*/*.c)))
SRCS     = $(GLUE_SRCS) $(CORE_SRCS)
HDRS     = $(wildcard include/*.h src/*.h src/*/*.h)
CORE_HDRS = $(wildcard include/*.h)
LIBS     = -lcurl -ljansson -lcrypto -lm
INCLUDES = -Iinclude -Isrc

MOD      = .libs/mod_broadcast.so

APR_CFLAGS = $(shell apr-1-config --cflags --cppflags --includes 2>/dev/null) \
             $(shell apu-1-config --includes 2>/dev/null)
APR_LIBS   = $(shell apr-1-config --link-ld --libs 2>/dev/null) \
             $(shell apu-1-config --link-ld --libs 2>/dev/null)

UNIT_TESTS = build/unit_range build/unit_query build/unit_path build/unit_size \
             build/unit_hls build/unit_uuid build/unit_time build/unit_s3 \
             build/unit_sts build/unit_validate build/unit_secret \
             build/unit_html build/unit_chart build/unit_status build/unit_text \
             build/unit_origin build/unit_dbfault build/unit_json \
             build/unit_hls_validate build/unit_quota build/unit_number \
             build/unit_s3get build/unit_metrics build/unit_viewer_token \
             build/unit_s3list build/unit_signed_link build/unit_s3presign

.PHONY: all install deb test-deb test test-sanitize unit run bench bench-watchlog bench-journal bench-viewers bench-tools clean deps fuzz assets

all: $(MOD) build/mb-link

# tools/mb-link: mints signed links and viewer links with the module's own
# signing code (the plain core library); installed to $(BINDIR)
BINDIR ?= /usr/bin
build/mb-link: tools/mb-link.c build/plain/libmbcore.a $(CORE_HDRS)
	@mkdir -p build
	$(CC) $(WARN) -O2 -g -Iinclude $(APR_CFLAGS) -o $@ $< \
	    build/plain/libmbcore.a $(APR_LIBS) $(LIBS)

# SANITIZE=1 builds the module with AddressSanitizer and UBSan (for
# make test-sanitize).  The stamp makes a plain `make` rebuild after it.
SAN_FLAGS = -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer -O1 -g
ifeq ($(SANITIZE),1)
FLAVOR   = sanitize
MOD_SAN  = $(addprefix -Wc$(comma),$(SAN_FLAGS)) -Wl,-fsanitize=address,undefined
else
FLAVOR   = plain
MOD_SAN  =
endif

build/flavor.$(FLAVOR):
	@mkdir -p build && rm -f build/flavor.* && touch $@

$(MOD): $(GLUE_SRCS) $(HDRS) build/$(FLAVOR)/libmbcore.a build/flavor.$(FLAVOR)
	$(APXS) -c -o mod_broadcast.la $(INCLUDES) \
	    $(addprefix -Wc$(comma),$(WARN) $(MOD_VIS)) $(MOD_SAN) $(GLUE_SRCS) \
	    build/$(FLAVOR)/libmbcore.a $(LIBS)

# ---- the core library, one per flavour: plain and sanitize (the module;
# the unit tests link the sanitize one), fuzz (clang, libFuzzer's
# coverage) ------------------------------------------------------------
CORE_CFLAGS_plain    = -O2 -g -fPIC $(MOD_VIS)
CORE_CFLAGS_sanitize = $(SAN_FLAGS) -fno-sanitize-recover=all -fPIC $(MOD_VIS)
CORE_CFLAGS_fuzz     = -g -O1 -fsanitize=fuzzer-no-link,address,undefined,float-cast-overflow \
                       -fno-sanitize-recover=all -fPIC
CORE_CC_plain    = $(CC)
CORE_CC_sanitize = $(CC)
CORE_CC_fuzz     = clang

define core_lib
build/$(1)/core/%.o: src/core/%.c $$(CORE_HDRS)
	@mkdir -p $$(@D)
	$$(CORE_CC_$(1)) $$(WARN) $$(CORE_CFLAGS_$(1)) -Iinclude $$(APR_CFLAGS) -c -o $$@ $$<

build/$(1)/libmbcore.a: $$(patsubst src/core/%.c,build/$(1)/core/%.o,$$(CORE_SRCS))
	rm -f $$@
	ar rcs $$@ $$^
endef
$(foreach f,plain sanitize fuzz,$(eval $(call core_lib,$(f))))

comma := ,

ASSETS_DIR ?= /usr/share/mod_broadcast/assets
SCHEMA_DIR ?= /usr/share/mod_broadcast/schema
# Debian's a2enmod reads <name>.load and <name>.conf from here
MODS_AVAILABLE ?= /etc/apache2/mods-available

# DESTDIR=<dir> installs under <dir> (as packagers do; t/docs/make_run.t too)
LIBEXECDIR = $(shell $(APXS) -q LIBEXECDIR)

# conf/apache2/broadcast.{load,conf} name Debian's paths; installed with
# the module directory and ASSETS_DIR this install uses
install: $(MOD) build/mb-link assets
	install -d $(DESTDIR)$(LIBEXECDIR)
	install -d $(DESTDIR)$(BINDIR)
	install -m 755 build/mb-link $(DESTDIR)$(BINDIR)/
	$(APXS) -S LIBEXECDIR=$(DESTDIR)$(LIBEXECDIR) -i -n broadcast mod_broadcast.la
	install -d $(DESTDIR)$(ASSETS_DIR)
	install -m 644 build/assets/hls.min.js $(DESTDIR)$(ASSETS_DIR)/
	install -d $(DESTDIR)$(SCHEMA_DIR)/sqlite $(DESTDIR)$(SCHEMA_DIR)/pgsql
	install -m 644 conf/schema/sqlite/*.sql $(DESTDIR)$(SCHEMA_DIR)/sqlite/
	install -m 644 conf/schema/pgsql/*.sql $(DESTDIR)$(SCHEMA_DIR)/pgsql/
	install -d $(DESTDIR)$(MODS_AVAILABLE)
	for f in broadcast.load broadcast.conf; do \
	    sed -e 's|/usr/lib/apache2/modules/|$(LIBEXECDIR)/|' \
	        -e 's|/usr/share/mod_broadcast/assets|$(ASSETS_DIR)|g' \
	        -e 's|/usr/share/mod_broadcast/schema|$(SCHEMA_DIR)|g' \
	        conf/apache2/$$f >$(DESTDIR)$(MODS_AVAILABLE)/$$f && \
	    chmod 644 $(DESTDIR)$(MODS_AVAILABLE)/$$f || exit 1; \
	done

# ---- the Debian package (debian/): built by dpkg-buildpackage in a copy
# of the repository's files (its clean and its ../*.deb stay out of this
# tree), then copied into build/ ------------------------------------------
DEB_SRC = build/deb/libapache2-mod-broadcast
deb: deps
	rm -rf build/deb && mkdir -p $(DEB_SRC)
	if git rev-parse --git-dir >/dev/null 2>&1; then \
	    git ls-files -z --cached --others --exclude-standard | \
	        xargs -0 cp --parents -t $(DEB_SRC); \
	else \
	    tar -c --exclude=./build --exclude=./t/state . | tar -x -C $(DEB_SRC); \
	fi
	cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b >../build.log 2>&1 \
	    || { tail -40 ../build.log; exit 1; }
	rm -f build/libapache2-mod-broadcast_*.deb
	cp build/deb/libapache2-mod-broadcast_*.deb build/
	@ls build/libapache2-mod-broadcast_*.deb

# t/deb/install-test: the package in this machine's own Apache (root;
# Apache's ports.conf and a port from TEST_PORT), removed again at the end
test-deb: deb
	TEST_PORT=$(TEST_PORT) t/deb/install-test build/libapache2-mod-broadcast_*.deb

# ---- the player page's script: hls.js from the npm registry, pinned by
# conf/player/package-lock.json, served by Apache itself ------------------
assets: build/assets/hls.min.js

build/assets/hls.min.js: conf/player/package.json conf/player/package-lock.json
	@mkdir -p build/player build/assets
	cp conf/player/package.json conf/player/package-lock.json build/player/
	cd build/player && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	cp build/player/node_modules/hls.js/dist/hls.min.js $@

# ---- unit tests: pure C files, no httpd --------------------------------
build/unit_%: t/unit/unit_%.c t/unit/tap.h build/sanitize/libmbcore.a $(CORE_HDRS)
	@mkdir -p build
	$(CC) $(WARN) $(SAN_FLAGS) -fno-sanitize-recover=all \
	    -Iinclude -It/unit $(APR_CFLAGS) -o $@ $< \
	    build/sanitize/libmbcore.a $(APR_LIBS) $(LIBS)

# the features' configurations (src/config/*.c, APR only; their headers
# need httpd's for the private header): every field created and merged
CONF_SRCS = src/config/api.c src/config/live.c src/config/video.c src/config/watch.c src/config/viewer.c
build/unit_conf: t/unit/unit_conf.c t/unit/tap.h $(CONF_SRCS) $(HDRS)
	@mkdir -p build
	$(CC) $(WARN) $(SAN_FLAGS) -fno-sanitize-recover=all \
	    $(INCLUDES) -I$(shell $(APXS) -q INCLUDEDIR) -It/unit $(APR_CFLAGS) \
	    -o $@ $< $(CONF_SRCS) $(APR_LIBS)

unit: $(UNIT_TESTS) build/unit_conf

# ---- fuzzing: one libFuzzer target per parser of client or network input
# (clang).  Each starts from its seed corpus in t/fuzz/corpus/<target>/
# (copied, so that the repository's corpus stays as committed) and runs
# FUZZ_SECONDS; any crash, sanitizer report or broken invariant fails
# `make fuzz` after all targets ran, with the input in build/fuzz-findings/.
FUZZ_SECONDS ?= 30
FUZZ_TARGETS  = range query hls journal sts status_params origin metrics \
                viewer_token s3list signed_link
FUZZ_FLAGS    = -g -O1 -fsanitize=fuzzer,address,undefined,float-cast-overflow \
                -fno-sanitize-recover=all
build/fuzz_%: t/fuzz/fuzz_%.c t/fuzz/fuzz.h build/fuzz/libmbcore.a $(CORE_HDRS)
	@mkdir -p build
	clang $(FUZZ_FLAGS) -Iinclude -It/fuzz $(APR_CFLAGS) -o $@ $< \
	    build/fuzz/libmbcore.a $(APR_LIBS) $(LIBS)

fuzz: $(addprefix build/fuzz_,$(FUZZ_TARGETS))
	@rm -rf build/fuzz-findings && mkdir -p build/fuzz-findings; failed=; \
	for t in $(FUZZ_TARGETS); do \
	    mkdir -p build/fuzz-corpus/$$t && cp -n t/fuzz/corpus/$$t/* build/fuzz-corpus/$$t/; \
	    echo "fuzz_$$t: $(FUZZ_SECONDS) s"; \
	    build/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	        -artifact_prefix=build/fuzz-findings/$$t- build/fuzz-corpus/$$t \
	        >build/fuzz-findings/$$t.log 2>&1 \
	        || { failed="$$failed $$t"; tail -40 build/fuzz-findings/$$t.log; }; \
	    grep -E '^stat::number_of_executed_units' build/fuzz-findings/$$t.log || true; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: FAIL:$$failed (inputs in build/fuzz-findings/)"; exit 1; fi; \
	echo "fuzz: no finding in $(FUZZ_TARGETS)"

# ---- the whole suite ----------------------------------------------------
# t/run-suite builds the test data, starts a real Apache on 127.0.0.1,
# runs every test file through one prove, stops Apache, and fails if any
# test failed, was skipped, or if no test ran at all.
test: deps
	$(MAKE) all unit assets
	TEST_PORT=$(TEST_PORT) APXS=$(APXS) HTTPD=$(HTTPD) t/run-suite

# The whole suite once more against the sanitizer build: Apache started
# through t/sanitize-httpd (libasan preloaded), any report in
# t/state/sanitizer fails the run (t/run-suite).
test-sanitize: deps
	$(MAKE) SANITIZE=1 all
	$(MAKE) unit assets
	TEST_PORT=$(TEST_PORT) APXS=$(APXS) HTTPD=$(HTTPD) MB_SANITIZE=1 t/run-suite

deps:
	@bash .ci/install-deps

run:
	RUN_PORT=$(RUN_PORT) HTTPD=$(HTTPD) conf/run.sh

bench: $(MOD)
	bench/range.sh
	bench/api.sh

bench-watchlog: $(MOD)
	bench/watchlog.sh

bench-journal: $(MOD)
	bench/journal.sh

bench-viewers: $(MOD) bench-tools
	bench/viewers.sh

clean:
	@# the suite's disk-full tmpfs, if a run left it mounted (MB_KEEP_SERVICES=1)
	-@umount t/state/smalldisk 2>/dev/null || true
	@t/watch-db stop >/dev/null 2>&1 || true
	rm -rf .libs build *.la *.lo *.slo *.o src/*/*.lo src/*/*.slo \
	    src/*/*.o src/*/.libs t/logs t/conf/apache_test_config.pm t/conf/httpd.conf \
	    t/conf/extra.conf t/conf/api.conf t/conf/watch-pg.conf \
	    t/conf/modules.conf t/data t/htdocs/index.html t/conf/mime.types t/state

# ---- helpers the suite runs (t/video/race.t: the symlink-swapping attacker;
# t/metrics/accuracy.t: the HLS audience simulator), built with the unit
# tests so that every way of running the suite has them
.PHONY: helpers
helpers: build/swap-race build/hlsviewers
bench-tools: build/hlsviewers
unit: helpers

build/swap-race: t/video/swap-race.c
	@mkdir -p build
	$(CC) $(WARN) -O2 -o $@ $<

build/hlsviewers: bench/hlsviewers.c
	@mkdir -p build
	$(CC) $(WARN) -O2 -o $@ $< -lcurl
