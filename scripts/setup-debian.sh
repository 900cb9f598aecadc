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
  # the modulefiles are loaded by the real tools (ModulefileTests): Lmod, and what Environment Modules (unpacked
  # below) needs to run
  lmod tcl8.6 less
  # rpm/build.sh's rpmbuild, and the rpm that RpmTests query and install with
  rpm
  # a token file as systemd passes it on tmpfs, readable through an ACL (BearerTokenTests)
  acl
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

# Environment Modules: Debian declares its package and lmod's in conflict (each puts a `module` command into
# /etc/profile.d), so its package is unpacked, not installed, into a folder of its own; the tests run a copy of it
# with its paths pointed at the copy (EnvironmentModulesCopy.cs).
modules_root=/opt/environment-modules
if [ ! -f "$modules_root/usr/share/modules/init/bash" ]; then
  echo "setup: unpacking environment-modules into $modules_root"
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  download=$(mktemp -d)
  chmod 755 "$download" # apt tries its _apt user first; where that user cannot write, it downloads as root
  (cd "$download" && { apt-get download -qq environment-modules 2>/dev/null \
    || { "${as_root[@]}" apt-get update -qq && apt-get download -qq environment-modules; }; })
  "${as_root[@]}" dpkg-deb -x "$download"/environment-modules_*.deb "$modules_root"
  rm -rf "$download"
fi
