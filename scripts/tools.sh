# Sourced by scripts/demo and scripts/test: installs what is missing, once.
# Every step checks first, so a second run costs a few seconds.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=${IRP_TOOLS:-$HOME/.cache/incident-report/tools}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/incident-report/target}
export PATH="$HOME/.cargo/bin:$TOOLS/node_modules/.bin:$PATH"
mkdir -p "$TOOLS"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# The exact version of a crate in Cargo.lock.
locked_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' \
    "$ROOT/Cargo.lock"
}

ensure_wasm_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown && return
  say "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
}

ensure_chromium() {
  command -v chromium >/dev/null && command -v chromedriver >/dev/null && return
  say "Installing Chromium and ChromeDriver"
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
}

# cargo_tool BINARY VERSION CRATE [cargo install flags...]
cargo_tool() {
  local bin=$1 version=$2 crate=$3; shift 3
  if command -v "$bin" >/dev/null && "$bin" --version 2>/dev/null | grep -q -- "$version"; then
    return
  fi
  say "Installing $crate $version"
  cargo install "$@" "$crate@$version"
}

ensure_wasm_tools() {
  ensure_wasm_target
  # wasm-bindgen's CLI must match the library exactly; --locked fails for it.
  cargo_tool wasm-bindgen "$(locked_version wasm-bindgen)" wasm-bindgen-cli
  if ! command -v wasm-pack >/dev/null; then
    say "Installing wasm-pack"
    cargo install --locked wasm-pack
  fi
}

# Debian's binaryen is too old for today's rustc; the npm package is not.
ensure_node_tools() {
  if [ ! -x "$TOOLS/node_modules/.bin/wasm-opt" ] || [ ! -d "$TOOLS/node_modules/playwright-core" ]; then
    say "Installing wasm-opt (binaryen 132) and playwright-core"
    (cd "$TOOLS" && npm install --no-fund --no-audit --silent binaryen@132 playwright-core@1 >/dev/null)
  fi
}

# Trunk builds the static demo (`trunk serve`, no server needed).
ensure_trunk() {
  cargo_tool trunk 0.21.14 trunk --locked
}

# What the tests need: no Trunk.
ensure_test_tools() {
  ensure_chromium
  ensure_wasm_tools
  ensure_node_tools
}

ensure_all() {
  ensure_test_tools
  ensure_trunk
}
