#!/bin/sh
# Regenerates res/shutdownlab.ico (16, 24, 32, 48, 64, 256 px) with ImageMagick: two
# lanes (client, server) and a FIN arrow between them. Run it by hand after changing the
# drawing; the .ico is committed so a build needs no ImageMagick.
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
convert -size 256x256 xc:none \
  -fill '#1f4e79' -draw 'roundrectangle 8,8 248,248 36,36' \
  -stroke white -strokewidth 18 -draw 'line 70,40 70,216' -draw 'line 186,40 186,216' \
  -stroke '#ffc000' -strokewidth 20 -draw 'line 78,96 160,150' \
  -stroke none -fill '#ffc000' -draw 'polygon 178,162 136,160 158,124' \
  "$tmp/icon.png"
convert "$tmp/icon.png" -define icon:auto-resize=256,64,48,32,24,16 res/shutdownlab.ico
