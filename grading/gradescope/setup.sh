#!/usr/bin/env bash
# Gradescope autograder setup (runs once, when the autograder image is built, on Ubuntu).
# The autograder zip (`make gradescope` in the instructor's repository) holds the student kit, the hidden
# tests, autograder.env (SALT, LAB, SEEDS and the limits), this script and run_autograder; Gradescope
# unpacks it into /autograder/source (AUTOGRADER_ROOT=dir puts /autograder elsewhere, for a local trial).
# Installs a JDK 17 and make when missing, builds the kit once with the hidden tests compiled in (so every
# dependency is cached and each submission is compiled offline), then deletes the hidden test sources and
# what the build recorded of their names: a submission's code runs as the same user and must find none.
set -euo pipefail
root="${AUTOGRADER_ROOT:-/autograder}"
if ! command -v make >/dev/null 2>&1 || ! javac -version 2>&1 | grep -qE 'javac (1[7-9]|[2-9][0-9])'; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless make
fi
cd "$root/source"
chmod +x run_autograder tools/mvn
set -a; . ./autograder.env; set +a
# Builds the untouched kit and grades it (0 points): fetches Maven (if the image has none), the plugins,
# protoc and every dependency into ~/.m2, and proves the grader runs on this image.
make grade SEEDS=1 LAB="$LAB" HEAP="$HEAP"
rm -rf labs/src/hidden ./*/target/maven-status target/grade
