#!/usr/bin/env bash
# Prints the path of a Python >= 3.12 that actually runs, or explains what to install and fails.
# Order: python3.13 / python3.12 / python3 on PATH, then pyenv's installed versions (newest first).
set -u
works() { "$1" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
for cand in python3.13 python3.12 python3; do
  p=$(command -v "$cand" 2>/dev/null) || continue
  if works "$p"; then echo "$p"; exit 0; fi
done
root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
if [ -d "$root/versions" ]; then
  for v in $(ls "$root/versions" | sort -t. -k1,1nr -k2,2nr -k3,3nr); do
    p="$root/versions/$v/bin/python3"
    if [ -x "$p" ] && works "$p"; then echo "$p"; exit 0; fi
  done
fi
cat >&2 <<'MSG'
Rungs needs Python 3.12 or newer, and none was found (looked for python3.13, python3.12, python3 on PATH
and in pyenv's versions). Install one, for example:
  Debian/Ubuntu:  sudo apt install python3.12 python3.12-venv
  pyenv:          pyenv install 3.12
  macOS:          brew install python@3.12
需要 Python 3.12 或更新版本，但未找到。请先安装（见上）。
MSG
exit 1
