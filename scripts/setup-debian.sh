#!/usr/bin/env bash
# Installs the Debian packages the demo and the tests use. Safe to run again: apt skips what is there.
# Python libraries come from Debian (python3-*), since the facility's workloads are what we observe,
# and Debian's /usr/bin/python3 is the interpreter that sees them.
set -euo pipefail

packages=(
  # native AOT publishing links with the system toolchain
  build-essential zlib1g-dev
  # real Python workloads
  python3 python3-venv python3-numpy python3-scipy python3-pandas python3-yaml python3-mpi4py openmpi-bin
  # tools the tests and benchmarks drive
  curl strace procps util-linux systemd openssl prometheus
  # the dashboard is checked in a real browser, headless (DashboardBrowserTests)
  chromium
  # env --shell csh is evaluated in real shells (AdminCommandLineTests)
  tcsh csh
  # rpm/build.sh's rpmbuild, and the rpm that RpmTests query and install with
  rpm
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt_get=(apt-get)
  [ "$(id -u)" -eq 0 ] || apt_get=(sudo apt-get)
  "${apt_get[@]}" update -qq
  "${apt_get[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
