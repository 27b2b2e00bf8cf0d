#!/usr/bin/env bash
# Installs the Dalaba loudspeaker agent on Debian or Raspberry Pi OS (arm64, armhf, amd64).
# Run it from the agent's folder (this script's), after `npm run build --workspace dalaba-agent`
# or from an unpacked release. Safe to run again: it upgrades the program and keeps what it is not told to change.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: sudo ./install.sh --server URL [--code ENROLLMENT-CODE] [options]

Installs the agent to /opt/dalaba-agent, the service dalaba-agent (user dalaba-agent, group audio),
its settings to /etc/dalaba-agent/env, and starts it.

  --server URL           the Dalaba server, e.g. https://dalaba.example.gov.cn (DALABA_SERVER)
  --code CODE            the one-time enrollment code an operator got when registering the loudspeaker
                         (DALABA_ENROLLMENT_CODE); needed on the first install, and again for a replaced device
  --serial TEXT          the device's serial (DALABA_SERIAL; default: this machine's hostname)
  --output OUTPUT        alsa:<device> (DALABA_AUDIO_OUTPUT; default alsa:default; see `aplay -L`)
  --max-clock-offset-ms N  refuse to air scheduled items with a clock off by more (default 1000)
  --cache-days N         keep media of the last N days' playlists (default 7)
  --no-apt               do not install nodejs and ffmpeg with apt-get (they must be there)
  --no-start             install and enable, but do not (re)start the service now
  -h, --help             this text

Environment: DESTDIR=/some/dir installs every file under that folder instead of / (for packaging or a
try-out): no apt-get, no user, no systemctl.
USAGE
}

DESTDIR="${DESTDIR:-}"
SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PREFIX=/opt/dalaba-agent
ENV_FILE=/etc/dalaba-agent/env
UNIT=/etc/systemd/system/dalaba-agent.service
USER_NAME=dalaba-agent
APT=1
START=1
declare -A SET=()

while [[ $# -gt 0 ]]; do
  case "$1" in
    --server) SET[DALABA_SERVER]="${2:?--server needs a URL}"; shift 2 ;;
    --code) SET[DALABA_ENROLLMENT_CODE]="${2:?--code needs the enrollment code}"; shift 2 ;;
    --serial) SET[DALABA_SERIAL]="${2:?--serial needs a value}"; shift 2 ;;
    --output) SET[DALABA_AUDIO_OUTPUT]="${2:?--output needs alsa:<device>}"; shift 2 ;;
    --max-clock-offset-ms) SET[DALABA_MAX_CLOCK_OFFSET_MS]="${2:?--max-clock-offset-ms needs a number}"; shift 2 ;;
    --cache-days) SET[DALABA_CACHE_DAYS]="${2:?--cache-days needs a number}"; shift 2 ;;
    --no-apt) APT=0; shift ;;
    --no-start) START=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf '==> %s\n' "$*"; }
fail() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

[[ -f "$SOURCE/dist/main.js" ]] || fail "no $SOURCE/dist/main.js: build the agent first (npm run build --workspace dalaba-agent)"
if [[ -z "$DESTDIR" && $EUID -ne 0 ]]; then fail "run it as root (sudo), or set DESTDIR to install into a folder"; fi
if [[ -n "$DESTDIR" ]]; then APT=0; START=0; fi

# --- settings, checked before anything is touched: what is given replaces, what is not is kept ----------------------------------------
declare -A ENV=()
if [[ -f "$DESTDIR$ENV_FILE" ]]; then
  while IFS='=' read -r key value; do
    [[ "$key" =~ ^DALABA_[A-Z_]+$ ]] && ENV[$key]="$value"
  done <"$DESTDIR$ENV_FILE"
fi
for key in "${!SET[@]}"; do ENV[$key]="${SET[$key]}"; done
[[ -n "${ENV[DALABA_SERVER]:-}" ]] || fail "--server is required on the first install"
[[ "${ENV[DALABA_SERVER]}" =~ ^https?:// ]] || fail "--server must be an http(s) URL"
: "${ENV[DALABA_AUDIO_OUTPUT]:=alsa:default}"

# --- Node.js ≥ 20 and ffmpeg ---------------------------------------------------------------
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [[ $APT -eq 1 ]]; then
  missing=()
  command -v ffmpeg >/dev/null || missing+=(ffmpeg)
  [[ "$(node_major)" -ge 20 ]] || missing+=(nodejs)
  if [[ ${#missing[@]} -gt 0 ]]; then
    say "installing ${missing[*]} with apt-get"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" alsa-utils
  fi
  [[ "$(node_major)" -ge 20 ]] ||
    fail "Node.js $(node_major) is too old (the agent needs 20 or later; Debian 12 and Raspberry Pi OS bookworm ship 18): install Node.js 20 from https://deb.nodesource.com (see docs/agent.md) and run this again"
fi

# --- the program -------------------------------------------------------------------------------
say "installing the agent to $DESTDIR$PREFIX"
install -d -m 0755 "$DESTDIR$PREFIX"
rm -rf "$DESTDIR$PREFIX/dist.new"
cp -r "$SOURCE/dist" "$DESTDIR$PREFIX/dist.new"
find "$DESTDIR$PREFIX/dist.new" -name '*.spec.*' -delete
# Swapped in whole: a running agent restarted mid-copy never sees half of the new version.
rm -rf "$DESTDIR$PREFIX/dist.old"
if [[ -d "$DESTDIR$PREFIX/dist" ]]; then mv "$DESTDIR$PREFIX/dist" "$DESTDIR$PREFIX/dist.old"; fi
mv "$DESTDIR$PREFIX/dist.new" "$DESTDIR$PREFIX/dist"
rm -rf "$DESTDIR$PREFIX/dist.old"
install -m 0644 "$SOURCE/package.json" "$DESTDIR$PREFIX/package.json"
chmod 0755 "$DESTDIR$PREFIX/dist/main.js"

# --- the user ------------------------------------------------------------------------------------
if [[ -z "$DESTDIR" ]]; then
  if ! id -u "$USER_NAME" >/dev/null 2>&1; then
    say "creating the system user $USER_NAME (group audio)"
    useradd --system --home-dir /var/lib/dalaba-agent --no-create-home --shell /usr/sbin/nologin \
      --groups audio "$USER_NAME"
  else
    usermod -a -G audio "$USER_NAME"
  fi
fi

install -d -m 0755 "$DESTDIR/etc/dalaba-agent"
{
  echo "# Dalaba agent settings (docs/agent.md). Written by install.sh; edit, then: systemctl restart dalaba-agent"
  for key in $(printf '%s\n' "${!ENV[@]}" | sort); do echo "$key=${ENV[$key]}"; done
} >"$DESTDIR$ENV_FILE.new"
# It holds the enrollment code: readable by root and the agent only.
chmod 0640 "$DESTDIR$ENV_FILE.new"
if [[ -z "$DESTDIR" ]]; then chown "root:$USER_NAME" "$DESTDIR$ENV_FILE.new"; fi
mv "$DESTDIR$ENV_FILE.new" "$DESTDIR$ENV_FILE"
say "settings in $DESTDIR$ENV_FILE"

# --- the service -----------------------------------------------------------------------------------
install -d -m 0755 "$DESTDIR$(dirname "$UNIT")"
install -m 0644 "$SOURCE/systemd/dalaba-agent.service" "$DESTDIR$UNIT"
if [[ -z "$DESTDIR" ]]; then
  systemctl daemon-reload
  systemctl enable dalaba-agent.service >/dev/null
  if [[ $START -eq 1 ]]; then
    systemctl restart dalaba-agent.service
    say "started: follow it with  journalctl -u dalaba-agent -f -o cat"
  fi
fi
say "done"
