#!/usr/bin/env bash
# Builds the polaris-agent and polaris-collector RPMs (x86_64) into OUTDIR from a clone of this repository:
#
#   bash rpm/build.sh [--agent DIR] OUTDIR
#
# Needs the .NET SDK (global.json), a C toolchain and zlib headers for the AOT agent, and rpmbuild (rpm-build on
# RPM distributions, the rpm package on Debian). Publishes the agent (native AOT) and the collector
# (self-contained, ReadyToRun) for linux-x64, stages them with the units, configuration, modulefiles and docs, and
# runs rpmbuild in a scratch _topdir. --agent DIR takes the agent already published in DIR (scripts/build.sh leaves
# it in artifacts/agent) instead of publishing it again; it must be this tree's version.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

usage() { echo "usage: rpm/build.sh [--agent DIR] OUTDIR" >&2; exit 2; }
agent_from=""
outdir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --agent) [ $# -ge 2 ] || usage; agent_from=$(cd "$2" && pwd); shift 2 ;;
    -h|--help) usage ;;
    -*) usage ;;
    *) [ -z "$outdir" ] || usage; outdir=$1; shift ;;
  esac
done
[ -n "$outdir" ] || usage
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)

fail() { echo "rpm/build.sh: $*" >&2; exit 1; }
command -v rpmbuild >/dev/null || fail "rpmbuild is missing: install rpm-build (RPM distributions) or rpm (Debian)"
command -v dotnet >/dev/null || fail "dotnet is missing: install the .NET SDK named in global.json"
for f in agent/modulefiles/polaris-agent.lua agent/modulefiles/polaris-agent.tcl README.md; do
  [ -f "$root/$f" ] || fail "$f is missing: the agent's package installs it"
done

cd "$root"
# RPM versions may not hold '-': a prerelease 1.2.0-rc1 becomes 1.2.0~rc1, which sorts before 1.2.0.
version=$(dotnet msbuild agent/Polaris.Agent -getProperty:Version -nologo | tr -d '[:space:]')
version=${version//-/\~}
[[ "$version" =~ ^[0-9][0-9A-Za-z.+~]*$ ]] || fail "agent version '$version' is no RPM version"

work=$(mktemp -d "${TMPDIR:-/tmp}/polaris-rpm.XXXXXX")
trap 'rm -rf "$work"' EXIT
sources="$work/SOURCES"
mkdir -p "$sources"/{agent/hook,collector,systemd,doc,monitoring,modulefiles}

# dotnet publish, its output shown only when it fails; warnings fail the build as scripts/build.sh's do.
publish() {
  local what=$1 log="$work/publish-$1.log"; shift
  echo "rpm/build.sh: publishing $what"
  if ! dotnet publish "$@" --nologo >"$log" 2>&1; then cat "$log" >&2; fail "publishing $what failed"; fi
  if grep -E "warning (IL|AOT|CS|NU)[0-9]+" "$log" | grep -v NU1603 >&2; then fail "publishing $what printed warnings (above)"; fi
}

if [ -z "$agent_from" ]; then
  agent_from="$work/agent-publish"
  publish polaris-agent agent/Polaris.Agent -c Release -r linux-x64 -p:PublishAot=true -o "$agent_from"
fi
[ -x "$agent_from/polaris-agent" ] || fail "no polaris-agent in $agent_from"
published=$("$agent_from/polaris-agent" version)
[ "${published//-/\~}" = "$version" ] || fail "$agent_from/polaris-agent is version $published, this tree is $version: publish it again"
# The binary and the hook's source only: the hook is compiled on each node for its own Pythons (%post), and
# the .dbg symbols and XML docs stay here.
cp "$agent_from/polaris-agent" "$sources/agent/"
cp agent/Polaris.Agent/Hook/sitecustomize.py "$sources/agent/hook/"

publish polaris-collector collector/Polaris.Collector -c Release -r linux-x64 --self-contained -p:PublishReadyToRun=true \
  -o "$work/collector-publish"
# Not shipped: the XML docs (for IDEs), and LTTng's tracepoint provider, which would make the package require
# liblttng-ust; the runtime runs without it (no LTTng tracing), as it does where liblttng-ust is missing.
cp -a "$work/collector-publish/." "$sources/collector/"
rm -f "$sources"/collector/*.xml "$sources/collector/libcoreclrtraceptprovider.so"

cp systemd/polaris-agent.socket systemd/polaris-agent.service systemd/polaris-agent.sysusers systemd/polaris-agent.tmpfiles \
   systemd/polaris-collector.service systemd/polaris-collector.sysusers "$sources/systemd/"
cp -r rpm/etc "$sources/etc"
cp rpm/systemd-fallbacks.inc "$sources/"
cp agent/modulefiles/polaris-agent.lua agent/modulefiles/polaris-agent.tcl "$sources/modulefiles/"
cp monitoring/polaris-rules.yml monitoring/polaris-dashboard.json "$sources/monitoring/"
cp README.md "$sources/doc/"
[ ! -f docs/operations.md ] || cp docs/operations.md "$sources/doc/"

# xz: every rpm since RHEL 6 and SLES 11 reads it. Level 2 packs the collector's 115 MiB into 40 MiB in 30 s on
# the 2-core test VM; level 6 gains 4 MiB for 52 s, zstd -19 none for 77 s, and gzip -9 loses 9 MiB.
for spec in polaris-agent polaris-collector; do
  echo "rpm/build.sh: rpmbuild $spec"
  rpmbuild -bb --quiet --target x86_64 \
    --define "_topdir $work" \
    --define "polaris_version $version" \
    --define "_binary_payload w2.xzdio" \
    "rpm/$spec.spec"
done
cp "$work"/RPMS/x86_64/*.rpm "$outdir/"
for rpm in "$work"/RPMS/x86_64/*.rpm; do
  echo "rpm/build.sh: $outdir/$(basename "$rpm") $(du -h "$rpm" | cut -f1)"
done
