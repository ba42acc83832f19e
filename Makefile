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
# Batch grading: the folder that holds one folder per submission.
DIR ?=

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
ifneq ($(LOG_LEVEL),)
ifeq ($(filter $(LOG_LEVEL),debug info warn error off),)
$(error LOG_LEVEL must be debug, info, warn, error or off, was '$(LOG_LEVEL)')
endif
endif

# Runs the staged tests of the given JUnit tags against $(IMPL), through the fast path (tools/loop): it
# recompiles only what changed (compile errors show as Maven shows them) and runs the tests in one JVM,
# with the console of `mvn surefire:test`. It installs nothing in ~/.m2 and reads nothing of the kit's
# from there; Maven runs only for protoc and the class path, when a pom or a proto changed.
define run_labs
	@$(loop_tool)
	@$(LOOP) --impl $(IMPL) --mvn '$(MVN) $(MVN_FLAGS)' $(if $(RUNS),$(call run_seeds,$(1)),$(call run_once,$(1)))
endef

run_log = $(if $(LOG_LEVEL),-Dtinykv.log=$(LOG_LEVEL))
run_timeline = $(if $(TIMELINE),-Dtinykv.timeline=$(TIMELINE))
run_once = --tags '$(1)' $(if $(TEST),--fail-if-no-tests)
# RUNS=n: one JVM runs the selected tests once per seed (tinykv.labs.SeedRuns) and lists the failing seeds.
run_seeds = --tags runs

# The JVM of the fast path; the system properties reach the tests as Surefire's would. The heap is Surefire's
# (-Xmx1g); C1 only and the serial collector because a run lasts seconds on 2 cores: C2's compiler threads
# cost more than they win back (lab2b's basic2B ran in 4.3 s of simulation with C1, 11.7 s with C2 on).
LOOP_CLASSES := target/loop/tool
LOOP = java -Xmx1g -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp $(LOOP_CLASSES) \
  $(if $(TEST),$(if $(RUNS),-Dtinykv.runs.test=$(TEST),-Dtinykv.test=$(TEST))) $(if $(SEED),-Dtinykv.seed=$(SEED)) \
  $(if $(RUNS),-Dtinykv.runs=$(RUNS) -Dtinykv.runs.tags='$(1)') $(run_log) $(run_timeline) tinykv.loop.LabLoop
# Compiles the fast path itself when one of its sources is newer than its classes.
loop_tool = { test -f $(LOOP_CLASSES)/tinykv/loop/LabLoop.class \
  && test -z "$$(find tools/loop -name '*.java' -newer $(LOOP_CLASSES)/tinykv/loop/LabLoop.class)"; } \
  || { rm -rf $(LOOP_CLASSES) && javac -d $(LOOP_CLASSES) tools/loop/*.java; }

.DEFAULT_GOAL := help
.PHONY: help lab2aa lab2ab lab2ac lab2a lab2b lab2c lab3a lab3b lab3 lab3c bench bench-loop grade test compile clean \
  grade-submissions handout handout-check batch-check gradescope coverage clones-check ide-check console-check

# `make help` shows each target once: the instructor's repository hides the kit's variant (## kit:) and the
# student kit the instructor's targets (## instructor:).
comma := ,
help: ## List the targets
	@echo "TinyKV Labs for Java"
	@echo
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | grep -v '## $(if $(INSTRUCTOR),kit,instructor): ' \
	  | sed -E 's/## (kit|instructor): /## /' | awk -F ':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'
	@echo
	@echo "Options: TEST=name[,name...], SEED=n, RUNS=n, LOG_LEVEL=debug|info|warn|error, TIMELINE=1$(if $(INSTRUCTOR),$(comma) IMPL=skeleton|reference)"
	@echo "Grading: LAB=2b (one part), SEEDS=n (default 3), SALT=text, REQUIRE_FULL=1"
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

lab3c: ## Lab 3C: the scheduler's region heartbeats and balance-region scheduler (unit tests)
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
	$(GRADER) tinykv.grading.Grader --impl $(IMPL) --lab '$(LAB)' --seeds $(SEEDS) --salt '$(SALT)' \
	  $(if $(REQUIRE_FULL),--require-full) $(if $(COVERAGE),--coverage)

coverage: ## JaCoCo HTML report of the student classes each part's tests reach (LAB=2aa): target/coverage/<part>/
	$(MVN) $(MVN_FLAGS) -q package -DskipTests -Dimpl=$(IMPL) -pl grading -am
	$(GRADER) tinykv.grading.Grader --impl $(IMPL) --lab '$(LAB)' --seeds $(SEEDS) --salt '$(SALT)' --coverage \
	  --out target/coverage/grade

ifneq ($(INSTRUCTOR),)
test: ## instructor: The kit's own tests: reference passes all, skeleton fails each with its TODO, the grader, the student kit
	$(MVN) $(MVN_FLAGS) verify -Dimpl=reference
	$(MVN) $(MVN_FLAGS) -pl labs -am test -Dimpl=skeleton -Dgroups=kit
	$(MAKE) --no-print-directory handout-check
	$(MAKE) --no-print-directory batch-check
	$(MAKE) --no-print-directory console-check
	$(MAKE) --no-print-directory clones-check
	$(MAKE) --no-print-directory ide-check

grade-submissions: handout ## instructor: Grade every submission in DIR=folder: one results.json each and scores.csv
	@test -n "$(DIR)" || { echo "usage: make grade-submissions DIR=<folder with one folder per submission>" >&2; exit 2; }
	$(MVN) $(MVN_FLAGS) -q package -DskipTests -Dimpl=skeleton -pl grading -am
	$(GRADER) tinykv.grading.BatchGrader --submissions '$(DIR)' --kit target/handout --out target/grade-submissions \
	  --mvn '$(MVN) $(MVN_FLAGS) -o' --seeds $(SEEDS) --salt '$(SALT)'

handout: ## instructor: Write the student kit to target/handout/ and target/handout.tar.gz (no reference, no hidden tests)
	$(MVN) $(MVN_FLAGS) -q package -DskipTests -Dimpl=skeleton -pl grading -am
	$(GRADER) tinykv.grading.Handout . target/handout
	tar -czf target/handout.tar.gz -C target handout
	@echo "Student kit: target/handout/ and target/handout.tar.gz"

handout-check: handout ## instructor: Check the student kit: it builds alone, grades 0 quickly, holds no reference code
	rm -rf target/handout-check && cp -r target/handout target/handout-check
	cd target/handout-check && $(MAKE) --no-print-directory grade MVN='$(MVN) -o' SEEDS=1
	$(GRADER) tinykv.grading.HandoutCheck target/handout-check reference/src/main/java skeleton/src/main/java

gradescope: handout ## instructor: Gradescope autograder zip: the kit, the hidden tests, setup.sh and run_autograder at its root
	rm -rf target/gradescope target/gradescope.zip && cp -r target/handout target/gradescope
	cp -r labs/src/hidden target/gradescope/labs/src/hidden
	cp grading/gradescope/setup.sh grading/gradescope/run_autograder target/gradescope/
	cd target/gradescope && zip -qr ../gradescope.zip .
	@echo "Gradescope autograder: target/gradescope.zip"

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
	grep -q '^Lab tests: 0 passed, 2 failed' target/console-check/loop.log
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

# Batch grading against two hostile submissions: one replaced a test file with one that always passes
# (graded with the kit's test: 0 points, the change named), one does not compile (that verdict on every test).
batch-check: handout
	rm -rf target/batch-check target/batch-check-out && mkdir -p target/batch-check
	cp -r target/handout target/batch-check/tampered && cp -r target/handout target/batch-check/broken
	printf 'package tinykv.raft;\nclass Raft2AATest {\n  @org.junit.jupiter.api.Test @org.junit.jupiter.api.Tag("lab2aa")\n  void leaderCycle2AA() {}\n}\n' \
	  > target/batch-check/tampered/labs/src/test/java/tinykv/raft/Raft2AATest.java
	echo 'class Broken { int x = }' >> target/batch-check/broken/skeleton/src/main/java/tinykv/raft/Raft.java
	$(GRADER) tinykv.grading.BatchGrader --submissions target/batch-check --kit target/handout \
	  --out target/batch-check-out --mvn '$(MVN) $(MVN_FLAGS) -o' --seeds 1
	grep -Eq '^broken,0,[1-9][0-9]*,does not compile,0,' target/batch-check-out/scores.csv
	grep -Eq '^tampered,0,[1-9][0-9]*,graded,1,' target/batch-check-out/scores.csv
	grep -q 'changed: labs/src/test/java/tinykv/raft/Raft2AATest.java' target/batch-check-out/tampered/results.json
	grep -q 'does not compile' target/batch-check-out/broken/results.json
	@echo "batch check: the tampered test file was ignored and named, the broken skeleton got 'does not compile'"
else
test: ## kit: The kit's own checks: compile, the provided framework's tests and the determinism rules on your code
	$(MVN) $(MVN_FLAGS) package -DskipTests
	$(MVN) $(MVN_FLAGS) -pl skeleton test
endif

compile: ## Compile everything without running tests
	$(MVN) $(MVN_FLAGS) package -DskipTests -Dimpl=$(IMPL)

clean: ## Remove build output
	$(MVN) $(MVN_FLAGS) -q clean
