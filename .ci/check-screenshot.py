#!/usr/bin/env python3
"""Checks that a PNG is the war room as a person would recognise it, not merely a file.

    check-screenshot.py FILE.png

The war room of edge-waf-regex at 12m, 1280x720 (see docs/screenshots/war-room.png):
a top bar with the sim clock; the alerts panel on the left with red (critical) and
amber (warning) cards; two rows of dashboard charts in the middle, each a near-black
plot with the light-blue metric line and red and amber threshold lines; the channels
below them with a selected tab; the actions panel on the right with its selected tab.
Each region is checked for the colours only that part of the screen draws, in boxes
with a margin around where the docs screenshot has them, so small layout shifts pass
and a blank, black, noisy or wrong screen (the menu, say) fails.

Python standard library only (zlib and struct decode the PNG): CI installs nothing.
Exit code 0 when every check passes, 1 when one fails (each failure is printed), 2 when
the file is not a PNG this script can read.
"""

import struct
import sys
import zlib

WIDTH, HEIGHT = 1280, 720


class NotReadable(Exception):
    pass


def decode(path):
    """(width, height, rows): rows of (r, g, b) tuples from an 8-bit RGB or RGBA PNG."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise NotReadable(f"cannot read: {e}") from e
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise NotReadable("not a PNG file")
    pos, idat, header = 8, [], None
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if header is None:
        raise NotReadable("no IHDR chunk")
    width, height, depth, colour, _, _, interlace = header
    channels = {2: 3, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace != 0:
        raise NotReadable(
            f"only 8-bit RGB/RGBA non-interlaced PNGs are read "
            f"(bit depth {depth}, colour type {colour}, interlace {interlace})"
        )
    try:
        raw = zlib.decompress(b"".join(idat))
    except zlib.error as e:
        raise NotReadable(f"corrupt image data: {e}") from e
    stride = width * channels
    if len(raw) < height * (stride + 1):
        raise NotReadable("image data is shorter than the image")
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        unfilter(kind, line, previous, channels)
        rows.append(
            [tuple(line[x : x + 3]) for x in range(0, stride, channels)]
        )
        previous = line
    return width, height, rows


def unfilter(kind, line, previous, bpp):
    """Undoes one scanline's PNG filter in place."""
    if kind == 0:
        return
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        up = previous[i]
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 2:
            line[i] = (line[i] + up) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + (left + up) // 2) & 0xFF
        elif kind == 4:
            corner = previous[i - bpp] if i >= bpp else 0
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            predictor = left if pa <= pb and pa <= pc else up if pb <= pc else corner
            line[i] = (line[i] + predictor) & 0xFF
        else:
            raise NotReadable(f"unknown filter type {kind}")


def near(colour, tolerance):
    r0, g0, b0 = colour
    return lambda r, g, b: (
        abs(r - r0) <= tolerance and abs(g - g0) <= tolerance and abs(b - b0) <= tolerance
    )


# Colours of firedrill-panels' theme (src/panels/theme.rs, chart.rs) as they come out on
# the dark egui theme.
PANEL = near((27, 27, 27), 3)  # panel background
PLOT = near((10, 10, 10), 4)  # egui_plot's background
METRIC_LINE = near((0x70, 0xB8, 0xFF), 40)  # chart.rs's line colour
SELECTED_TAB = near((0, 92, 128), 12)  # a selected tab or toggle


def critical_line(r, g, b):  # theme::RED on the plot
    return r >= 110 and g <= 80 and b <= 80 and r - g >= 60


def warning_line(r, g, b):  # theme::AMBER on the plot
    return r >= 150 and g >= 110 and b <= 80 and r - b >= 90


def critical_card(r, g, b):  # theme::RED at 18% on the panel: (49, 30, 30)
    return 40 <= r <= 70 and r - g >= 12 and abs(g - b) <= 4


def warning_card(r, g, b):  # theme::AMBER at 18% on the panel: (54, 45, 29)
    return r < 90 and r - b >= 18 and g - b >= 10


def text(r, g, b):  # light text (grey or white) on a dark background
    return min(r, g, b) >= 120


# (what a person would see, box (x0, y0, x1, y1), pixel test, least count or fraction
# of the box). Boxes hold their part of the screen with a margin of several pixels.
TOP_CHARTS = (255, 110, 885, 255)
BOTTOM_CHARTS = (255, 255, 885, 400)
CHARTS = (255, 110, 885, 400)
ALERTS = (0, 45, 245, 715)
CHANNELS = (255, 400, 885, 715)
ACTIONS = (895, 45, 1280, 715)
CHECKS = [
    ("top bar: the panel background", (0, 0, 1280, 40), PANEL, 0.5),
    ("top bar: the clock and status as light text", (0, 0, 1280, 40), text, 300),
    ("alerts panel: its background", ALERTS, PANEL, 0.15),
    ("alerts panel: red cards of critical alerts", ALERTS, critical_card, 5000),
    ("alerts panel: amber cards of warnings", ALERTS, warning_card, 5000),
    ("alerts panel: alert titles as light text", ALERTS, text, 1500),
    ("upper charts: near-black plot areas", TOP_CHARTS, PLOT, 0.2),
    ("upper charts: the light-blue metric lines", TOP_CHARTS, METRIC_LINE, 250),
    ("lower charts: near-black plot areas", BOTTOM_CHARTS, PLOT, 0.2),
    ("lower charts: the light-blue metric lines", BOTTOM_CHARTS, METRIC_LINE, 250),
    ("charts: red critical threshold lines", CHARTS, critical_line, 300),
    ("charts: amber warning threshold lines", CHARTS, warning_line, 300),
    ("channels: the selected channel tab", (255, 400, 885, 445), SELECTED_TAB, 500),
    ("channels: messages as light text", CHANNELS, text, 2000),
    ("actions panel: its background", ACTIONS, PANEL, 0.3),
    ("actions panel: the selected Actions tab", (895, 40, 1280, 80), SELECTED_TAB, 500),
    ("actions panel: actions as light text", ACTIONS, text, 500),
]


def count(rows, box, test):
    x0, y0, x1, y1 = box
    return sum(1 for row in rows[y0:y1] for pixel in row[x0:x1] if test(*pixel))


def failures(path):
    """What is missing from the screenshot at `path`, as lines for a person."""
    width, height, rows = decode(path)
    if (width, height) != (WIDTH, HEIGHT):
        return [f"the image is {width}x{height}, not the window's {WIDTH}x{HEIGHT}"]
    missing = []
    for what, box, test, least in CHECKS:
        x0, y0, x1, y1 = box
        area = (x1 - x0) * (y1 - y0)
        wanted = round(least * area) if isinstance(least, float) else least
        found = count(rows, box, test)
        if found < wanted:
            missing.append(
                f"{what}: {found} pixels in x {x0}-{x1}, y {y0}-{y1}, expected at least {wanted}"
            )
    return missing


def main(argv):
    if len(argv) != 2:
        print("usage: check-screenshot.py FILE.png", file=sys.stderr)
        return 2
    path = argv[1]
    try:
        missing = failures(path)
    except NotReadable as e:
        print(f"{path}: {e}", file=sys.stderr)
        return 2
    if missing:
        print(f"{path} does not show the war room:", file=sys.stderr)
        for line in missing:
            print(f"  - {line}", file=sys.stderr)
        return 1
    print(f"{path}: the war room is there ({len(CHECKS)} checks)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
