# TinyKV Labs for Java: every command a student, an instructor or CI types.
# `make help` lists them.

# Which student classes the labs run against: skeleton (yours) or reference (the instructor's solution).
IMPL ?= skeleton
# Run only these tests (method names, comma-separated; case and a leading "Test" do not matter).
TEST ?=
# The seed of every randomized choice; a failure prints the seed that replays it.
SEED ?=
# Run each selected test over this many seeds (SEED, SEED+1, ...) and list the seeds that failed.
RUNS ?=
# With RUNS: share the seeds among this many JVMs (one per core); with grade: this many lab parts at once;
# with grade-submissions: this many forks in all, one per submission graded at once.
JOBS ?=
# CHECK_DETERMINISM=1: run the first seed twice; a test whose two runs differ fails (your code has a hidden input),
# with both fingerprints and the first event where the two runs part. The grade does the same for every seeded test.
CHECK_DETERMINISM ?=
# TIMELINE=1: write the timeline of passing cluster runs too (a failing run always gets one), under
# labs/target/timelines/<test>-seed<seed>.html.
TIMELINE ?=
# Turn on the raftstore's logs, stamped with virtual time, store and region: debug, info, warn or error.
LOG_LEVEL ?=
# Grading: one lab part (LAB=2b) or all; how many seeds each simulated cluster test runs over, drawn from
# SALT; REQUIRE_FULL=1 makes `make grade` exit non-zero below full marks.
LAB ?=
SEEDS ?= 3
SALT ?=
REQUIRE_FULL ?=
# COVERAGE=1 adds each part's line coverage of the student classes to the grade (JaCoCo).
COVERAGE ?=
# Grading limits (empty: the grader's defaults): each test JVM's heap (HEAP=1g), one test's and one part's
# wall-clock caps and the whole grade's budget, in seconds (TEST_TIMEOUT=60, PART_TIMEOUT=1200, BUDGET=10800).
HEAP ?=
TEST_TIMEOUT ?=
PART_TIMEOUT ?=
BUDGET ?=
# A text file to put at the top of the grade's report (the Classroom workflow's list of ignored files).
NOTES ?=
# Batch grading: the folder that holds one folder (or .zip) per submission; keep it outside the repository.
DIR ?=
# Batch grading on m machines: SHARD=i/m grades this machine's share i of m (1-based, by sorted name);
# make grade-merge IN="shard folders" combines them. OUT= is where either writes its results.
SHARD ?=
IN ?=
OUT ?=
# make mutation (instructors): the classes PIT mutates (PIT globs, comma-separated) and its mutators; empty: the
# part's student classes and PIT's default mutators.
CLASSES ?=
MUTATORS ?=

# The instructor's repository has reference/; the student kit (make handout) does not.
INSTRUCTOR := $(wildcard reference/pom.xml)
GRADER = java -cp "grading/target/classes:$$(cat grading/target/grader.classpath)"

# Maven from the machine, else the kit's bootstrap (downloads Maven once from Maven Central, needs only a JDK).
MVN ?= $(shell command -v mvn 2>/dev/null || echo $(CURDIR)/tools/mvn)
MVN_FLAGS ?= -B --no-transfer-progress -Dstyle.color=never -Dorg.slf4j.simpleLogger.log.kr.motd.maven=warn

ifeq ($(filter $(IMPL),skeleton reference),)
$(error IMPL must be skeleton or reference, was '$(IMPL)')
endif
ifeq ($(IMPL)$(INSTRUCTOR),reference)
$(error IMPL=reference needs the instructor's repository: this kit has no reference/)
endif
ifneq ($(shell echo '$(SEEDS)' | grep -E '^[1-9][0-9]*$$'),$(SEEDS))
$(error SEEDS must be a positive whole number, was '$(SEEDS)')
endif
ifneq ($(SEED),)
ifeq ($(shell echo '$(SEED)' | grep -E '^-?[0-9]+$$'),)
$(error SEED must be a whole number, was '$(SEED)')
endif
endif
ifneq ($(RUNS),)
ifeq ($(shell echo '$(RUNS)' | grep -E '^[1-9][0-9]*$$'),)
$(error RUNS must be a positive whole number, was '$(RUNS)')
endif
endif
ifneq ($(shell printf '%s' '$(SALT)' | tr -d 'A-Za-z0-9._-'),)
$(error SALT may hold only letters, digits, '.', '_' and '-', was '$(SALT)')
endif
ifneq ($(LOG_LEVEL),)
ifeq ($(filter $(LOG_LEVEL),debug info warn error off),)
$(error LOG_LEVEL must be debug, info, warn, error or off, was '$(LOG_LEVEL)')
endif
endif

# Runs the staged tests of the given JUnit tags against $(IMPL), through the fast path (tools/loop): it
# recompiles only what changed (compile errors show as Maven shows them), checks the determinism rules on the
# student packages the parts run (tinykv.determinism.StudentClassRules; a violation stops the run before any
# test) and runs the tests in one JVM, with the console of `mvn surefire:test`. It installs nothing in ~/.m2
# and reads nothing of the kit's from there; Maven runs only for protoc and the class path, when a pom or a
# proto changed.
define run_labs
	@$(loop_tool)
	@$(LOOP) --impl $(IMPL) --mvn '$(MVN) $(MVN_FLAGS)' $(if $(RUNS)$(CHECK_DETERMINISM),$(call run_seeds,$(1)),$(call run_once,$(1)))
endef

run_log = $(if $(LOG_LEVEL),-Dtinykv.log=$(LOG_LEVEL))
run_timeline = $(if $(TIMELINE),-Dtinykv.timeline=$(TIMELINE))
run_once = --tags '$(1)' $(if $(TEST),--fail-if-no-tests)
# RUNS=n: one JVM runs the selected tests once per seed (tinykv.labs.SeedRuns) and lists the failing seeds.
run_seeds = --tags runs

# The JVM of the fast path; the system properties reach the tests as Surefire's would. The heap is Surefire's
# (-Xmx1g), with the serial collector. The compiler depends on the run's length: C1 alone when TEST= picks
# tests or the part is Raft-level, since such a run lasts seconds and C2 would spend more time compiling than
# it saves (basic2B: 3.3 s of CPU with C1 alone, 7.3 s with C2); C1 then C2 for a whole cluster part, where
# the compiling, done on the other core, pays for itself (the 18 3B tests: 81 s of CPU with C1 alone, 77 s
# with C2 counting its compiler threads; 2B 62 s and 65 s). LOOP_JIT=... on the command line overrides it.
LOOP_CLASSES := target/loop/tool
cluster_parts := lab2b lab2c lab3b lab3c
LOOP_JIT = $(if $(and $(if $(TEST),,whole),$(filter $(cluster_parts),$(subst |, ,$(1)))),,-XX:TieredStopAtLevel=1)
LOOP = java -Xmx1g -XX:+UseSerialGC $(LOOP_JIT) -cp $(LOOP_CLASSES) \
  $(if $(TEST),$(if $(RUNS)$(CHECK_DETERMINISM),-Dtinykv.runs.test=$(TEST),-Dtinykv.test=$(TEST))) $(if $(SEED),-Dtinykv.seed=$(SEED)) \
  $(if $(RUNS)$(CHECK_DETERMINISM),-Dtinykv.runs=$(or $(RUNS),1) -Dtinykv.runs.tags='$(1)') $(if $(CHECK_DETERMINISM),-Dtinykv.runs.determinism=true) \
  $(if $(JOBS),-Dtinykv.runs.jobs=$(JOBS))   $(run_log) $(run_timeline) tinykv.loop.LabLoop
# Compiles the fast path itself when one of its sources is newer than its classes.
loop_tool = { test -f $(LOOP_CLASSES)/tinykv/loop/LabLoop.class \
  && test -z "$$(find tools/loop -name '*.java' -newer $(LOOP_CLASSES)/tinykv/loop/LabLoop.class)"; } \
  || { rm -rf $(LOOP_CLASSES) && javac -d $(LOOP_CLASSES) tools/loop/*.java; }

.DEFAULT_GOAL := help
.PHONY: gradescope-check
.PHONY: help lab2aa lab2ab lab2ac lab2a lab2b lab2c lab3a lab3b lab3 lab3c bench bench-loop grade test compile clean \
  grade-submissions grade-merge handout handout-check batch-check gradescope coverage clones-check ide-check console-check \
  standalone-check

# `make help` shows each target once: the instructor's repository hides the kit's variant (## kit:) and the
# student kit the instructor's targets (## instructor:).
comma := ,
help: ## List the targets
	@echo "TinyKV Labs for Java"
	@echo
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | grep -v '## $(if $(INSTRUCTOR),kit,instructor): ' \
	  | sed -E 's/## (kit|instructor): /## /' | awk -F ':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'
	@echo
	@echo "Options: TEST=name[,name...], SEED=n, RUNS=n [JOBS=m], CHECK_DETERMINISM=1, LOG_LEVEL=debug|info|warn|error, TIMELINE=1$(if $(INSTRUCTOR),$(comma) IMPL=skeleton|reference)"
	@echo "Grading: LAB=2b (one part) or LAB=2a (a lab), SEEDS=n (default 3), SALT=text, REQUIRE_FULL=1"
	@echo "Limits: HEAP=1g, TEST_TIMEOUT=60, PART_TIMEOUT=1200, BUDGET=10800 (seconds); JOBS=n forks at once (default: the cores)"
	@$(if $(INSTRUCTOR),echo "Batch: DIR=folder$(comma) JOBS=n submissions at once$(comma) SHARD=i/m (this machine's share)$(comma) OUT=folder; grade-merge IN=\"shard folders\"",true)
	@echo "Example: make lab2aa TEST=LeaderElection2AA SEED=7"
	@echo "Example: make lab2b RUNS=20$(if $(INSTRUCTOR), IMPL=reference)"

lab2aa: ## Lab 2AA: Raft leader election
	$(call run_labs,lab2aa)

lab2ab: ## Lab 2AB: Raft log replication
	$(call run_labs,lab2ab)

lab2ac: ## Lab 2AC: the RawNode interface
	$(call run_labs,lab2ac)

lab2a: ## Lab 2A: all of 2AA, 2AB and 2AC
	$(call run_labs,lab2aa|lab2ab|lab2ac)

lab2b: ## Lab 2B: the raftstore, end to end on a simulated 5-store cluster
	$(call run_labs,lab2b)

lab2c: ## Lab 2C: snapshots in Raft, log GC and snapshots in the raftstore
	$(call run_labs,lab2c)

lab3a: ## Lab 3A: leader transfer and membership change (the Raft-level tests)
	$(call run_labs,lab3a)

lab3b: ## Lab 3B: leader transfer, conf change and split in the raftstore, on a simulated cluster
	$(call run_labs,lab3b)

lab3c: ## Lab 3C: the scheduler's region heartbeats and balance-region scheduler, then in the loop
	$(call run_labs,lab3c)

lab3: ## Lab 3: all of 3A, 3B and 3C
	$(call run_labs,lab3a|lab3b|lab3c)

bench: ## Committed operations per wall second of the raftstore on 5 simulated stores (several workloads)
	$(MVN) $(MVN_FLAGS) -pl labs -am test -Dimpl=$(IMPL) -Dtest=BenchmarkRun -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dtinykv.bench=true $(if $(SEED),-Dtinykv.seed=$(SEED)) $(run_log)

bench-loop: ## Wall time of `make lab2aa`: no change, Raft.java touched, a one-line edit (median, min, max of 5)
	MVN='$(MVN)' tools/bench-loop

grade: ## Grade every lab part (or LAB=2b): console table, target/grade/results.json, target/grade/junit/
	@mkdir -p target/grade
	@if ! $(MVN) $(MVN_FLAGS) -q package -DskipTests -Dimpl=$(IMPL) -pl grading -am > target/grade/build.log 2>&1; then \
	  cat target/grade/build.log; \
	  java grading/src/main/java/tinykv/grading/NotCompiled.java target/grade/build.log target/grade; \
	  exit $(if $(REQUIRE_FULL),1,0); \
	fi; \
	$(GRADER) tinykv.grading.Grader --impl $(IMPL) $(grade_flags) --notes '$(NOTES)' \
	  $(if $(REQUIRE_FULL),--require-full) $(if $(COVERAGE),--coverage)

# The flags every grade takes from make's variables (an empty one keeps the grader's default).
grade_flags = --lab '$(LAB)' --seeds $(SEEDS) --salt '$(SALT)' --heap '$(HEAP)' --test-timeout '$(TEST_TIMEOUT)' \
  --part-timeout '$(PART_TIMEOUT)' --budget '$(BUDGET)' --jobs '$(JOBS)'

coverage: ## JaCoCo HTML report of the student classes each part's tests reach (LAB=2aa): target/coverage/<part>/
	$(MVN) $(MVN_FLAGS) -q package -DskipTests -Dimpl=$(IMPL) -pl grading -am
	$(GRADER) tinykv.grading.Grader --impl $(IMPL) --lab '$(LAB)' --seeds $(SEEDS) --salt '$(SALT)' --coverage \
	  --out target/coverage/grade

ifneq ($(INSTRUCTOR),)
# The reference's run allows each test 300 s instead of the students' 60: a run's verdict is decided by its
# events (the simulator stops a livelock after 4 million), and a CI machine shared with other jobs can take
# over 60 s for the slowest cluster tests (snapshotRecoverManyClients2C, confChangeRecoverManyClients3B).
REFERENCE_TIMEOUT = -Djunit.jupiter.execution.timeout.default=300s
test: ## instructor: The kit's own tests: reference passes all, skeleton fails each with its TODO, the grader, the student kit
	$(MVN) $(MVN_FLAGS) verify -Dimpl=reference $(REFERENCE_TIMEOUT)
	$(MVN) $(MVN_FLAGS) -pl labs -am test -Dimpl=skeleton -Dgroups=kit
	$(MAKE) --no-print-directory handout-check
	$(MAKE) --no-print-directory batch-check
	$(MAKE) --no-print-directory gradescope-check
	$(MAKE) --no-print-directory console-check
	$(MAKE) --no-print-directory clones-check
	$(MAKE) --no-print-directory ide-check
	$(MAKE) --no-print-directory standalone-check

grade-submissions: ## instructor: Grade every submission in DIR=folder (LAB=, JOBS=n at once, SHARD=i/m, OUT=): results.json each, scores.csv
	@test -n "$(DIR)" || { echo "usage: make grade-submissions DIR=<folder with one folder or .zip per submission> [LAB=2aa] [JOBS=n] [SHARD=i/m] [OUT=folder]" >&2; exit 2; }
	@test -d "$(DIR)" || { echo "grade-submissions: DIR=$(DIR) is not a folder" >&2; exit 2; }
	@$(if $(SHARD),java grading/src/main/java/tinykv/grading/Shard.java '$(SHARD)',true)
	$(MAKE) --no-print-directory handout
	$(GRADER) tinykv.grading.BatchGrader --submissions '$(DIR)' --kit target/handout --hidden labs/src/hidden \
	  --out '$(or $(OUT),target/grade-submissions)' --shard '$(SHARD)' --mvn '$(MVN) $(MVN_FLAGS) -o' $(grade_flags)

grade-merge: ## instructor: Combine the shards IN="dir1 dir2 ..." of make grade-submissions SHARD=i/m into OUT= (target/grade-merge)
	@test -n "$(IN)" || { echo 'usage: make grade-merge IN="<shard folder> <shard folder> ..." [OUT=folder]' >&2; exit 2; }
	$(MVN) $(MVN_FLAGS) -q package -DskipTests -Dimpl=skeleton -pl grading -am
	$(GRADER) tinykv.grading.GradeMerge '$(or $(OUT),target/grade-merge)' $(IN)

handout: ## instructor: Write the student kit to target/handout/ and target/handout.tar.gz (no reference, no hidden tests)
	$(MVN) $(MVN_FLAGS) -q package -DskipTests -Dimpl=skeleton -pl grading -am
	$(GRADER) tinykv.grading.Handout . target/handout
	tar -czf target/handout.tar.gz -C target handout
	@echo "Student kit: target/handout/ and target/handout.tar.gz"

handout-check: handout ## instructor: Check the student kit: it builds alone, grades 0 quickly, holds no reference code
	rm -rf target/handout-check && cp -r target/handout target/handout-check
	cd target/handout-check && $(MAKE) --no-print-directory grade MVN='$(MVN) -o' SEEDS=1
	$(GRADER) tinykv.grading.HandoutCheck target/handout-check .

# The autograder's settings travel in the zip (autograder.env): the seeds are drawn from SALT, so they are
# not the ones students see locally; LAB= makes a zip for one lab (2a: its three parts), for one assignment per lab.
gradescope: handout ## instructor: Gradescope autograder zip (SALT=, LAB=, SEEDS=, limits): the kit, the hidden tests, setup.sh, run_autograder
	rm -rf target/gradescope target/gradescope.zip && cp -r target/handout target/gradescope
	cp -r labs/src/hidden target/gradescope/labs/src/hidden
	cp grading/gradescope/setup.sh grading/gradescope/run_autograder target/gradescope/
	printf 'SALT=%s\nLAB=%s\nSEEDS=%s\nHEAP=%s\nTEST_TIMEOUT=%s\nPART_TIMEOUT=%s\nBUDGET=%s\n' '$(SALT)' '$(LAB)' \
	  '$(SEEDS)' '$(or $(HEAP),700m)' '$(TEST_TIMEOUT)' '$(PART_TIMEOUT)' '$(or $(BUDGET),540)' > target/gradescope/autograder.env
	$(GRADER) tinykv.grading.HandoutCheck --gradescope target/gradescope .
	cd target/gradescope && zip -qr ../gradescope.zip .
	@echo "Gradescope autograder: target/gradescope.zip ($$(tr '\n' ' ' < target/gradescope/autograder.env))"

# The lab targets run the tests `mvn surefire:test` runs, with the same verdicts, and print the kit's own console
# (tinykv.labs.LabConsole): no Maven lines, no escape codes, each failure with its replay line. Here for lab 2AC
# on the skeleton, where every test fails at a stub.
console_verdicts = grep -oE '\[(OK|XX|\?\?)\] [A-Za-z0-9_]+' $(1) | sort -u
console-check:
	rm -rf target/console-check && mkdir -p target/console-check
	! $(MVN) $(MVN_FLAGS) -o -pl labs -am test -Dimpl=skeleton -Dgroups=lab2ac > target/console-check/maven.log 2>&1
	! $(MAKE) --no-print-directory lab2ac MVN='$(MVN) -o' > target/console-check/loop.log 2>&1
	$(call console_verdicts,target/console-check/maven.log) > target/console-check/maven.tests
	$(call console_verdicts,target/console-check/loop.log) > target/console-check/loop.tests
	test -s target/console-check/loop.tests
	diff target/console-check/maven.tests target/console-check/loop.tests
	grep -q '^       Replay this failure exactly with: make lab2ac TEST=' target/console-check/loop.log
	grep -q '^Lab tests: 0 passed, 4 failed' target/console-check/loop.log
	! grep -nE '^\[(INFO|ERROR|WARNING)\]|'"$$(printf '\033')" target/console-check/loop.log
	@echo "console check: make lab2ac ran the tests mvn surefire:test runs, with the same verdicts, in the kit's console"

# Two student kits on one machine, built and graded at the same time, keep their own builds; the lab
# loop picks up edits, compile errors and signature changes (see tools/clones-check).
clones-check: handout
	MVN='$(MVN) -o' tools/clones-check target/handout reference/src/main/java target/clones-check

# The Maven side of the README's "In your IDE", on a copy of the sources (an IDE's model builds the reference
# module otherwise): as IntelliJ imports the kit (it sets idea.maven.embedder.version), a staged test fails with
# make's message and replay line; with the profile impl-reference on (impl-skeleton off) it passes against the
# reference, whose module then compiles only its own files, each class once.
IDE_MODEL = -Didea.maven.embedder.version=ide-check -Dtest='Raft2AATest\#leaderCycle2AA' -Dsurefire.failIfNoSpecifiedTests=false
# Each Raft-level part passes with only its own work and that of the parts before it: the reference with every
# later part's student methods put back to the skeleton's Todo (tools/StandaloneParts.java), on a copy of the
# sources. PARTS= checks others too (the cluster parts take minutes each).
STANDALONE_PARTS = lab2aa lab2ab lab2ac lab3a
standalone-check:
	rm -rf target/standalone-check && mkdir -p target/standalone-check/repo
	tar -cf - --exclude=target --exclude=.git . | tar -xf - -C target/standalone-check/repo
	for part in $(or $(PARTS),$(STANDALONE_PARTS)); do \
	  java tools/StandaloneParts.java . target/standalone-check/repo $$part || exit 1; \
	  $(MAKE) -C target/standalone-check/repo --no-print-directory $$part IMPL=reference MVN='$(MVN) -o' \
	    > target/standalone-check/$$part.log 2>&1 || { tail -40 target/standalone-check/$$part.log; \
	    echo "standalone check: $$part needs work of a later part (log: target/standalone-check/$$part.log)"; exit 1; }; \
	done
	@echo "standalone check: $(or $(PARTS),$(STANDALONE_PARTS)) pass with only their own and earlier parts' work"

ide-check:
	rm -rf target/ide-check && mkdir -p target/ide-check/repo
	tar -cf - --exclude=target --exclude=.git . | tar -xf - -C target/ide-check/repo
	cd target/ide-check/repo && ! $(MVN) $(MVN_FLAGS) -o $(IDE_MODEL) -pl labs -am test > ../skeleton.log 2>&1
	grep -q 'tinykv.Todo: lab2aa: new Raft(Config) is not implemented' target/ide-check/skeleton.log
	grep -q 'Replay this failure exactly with: make lab2aa TEST=leaderCycle2AA SEED=1' target/ide-check/skeleton.log
	cd target/ide-check/repo && $(MVN) $(MVN_FLAGS) -o $(IDE_MODEL) -P 'impl-reference,!impl-skeleton' -pl labs -am test \
	  > ../reference.log 2>&1 || { tail -40 ../reference.log; exit 1; }
	test "$$(find target/ide-check/repo/reference/target/classes -name '*.class' ! -name '*$$*' | wc -l)" \
	  = "$$(find reference/src/main/java -name '*.java' | wc -l)"
	@echo "ide check: the IDE's model runs a staged test with make's failure and replay line; the reference module holds each of its classes once"

# Batch grading against hostile submissions (lab 2AC only, to stay quick), each graded as the pristine kit with
# only its student files: one replaced a staged test with one that always passes (0 points, the file named);
# one does not compile (that verdict, its errors once, without colour codes or the grading copy's path); one
# has the reference classes, edits provided files (one so it cannot compile), adds a class in a provided
# package and declares a staged test's class in a student file (full marks, the four named); a loose upload of the same classes in a .zip (the
# same full marks); one whose student helper walks the file system around its class path and throws what it
# finds (graded, so the helper was; no hidden test or reference source in its report); one whose Raft makes its own
# Random (0 points: the determinism rule's verdict, naming the line, and no test ran); one with no student file.
# Graded JOBS=2 at once (each submission's console lines together, in name order), then again as SHARD=1/2 and
# 2/2 on the same grading copy (kept outside the repository): their merge has the same scores.csv bytes and
# results.json (times and folders aside); a bad SHARD is refused before anything is built.
BATCH = target/batch-check
BATCH_BASE = $(or $(TMPDIR),/tmp)/tinykv-batch-check-$(shell printf '%s' '$(CURDIR)' | cksum | cut -d' ' -f1)
batch_ref = cp reference/src/main/java/tinykv/raft/$(1).java $(BATCH)/$(2)
batch_grade = $(GRADER) tinykv.grading.BatchGrader --submissions $(BATCH) --kit target/handout --out $(1) \
  --mvn '$(MVN) $(MVN_FLAGS) -o' --seeds 1 --lab 2ac --jobs 2 $(2) > $(1).log 2>&1 || { cat $(1).log; exit 1; }
# A results.json without what may differ between two gradings of a submission: times, the results folder, and
# how many files the explorer's walk met.
batch_same = sed -E -e 's\#$(CURDIR)/target/batch-check-[a-z0-9-]+/\#OUT/\#g' -e 's/"(execution_time|time|duration)": [0-9.]+/"\1": _/g' \
  -e 's/ *[0-9.]+ ?s\b/ _s/g' -e 's/walked [0-9]+ files/walked _ files/' $(1)
# Each submission's lines between its "[k/n] name: grading..." and "[k/n] name: <score>", the k in order.
batch_grouped = awk '/^\[[0-9]+\/[0-9]+\] .*: grading\.\.\.$$/ { k++; if (now != "" || $$1 != "[" k "/7]") bad = 1; now = $$2 } \
  /Details: / { if (index($$0, "/" substr(now, 1, length(now) - 1) "/results.json") == 0) bad = 1 } \
  /^\[[0-9]+\/[0-9]+\] [^ ]+: [0-9]+\/[0-9]+, / { if ($$2 != now) bad = 1; now = "" } END { exit bad || k != 7 }' $(1)
batch-check: handout
	rm -rf $(BATCH) target/batch-check-* && mkdir -p $(BATCH)/loose $(BATCH)/junk
	for s in tampered broken edited explorer random; do cp -r target/handout $(BATCH)/$$s; done
	printf 'package tinykv.raft;\nclass RawNode2ACTest {\n  @org.junit.jupiter.api.Test @org.junit.jupiter.api.Tag("lab2ac")\n  void rawNodeStart2AC() {}\n}\n' \
	  > $(BATCH)/tampered/labs/src/test/java/tinykv/raft/RawNode2ACTest.java
	echo 'class Broken { int x = }' >> $(BATCH)/broken/skeleton/src/main/java/tinykv/raft/Raft.java
	for c in Raft RaftLog RawNode; do \
	  $(call batch_ref,$$c,edited/skeleton/src/main/java/tinykv/raft/); $(call batch_ref,$$c,explorer/skeleton/src/main/java/tinykv/raft/); \
	  $(call batch_ref,$$c,random/skeleton/src/main/java/tinykv/raft/); $(call batch_ref,$$c,loose/); done
	sed -i 's/^public class Raft {/public class Raft {\n    private final java.util.Random own = new java.util.Random();/' \
	  $(BATCH)/random/skeleton/src/main/java/tinykv/raft/Raft.java
	echo 'class NotJava {' >> $(BATCH)/edited/skeleton/src/main/java/tinykv/raft/Progress.java
	echo 'class RawNode2ACTest {}' >> $(BATCH)/edited/skeleton/src/main/java/tinykv/raft/RaftLog.java
	printf 'package tinykv;\n// edited\n' >> $(BATCH)/edited/skeleton/src/main/java/tinykv/Todo.java
	mkdir -p $(BATCH)/edited/skeleton/src/main/java/tinykv/labs
	printf 'package tinykv.labs;\npublic final class Seeds {}\n' > $(BATCH)/edited/skeleton/src/main/java/tinykv/labs/Seeds.java
	cp grading/src/test/resources/submissions/Explorer.java $(BATCH)/explorer/skeleton/src/main/java/tinykv/raft/
	sed -i 's/^public class Raft {/public class Raft {\n    static { Explorer.explore(); }/' $(BATCH)/explorer/skeleton/src/main/java/tinykv/raft/Raft.java
	cd $(BATCH)/loose && zip -q ../loose.zip *.java && cd .. && rm -r loose
	echo 'my lab report' > $(BATCH)/junk/notes.txt
	$(call batch_grade,target/batch-check-out,--hidden labs/src/hidden --keep-base $(BATCH_BASE))
	$(call batch_grouped,target/batch-check-out.log) || { cat target/batch-check-out.log; \
	  echo "batch check: with JOBS=2 a submission's console lines were not together, in name order"; exit 1; }
	cat target/batch-check-out/scores.csv
	grep -Eq '^tampered,0,4,graded,1$$' target/batch-check-out/scores.csv
	grep -q 'changed: labs/src/test/java/tinykv/raft/RawNode2ACTest.java' target/batch-check-out/tampered/results.json
	grep -Eq '^broken,0,4,does not compile,0$$' target/batch-check-out/scores.csv
	grep -q 'skeleton/src/main/java/tinykv/raft/Raft.java' target/batch-check-out/broken/results.json
	! grep -Eq 'tinykv-grading-|\\u001b' target/batch-check-out/broken/results.json
	grep -Eq '^edited,4,4,graded,4$$' target/batch-check-out/scores.csv
	grep -Eq '^loose,4,4,graded,0$$' target/batch-check-out/scores.csv
	grep -q 'changed: skeleton/src/main/java/tinykv/raft/Progress.java' target/batch-check-out/edited/results.json
	grep -q 'added: skeleton/src/main/java/tinykv/labs/Seeds.java' target/batch-check-out/edited/results.json
	grep -q 'not graded: the class tinykv.raft.RawNode2ACTest' target/batch-check-out/edited/results.json
	grep -Eq '^explorer,0,4,graded,0$$' target/batch-check-out/scores.csv
	grep -Eq 'explorer walked [1-9][0-9]* files; sources found: \[\]' target/batch-check-out/explorer/results.json
	! grep -Eq 'RaftHidden2AATest|reference/src' target/batch-check-out/explorer/results.json
	grep -Eq '^random,0,4,graded,0$$' target/batch-check-out/scores.csv
	grep -q 'breaks a determinism rule' target/batch-check-out/random/results.json
	grep -q 'Raft.<init>(tinykv.raft.Config)> calls constructor <java.util.Random.<init>()> in (Raft.java:' \
	  target/batch-check-out/random/results.json
	grep -Eq '^junk,0,4,nothing submitted,1$$' target/batch-check-out/scores.csv
	! $(MAKE) --no-print-directory grade-submissions DIR=$(BATCH) SHARD=3/2 > target/batch-check-shard.log 2>&1
	grep -q "grade-submissions: SHARD=3/2 is not a shard" target/batch-check-shard.log
	$(call batch_grade,target/batch-check-1of2,--base $(BATCH_BASE) --shard 1/2)
	$(call batch_grade,target/batch-check-2of2,--base $(BATCH_BASE) --shard 2/2)
	rm -rf $(BATCH_BASE)
	grep -q '^shard=2/2$$' target/batch-check-2of2/shard.txt && grep -q '^holds=edited$$' target/batch-check-2of2/shard.txt
	$(GRADER) tinykv.grading.GradeMerge target/batch-check-merged target/batch-check-1of2 target/batch-check-2of2
	cmp target/batch-check-out/scores.csv target/batch-check-merged/scores.csv
	for s in broken edited explorer junk loose random tampered; do \
	  $(call batch_same,target/batch-check-out/$$s/results.json) > target/batch-check-merged/$$s.whole; \
	  $(call batch_same,target/batch-check-merged/$$s/results.json) > target/batch-check-merged/$$s.merged; \
	  diff target/batch-check-merged/$$s.whole target/batch-check-merged/$$s.merged \
	  || { echo "batch check: $$s graded in a shard and merged differs from $$s graded whole"; exit 1; }; done
	@echo "batch check: only the student files were graded, every other change named; no hidden or reference source reached a report;"
	@echo "  a Random of its own got the determinism verdict; JOBS=2 kept each submission's console together;"
	@echo "  SHARD=1/2 and 2/2 merged give the same scores.csv and results"

# The Gradescope zip on this machine, as Gradescope runs it (AUTOGRADER_ROOT stands for /autograder): built for
# lab 2AC with its own salt, set up, then run on a loose upload of the reference's 2A classes. It grades lab 2AC
# only (full marks), on seeds drawn from the salt, and setup leaves no hidden test source behind.
GS = target/gradescope-check
gradescope-check:
	$(MAKE) --no-print-directory gradescope SALT=gradescope-check LAB=2ac SEEDS=1
	rm -rf $(GS) && mkdir -p $(GS)/source $(GS)/submission
	cd $(GS)/source && unzip -q ../../gradescope.zip
	for c in Raft RaftLog RawNode; do cp reference/src/main/java/tinykv/raft/$$c.java $(GS)/submission/; done
	AUTOGRADER_ROOT=$(CURDIR)/$(GS) MVN='$(MVN) -o' $(GS)/source/setup.sh > $(GS)/setup.log 2>&1 || { tail -30 $(GS)/setup.log; exit 1; }
	test ! -e $(GS)/source/labs/src/hidden && ! grep -rqs RaftHidden2AATest $(GS)/source --include='*.java' --include='*.lst'
	AUTOGRADER_ROOT=$(CURDIR)/$(GS) TMPDIR=$(CURDIR)/$(GS) $(GS)/source/run_autograder > $(GS)/run.log 2>&1
	grep -q '"score": 4,' $(GS)/results/results.json || { cat $(GS)/run.log; exit 1; }
	grep -q '"salt": "gradescope-check"' $(GS)/results/results.json
	! grep -q '"name": "lab2a[ab]' $(GS)/results/results.json
	@echo "gradescope check: the zip set up offline, graded lab 2AC only on a loose upload (full marks) with its own salt"

# The mutation score of a part's tests (LAB=2aa; LAB=2a runs 2AA, 2AB and 2AC one after another): PIT, from the
# labs module's Maven profile `mutation` (absent from the kit), mutates the reference's student classes of the
# part's folders (tinykv.grading.MutationParts) and runs the part's staged tests, IMPL=reference, on each mutant.
# One Maven run per part, its output in target/mutation/<part>.log; the scores last. CLASSES= mutates other
# classes (PIT globs, comma-separated), MUTATORS= uses other mutators (PIT's names or groups: STRONGER, ALL),
# JOBS=1 or 2 is PIT's worker JVMs (default 2: each runs its tests on one thread, as every lab run does).
MUTATION_PARTS = $(if $(LAB),$(filter lab$(LAB)%,lab2aa lab2ab lab2ac lab2b lab2c lab3a lab3b lab3c))
MUTATION_TOOL = target/mutation/tool
MUTATION = java -cp $(MUTATION_TOOL) tinykv.grading.MutationParts
.PHONY: mutation
mutation: ## instructor: Mutation score of a part's tests (LAB=2aa, or LAB=2a) over the reference's student classes (PIT)
	@test -n "$(MUTATION_PARTS)" || { echo "usage: make mutation LAB=2aa (a part) or LAB=2a (a lab)" \
	  "[CLASSES=glob,...] [MUTATORS=...] [JOBS=1|2]; LAB was '$(LAB)'" >&2; exit 2; }
	@test "$(or $(JOBS),2)" -ge 1 -a "$(or $(JOBS),2)" -le 2 || { echo "mutation: JOBS must be 1 or 2, was '$(JOBS)'" >&2; exit 2; }
	@rm -rf $(MUTATION_TOOL) target/mutation/scores.txt && mkdir -p target/mutation \
	  && javac -d $(MUTATION_TOOL) grading/src/main/java/tinykv/grading/StudentFiles.java grading/src/main/java/tinykv/grading/MutationParts.java
	@for part in $(MUTATION_PARTS); do \
	  classes='$(CLASSES)'; test -n "$$classes" || classes=$$($(MUTATION) classes . $$part) || exit 1; \
	  echo "mutation $$part: PIT mutates $$classes (log: target/mutation/$$part.log)"; \
	  start=$$(date +%s); \
	  $(MVN) $(MVN_FLAGS) -Pmutation -Dimpl=reference -pl labs -am process-test-classes -Dmutation.tag=$$part \
	    "-DtargetClasses=$$classes" -Dmutation.threads=$(or $(JOBS),2) $(if $(MUTATORS),-Dmutators=$(MUTATORS)) \
	    $(if $(SEED),-Dtinykv.seed=$(SEED)) > target/mutation/$$part.log 2>&1 \
	    || { tail -40 target/mutation/$$part.log; echo "mutation $$part: PIT failed (log: target/mutation/$$part.log)"; exit 1; }; \
	  $(MUTATION) score $$part labs/target/mutation/$$part $$(( $$(date +%s) - start )) >> target/mutation/scores.txt || exit 1; \
	done
	@echo; cat target/mutation/scores.txt

else
test: ## kit: The kit's own checks: compile, the provided framework's tests and the determinism rules on your code
	$(MVN) $(MVN_FLAGS) package -DskipTests
	$(MVN) $(MVN_FLAGS) -pl skeleton test
	$(MVN) $(MVN_FLAGS) -pl skeleton,labs test -Dtest=DeterminismTest -Dsurefire.failIfNoSpecifiedTests=false
endif

compile: ## Compile everything without running tests
	$(MVN) $(MVN_FLAGS) package -DskipTests -Dimpl=$(IMPL)

clean: ## Remove build output
	$(MVN) $(MVN_FLAGS) -q clean
