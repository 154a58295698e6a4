# Sourced by .ci scripts: puts Node >= 22, pnpm and Go on PATH on a fresh machine.
# Machines boot with Node 20; Node 24 comes from the npm registry's `node` package (its binary
# installs from the registry), pnpm from the `pnpm` package, both into a cache outside the repo.
KGO_NODE_VERSION=24.21.0
KGO_PNPM_VERSION=12.21.0
KGO_TOOLCHAIN_DIR=${KGO_TOOLCHAIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kgo/toolchain}

kgo_toolchain() {
  local bin="$KGO_TOOLCHAIN_DIR/node_modules/.bin"
  if [ ! -x "$bin/node" ] || [ "$("$bin/node" --version 2>/dev/null)" != "v$KGO_NODE_VERSION" ] ||
    [ "$("$bin/pnpm" --version 2>/dev/null)" != "$KGO_PNPM_VERSION" ]; then
    if ! command -v npm >/dev/null; then
      echo "kgo: npm is needed to install Node $KGO_NODE_VERSION and pnpm: install Node.js (any version with npm)" >&2
      return 1
    fi
    echo "kgo: installing node@$KGO_NODE_VERSION and pnpm@$KGO_PNPM_VERSION into $KGO_TOOLCHAIN_DIR" >&2
    mkdir -p "$KGO_TOOLCHAIN_DIR"
    npm install --prefix "$KGO_TOOLCHAIN_DIR" --no-save --no-audit --no-fund --loglevel=error \
      "node@$KGO_NODE_VERSION" "pnpm@$KGO_PNPM_VERSION" >&2
  fi
  export PATH="$bin:$PATH"
  # Go builds the envtest control plane once; Debian's Go lives here but is not always on PATH.
  if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then export PATH="$PATH:/usr/local/go/bin"; fi
  node --version >/dev/null
}
