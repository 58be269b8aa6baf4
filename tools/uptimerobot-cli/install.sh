#!/usr/bin/env bash
# Provides UptimeRobot's official CLI (npm @uptimerobot/cli) with the Node.js it needs, in the per-user
# cache, and prints the path of a launcher that runs it.
#
#   tools/uptimerobot-cli/install.sh
#
# The CLI refuses Node.js older than 22.12 (its bin/run.js); machines often have an older one, so Node.js
# comes from the npm registry too (the `node` package, which installs the official binary), pinned beside
# the CLI. Needs npm; the first install downloads about 40 MB, later runs take well under a second.
set -euo pipefail

cli_version=1.0.0
node_version=22.23.3
cache=${LOOKOUT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lookout}
home="$cache/uptimerobot-cli-$cli_version-node-$node_version"
launcher="$home/uptimerobot"

if [ ! -x "$launcher" ]; then
  command -v npm >/dev/null || { echo "uptimerobot-cli: npm is needed to install the CLI" >&2; exit 1; }
  rm -rf "$home.partial"
  npm install --prefix "$home.partial" --no-audit --no-fund --loglevel=error \
    "node@$node_version" "@uptimerobot/cli@$cli_version" >&2
  cat > "$home.partial/uptimerobot" <<LAUNCHER
#!/usr/bin/env bash
exec "$home/node_modules/.bin/node" "$home/node_modules/@uptimerobot/cli/bin/run.js" "\$@"
LAUNCHER
  chmod +x "$home.partial/uptimerobot"
  rm -rf "$home" && mv "$home.partial" "$home"
fi
echo "$launcher"
