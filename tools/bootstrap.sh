#!/usr/bin/env bash
# Set up a fresh machine for chapter_app: the Debian libraries Qt and the tests need
# (only those missing, and only when we may install them), then a virtualenv in .venv
# with the program and its test tools. Safe to run again, and quick when nothing is
# missing: the packages are asked about once, pip runs only when pyproject.toml changed.
#
# Another apt (an update running in the background) is waited for, up to APT_WAIT
# seconds. The Qt libraries are required; the other packages (fonts, PDF and sheet
# tools used by the tests) are optional: a failure to install them is a warning.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxcb-shape0 libxcb-randr0 libxcb-xinerama0 fonts-liberation2 fonts-dejavu-core poppler-utils
  libreoffice-calc-nogui
)
# Without these Qt does not start; every other package above is optional.
REQUIRED_PACKAGES=(
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxcb-shape0 libxcb-randr0 libxcb-xinerama0
)
APT_WAIT="${APT_WAIT:-300}"
APT=(apt-get -o "DPkg::Lock::Timeout=${APT_WAIT}" -y -qq)

is_required() {
  local pkg
  for pkg in "${REQUIRED_PACKAGES[@]}"; do [ "$pkg" = "$1" ] && return 0; done
  return 1
}

apt_update() {  # bounded: retries while another apt holds the lists lock
  local waited=0
  until $SUDO apt-get -o "DPkg::Lock::Timeout=${APT_WAIT}" update -qq; do
    if [ "$waited" -ge "$APT_WAIT" ]; then
      echo "Warning: apt-get update failed; installing from what apt already knows." >&2
      return 0
    fi
    sleep 10
    waited=$((waited + 10))
  done
}

if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  installed=" $({ dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${DEBIAN_PACKAGES[@]}" \
    2>/dev/null || true; } | awk '$1 == "ii" { printf "%s ", $2 }')"
  required=() optional=()
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    case "$installed" in *" $pkg "*) continue ;; esac
    if is_required "$pkg"; then required+=("$pkg"); else optional+=("$pkg"); fi
  done
  if [ $((${#required[@]} + ${#optional[@]})) -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
    if [ "$(id -u)" -eq 0 ] || [ -n "$SUDO" ]; then
      echo "Installing Debian packages: ${required[*]} ${optional[*]}"
      apt_update
      export DEBIAN_FRONTEND=noninteractive
      if [ ${#required[@]} -gt 0 ] && ! $SUDO "${APT[@]}" install "${required[@]}" >/dev/null; then
        echo "Error: could not install the libraries Qt needs: ${required[*]}" >&2
        exit 1
      fi
      for pkg in "${optional[@]}"; do
        $SUDO "${APT[@]}" install "$pkg" >/dev/null ||
          echo "Warning: optional package $pkg not installed (some tests need it)." >&2
      done
    else
      echo "Warning: missing Debian packages (install them as root): ${required[*]} ${optional[*]}" >&2
    fi
  fi
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# pip only when the project's description (dependencies, version) changed since it ran.
STAMP=.venv/.chapter_app-installed
wanted="$(cksum < pyproject.toml)"
if [ ! -x .venv/bin/chapter-app ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$wanted" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
  # An editable install is not byte-compiled: compile now, so the first start is quick too.
  .venv/bin/python -m compileall -q chapter_app >/dev/null || true
  echo "$wanted" > "$STAMP"
fi
