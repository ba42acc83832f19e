#!/usr/bin/env bash
# Gradescope autograder setup (runs once, when the autograder image is built, on Ubuntu).
# The autograder zip (`make gradescope` in the instructor's repository) holds the student kit, the hidden
# tests, this script and run_autograder; Gradescope unpacks it into /autograder/source.
# Installs a JDK 17 and make, then builds the kit once so that every dependency is cached and grading
# can build each submission offline.
set -euo pipefail
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless make
cd /autograder/source
chmod +x run_autograder tools/mvn
# Builds the untouched kit and grades it (0 points): fetches Maven (if the image has none), the plugins,
# protoc and every dependency into ~/.m2, and proves the grader runs on this image.
make grade SEEDS=1
