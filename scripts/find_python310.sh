#!/usr/bin/env sh
# Prints the path of a Python 3.10 interpreter: PATH first, then pyenv's versions.
# Exits 1 with a clear message when none is found (Rasa 3.6 needs Python 3.8-3.10).
is_310() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }

for candidate in python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do
  if command -v "$candidate" >/dev/null 2>&1 && is_310 "$candidate"; then
    command -v "$candidate"; exit 0
  fi
done
pyenv_root=$( (pyenv root) 2>/dev/null || echo "$HOME/.pyenv")
for candidate in "$pyenv_root"/versions/3.10*/bin/python3.10; do
  if [ -x "$candidate" ] && is_310 "$candidate"; then
    echo "$candidate"; exit 0
  fi
done
echo "No Python 3.10 found (looked on PATH and under $pyenv_root/versions)." >&2
echo "Rasa 3.6 needs Python 3.8-3.10: install one, e.g. 'pyenv install 3.10.13'." >&2
exit 1
