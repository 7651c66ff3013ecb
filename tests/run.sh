#!/usr/bin/env bash
# The README's test command, for a fresh Debian machine: installs the system packages the tests need
# (Debian's chromium and a CJK font for the browser tests, PostgreSQL for the database tests) when
# they are missing, then the virtual environment and the requirements, then runs the whole suite
# and the linter. .ci/run calls exactly this. Never `playwright install`: Playwright drives Debian's
# chromium. Arguments are passed to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if command -v dpkg-query >/dev/null 2>&1; then  # a removed package keeps a status entry: ask for "installed"
  dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "ok installed" || missing+=(fonts-noto-cjk)
elif ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  missing+=(fonts-noto-cjk)
fi
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)

if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "测试需要以下系统软件包，本机没有 apt-get，请先手动安装：${missing[*]} / the tests need these system packages and apt-get is not available: ${missing[*]}" >&2
    exit 1
  fi
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "安装 ${missing[*]} 需要 root 或 sudo / installing ${missing[*]} needs root or sudo" >&2
      exit 1
    fi
  fi
  echo "installing ${missing[*]} with apt-get" >&2
  $sudo apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

python3 -m venv .venv
.venv/bin/pip install -q -r requirements-dev.txt
.venv/bin/python -m pytest -q "$@"
.venv/bin/ruff check .
