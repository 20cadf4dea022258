#!/usr/bin/env bash
# Make .venv with archivekit and its test tools installed. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test,cluster]'
# OCR of scans and of PDFs without a text layer runs these programs. Without them
# archivekit still captures scans and PDFs (keeping the original), with a warning
# and no reading.
missing=""
command -v tesseract >/dev/null || missing="$missing tesseract-ocr tesseract-ocr-eng"
command -v tesseract >/dev/null && ! tesseract --list-langs 2>/dev/null | grep -qx eng \
  && missing="$missing tesseract-ocr-eng"
command -v pdftoppm >/dev/null || missing="$missing poppler-utils"
if [ -n "$missing" ]; then
  echo "setup: OCR needs Debian packages that are missing:$missing" >&2
  echo "setup: install them with: sudo apt-get install -y$missing" >&2
fi
