#!/usr/bin/env bash
# Rebuild static/css/app.css from static/scss/app.scss against govuk-frontend 6.3.0.
# Only needed when the SCSS changes: the built CSS is committed, so running the portal needs no npm.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
(cd "$work" && npm init -y >/dev/null && npm install --silent govuk-frontend@6.3.0 sass@1)
"$work/node_modules/.bin/sass" --no-source-map --style=compressed --quiet-deps \
  --load-path="$work/node_modules" static/scss/app.scss static/css/app.css
rm -rf "$work"
echo "built static/css/app.css"
