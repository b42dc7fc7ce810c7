# shellcheck shell=bash
# Sourced by .ci/run (and usable by hand: `. .ci/node-floor.sh`): makes `node` the version of
# .nvmrc or newer. When the machine's Node is older, the official binary of the .nvmrc line is
# installed from the npm registry (the `node` package ships it) under ~/.cache/stayup-node and
# put first on PATH; npm then runs on it too.
floor_major="$(tr -dc '0-9' < "$(dirname "${BASH_SOURCE[0]}")/../.nvmrc")"
current_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$current_major" -lt "$floor_major" ]; then
  prefix="${HOME}/.cache/stayup-node/${floor_major}"
  if [ ! -x "$prefix/node_modules/node/bin/node" ]; then
    echo "node-floor: Node $(node --version 2>/dev/null || echo none) is older than the floor ${floor_major} (.nvmrc): installing node@${floor_major} from the npm registry"
    npm install --prefix "$prefix" --no-audit --no-fund --no-save --loglevel=error "node@${floor_major}" >/dev/null
  fi
  export PATH="$prefix/node_modules/node/bin:$PATH"
fi
echo "node-floor: using node $(node --version) ($(command -v node))"
