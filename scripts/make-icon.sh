#!/bin/sh
# Regenerates the icons from one drawing: two lanes (client, server) and a FIN arrow
# between them, on a rounded dark-blue square (coordinates of a 256 px canvas):
#   res/shutdownlab.ico      the GUI's: 16, 20, 24, 32, 40, 48, 64 and 256 px
#   res/shutdownlab-cli.ico  the headless runner's: 16, 24, 32 and 48 px
# Every size is drawn afresh, 16x16 samples per pixel (4x4 from 128 px up; anti-aliased,
# straight alpha), and stored as a 32-bit RGBA PNG entry (Windows Vista and later read
# PNG entries at any size; Wine does too). PNG keeps the icons small: the executables
# must stay under 300 KB (GUI) and 200 KB (CLI). Python 3's standard library is all it
# needs. Run it by hand after changing the drawing; the .ico files are committed so a
# build needs nothing.
# Usage: scripts/make-icon.sh
set -eu
cd "$(dirname "$0")/.."
python3 - <<'EOF'
import math
import struct
import zlib

BLUE = (0x1F, 0x4E, 0x79)
WHITE = (0xFF, 0xFF, 0xFF)
ORANGE = (0xFF, 0xC0, 0x00)


def in_round_rect(x, y, x0=8.0, y0=8.0, x1=248.0, y1=248.0, r=36.0):
    if not (x0 <= x <= x1 and y0 <= y <= y1):
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def stroke(ax, ay, bx, by, width):
    """A straight line with butt ends, as ImageMagick's -draw 'line' strokes it."""
    dx, dy = bx - ax, by - ay
    length = math.hypot(dx, dy)
    ux, uy = dx / length, dy / length
    half = width / 2.0

    def inside(x, y):
        px, py = x - ax, y - ay
        along = px * ux + py * uy
        across = -px * uy + py * ux
        return 0.0 <= along <= length and abs(across) <= half
    return inside


def triangle(p, q, r):
    def side(a, b, x, y):
        return (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0])

    def inside(x, y):
        s1, s2, s3 = side(p, q, x, y), side(q, r, x, y), side(r, p, x, y)
        return (s1 >= 0 and s2 >= 0 and s3 >= 0) or (s1 <= 0 and s2 <= 0 and s3 <= 0)
    return inside


# Painted in this order; the last shape that covers a point gives its colour.
SHAPES = [
    (BLUE, in_round_rect),
    (WHITE, stroke(70, 40, 70, 216, 18)),
    (WHITE, stroke(186, 40, 186, 216, 18)),
    (ORANGE, stroke(78, 96, 160, 150, 20)),
    (ORANGE, triangle((178, 162), (136, 160), (158, 124))),
]


def render(size, samples=16):
    """RGBA rows of the drawing at size x size pixels."""
    scale = 256.0 / size
    offsets = [(i + 0.5) / samples for i in range(samples)]
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            acc = [0, 0, 0]
            covered = 0
            for oy in offsets:
                y = (py + oy) * scale
                for ox in offsets:
                    x = (px + ox) * scale
                    colour = None
                    for c, inside in SHAPES:
                        if inside(x, y):
                            colour = c
                    if colour is not None:
                        covered += 1
                        acc[0] += colour[0]
                        acc[1] += colour[1]
                        acc[2] += colour[2]
            if covered:
                row += bytes((round(acc[0] / covered), round(acc[1] / covered), round(acc[2] / covered),
                              round(255 * covered / (samples * samples))))
            else:
                row += b"\0\0\0\0"
        rows.append(bytes(row))
    return rows


def png(size, rows):
    """The smallest of a few PNG encodings (each filter alone, and one chosen per row)."""
    bpp = 4

    def filtered(kind, row, prev):
        out = bytearray([kind])
        for i, v in enumerate(row):
            a = row[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 0:
                p = 0
            elif kind == 1:
                p = a
            elif kind == 2:
                p = b
            elif kind == 3:
                p = (a + b) // 2
            else:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            out.append((v - p) & 0xFF)
        return bytes(out)

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    candidates = []
    zero = bytes(size * bpp)
    for choice in (0, 1, 2, 3, 4, "adaptive"):
        data, prev = bytearray(), zero
        for row in rows:
            if choice == "adaptive":
                options = [filtered(k, row, prev) for k in range(5)]
                data += min(options, key=lambda f: sum(v if v < 128 else 256 - v for v in f[1:]))
            else:
                data += filtered(choice, row, prev)
            prev = row
        candidates.append(zlib.compress(bytes(data), 9))
    idat = min(candidates, key=len)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)) +
            chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def ico(path, sizes, cache):
    images = []
    for s in sizes:
        if s not in cache:
            cache[s] = png(s, render(s, 4 if s >= 128 else 16))
        images.append((s, cache[s]))
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    directory, body = b"", b""
    for s, data in images:
        directory += struct.pack("<BBBBHHII", s % 256, s % 256, 0, 0, 1, 32, len(data), offset + len(body))
        body += data
    with open(path, "wb") as f:
        f.write(header + directory + body)
    print(f"{path}: {len(header) + len(directory) + len(body)} bytes ({', '.join(str(s) for s in sizes)} px)")


cache = {}
ico("res/shutdownlab.ico", [16, 20, 24, 32, 40, 48, 64, 256], cache)
ico("res/shutdownlab-cli.ico", [16, 24, 32, 48], cache)
EOF
