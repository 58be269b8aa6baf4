#!/usr/bin/env bash
# Provides the Pulumi CLI pinned to the `pulumi` SDK version, and links it at .lookout/bin.
#
#   tools/pulumi-cli/install.sh          # ensure the CLI, print the directory that holds it
#
#   tools/pulumi-cli/install.sh --accepts v3.261.0   # exit 0 if that version on PATH would be used
#
# Order: an official `pulumi` on PATH (Pulumi's installer, a package manager, pulumi/actions) of at least
# the minimum version, with its own language host beside it; else the per-user cache; else build the pinned
# version from Go modules into the cache (first build takes several minutes on 2 cores; later runs take well
# under a second). The pinned version is the one go.mod beside this script requires; tests check pyproject
# pins the same SDK. The minimum is that version too: the Python SDK talks to the engine over gRPC, and
# Pulumi keeps a newer engine compatible with an older SDK, never the reverse (an older CLI does not know
# what a newer SDK may ask of it).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
version=$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" {print $2; exit}' "$here/go.mod")
[ -n "$version" ] || { echo "install.sh: no pkg/v3 version in $here/go.mod" >&2; exit 1; }
cache=${LOOKOUT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lookout}
bin="$cache/pulumi-$version/bin"
link="$repo/.lookout/bin"

say() { echo "pulumi-cli: $*" >&2; }

# at_least FOUND MINIMUM: FOUND (vX.Y.Z, as `pulumi version` prints it) is a release no older than MINIMUM.
# Pre-releases and anything else are refused.
at_least() {
  local found=${1#v} minimum=${2#v}
  [[ $found =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || return 1
  [ "$(printf '%s\n%s\n' "$minimum" "$found" | sort -V | head -n 1)" = "$minimum" ]
}

if [ "${1:-}" = "--accepts" ]; then
  at_least "${2:-}" "$version"
  exit
fi

link_to() {
  mkdir -p "$repo/.lookout"
  ln -sfn "$1" "$link"
  echo "$1"
}

# 1. An official CLI on PATH, recent enough, with its own language host beside it.
if command -v pulumi >/dev/null 2>&1; then
  found=$(dirname "$(readlink -f "$(command -v pulumi)")")
  if [ "$found" != "$(readlink -f "$link" 2>/dev/null || true)" ] && [ -x "$found/pulumi-language-python" ]; then
    have=$(pulumi version 2>/dev/null || true)
    if at_least "$have" "$version"; then
      link_to "$found"
      exit 0
    fi
    say "ignoring pulumi $have on PATH: Lookout needs $version or newer (a newer engine serves an older SDK, not the reverse)"
  fi
fi

# The language host (langhost/main.go), built into DIR unless the one there was built from this source
# (a few seconds with the Go build cache warm; the module's packages are the CLI's own).
langhost_into() {
  local dir=$1 source
  source=$(cat "$here/langhost/main.go" "$here/go.mod" | sha256sum | cut -d' ' -f1)
  # The stamp names the binary too: another checkout's install.sh may have put another host there.
  [ -x "$dir/pulumi-language-python" ] &&
    [ "$(cat "$dir/.langhost-source" 2>/dev/null)" = "$source $(sha256sum <"$dir/pulumi-language-python" | cut -d' ' -f1)" ] &&
    return 0
  command -v go >/dev/null 2>&1 || { say "Go 1.25 or newer is needed to build the language host"; exit 1; }
  (cd "$here" && GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w" -o "$dir/.langhost.new" ./langhost) ||
    { say "building the language host failed (output above)"; exit 1; }
  mv -f "$dir/.langhost.new" "$dir/pulumi-language-python"  # over the script of the Python host it replaced
  rm -f "$dir/langhost.py"
  echo "$source $(sha256sum <"$dir/pulumi-language-python" | cut -d' ' -f1)" >"$dir/.langhost-source"
}

# 2. The cache, complete (the stamp is written last).
if [ -f "$bin/.complete" ]; then
  langhost_into "$bin"
  link_to "$bin"
  exit 0
fi

# 3. Build from the Go module proxy.
if ! command -v go >/dev/null 2>&1; then
  say "Go is not installed. Install Go 1.25 or newer (e.g. 'apt-get install golang-go' or https://go.dev/dl),"
  say "or put Pulumi CLI $version or newer on PATH (https://www.pulumi.com/docs/install/), then run this again."
  exit 1
fi
say "building Pulumi CLI $version from Go modules into $bin (first run only; several minutes)"
tmp="$bin.tmp"
rm -rf "$tmp"
mkdir -p "$tmp"
export GOFLAGS=-mod=mod
cd "$here"
say "downloading modules..."
go mod download github.com/pulumi/pulumi/pkg/v3 github.com/pulumi/pulumi/sdk/v3
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version"
say "compiling about 1600 packages (progress every 100)..."
# `-v` names each package as it is compiled: the progress a first-time user sees. Other lines are errors.
if ! go build -v -trimpath -ldflags "$ldflags" -o "$tmp/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi 2>&1 |
  awk '/^[^ :]+$/ {n++; if (n % 100 == 0) printf "pulumi-cli: %d packages compiled\n", n > "/dev/stderr"; next}
       {print > "/dev/stderr"}'; then
  say "go build failed (output above). Go 1.25+ and access to the Go module proxy are required."
  exit 1
fi

sdk=$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)
install -m 0755 "$sdk/python/dist/pulumi-resource-pulumi-python" "$tmp/"
install -m 0755 "$sdk/python/cmd/pulumi-language-python-exec" "$tmp/"
echo "${version#v}" >"$tmp/VERSION"
langhost_into "$tmp"
touch "$tmp/.complete"
rm -rf "$bin"
mv "$tmp" "$bin"
say "ready: $("$bin/pulumi" version)"
link_to "$bin"
