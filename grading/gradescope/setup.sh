#!/usr/bin/env bash
# Gradescope autograder setup (runs once, when the autograder image is built, on Ubuntu).
# The autograder zip (`make gradescope` in the instructor's repository) holds the student kit, the hidden
# tests, autograder.env (SALT, LAB, SEEDS and the limits), this script and run_autograder; Gradescope
# unpacks it into /autograder/source.
# Installs a JDK 17 and make, builds the kit once with the hidden tests compiled in (so every dependency is
# cached and each submission is built offline), then deletes the hidden test sources: a submission's code
# runs as the same user and must find no test source to print.
set -euo pipefail
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless make
cd /autograder/source
chmod +x run_autograder tools/mvn
set -a; . ./autograder.env; set +a
# Builds the untouched kit and grades it (0 points): fetches Maven (if the image has none), the plugins,
# protoc and every dependency into ~/.m2, and proves the grader runs on this image.
make grade SEEDS=1 LAB="$LAB" HEAP="$HEAP"
rm -rf labs/src/hidden target/grade
