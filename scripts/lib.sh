# Shared helpers for Tongban's scripts (sourced, not run).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
export PATH="$HOME/.cargo/bin:$TOOLS/node_modules/.bin:$PATH"
# Each step says how long it took when the next one starts (and `end_steps` closes the last one).
RUN_START=$SECONDS; STEP_NAME=""; STEP_START=$SECONDS
human() { local s=$1; if [ "$s" -ge 60 ]; then printf '%d m %02d s' $((s / 60)) $((s % 60)); else printf '%d s' "$s"; fi; }
end_steps() {
  if [ -n "$STEP_NAME" ]; then
    printf '    \033[2m%s: %s (%s since the start)\033[0m\n' "$STEP_NAME" "$(human $((SECONDS - STEP_START)))" "$(human $((SECONDS - RUN_START)))"
  fi
  STEP_NAME=""
}
trap end_steps EXIT
step() { end_steps; STEP_NAME="$*"; STEP_START=$SECONDS; printf '\n\033[1m==> %s\033[0m\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi; }
APT_UPDATED=""
apt_install() {
  command -v apt-get >/dev/null || die "apt-get not found: install $* with your package manager"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
