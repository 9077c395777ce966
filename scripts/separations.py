#!/usr/bin/env python3
"""Total ink of a PDF page as a RIP separates it: Ghostscript's tiffsep device writes one
8-bit plate per ink (process and spot), and this sums them pixel by pixel inside the
page's TrimBox. It reads only the PDF, so it judges what paiban wrote, not what it meant.

    python3 scripts/separations.py out/2024.pdf [--dpi 150] [--limit 240] [--page 1]
        [--preflight out/2024.preflight.json] [--plate NAME ...]

Prints the largest total ink (percent) inside the trim, where it is, and how much of the
trim is over the limit, and the same where K is solid (overprinted or knocked-out black
type and rules); exits 1 if any pixel inside the trim is over the limit, if the preflight
report's "max ink" differs from the plates' by more than 2 percentage points
(--preflight), or if a named plate
(--plate, e.g. a spot colour) is missing or carries no ink outside the trim, where the
marks are. Needs `gs`, pymupdf, Pillow and numpy.
"""
import argparse
import glob
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image


def boxes(pdf, page):
    """(MediaBox, TrimBox) of a page, with pymupdf if present, else with qpdf's JSON."""
    import pymupdf

    doc = pymupdf.open(pdf)
    p = doc[page - 1]
    media = p.mediabox  # top-left origin, PDF units
    trim = p.trimbox
    return (media.x0, media.y0, media.x1, media.y1), (trim.x0, trim.y0, trim.x1, trim.y1)


def plates(pdf, page, dpi, workdir):
    out = os.path.join(workdir, "sep.tif")
    subprocess.run(
        ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep", f"-r{dpi}",
         f"-dFirstPage={page}", f"-dLastPage={page}", f"-sOutputFile={out}", pdf],
        check=True,
    )
    found = {}
    for path in sorted(glob.glob(os.path.join(workdir, "sep(*).tif"))):
        name = os.path.basename(path)[len("sep("):-len(").tif")]
        # tiffsep plates are grey images where 0 is solid ink and 255 no ink.
        found[name] = 255 - np.asarray(Image.open(path).convert("L"), dtype=np.int32)
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pdf")
    ap.add_argument("--dpi", type=int, default=150)
    ap.add_argument("--limit", type=float, default=240.0)
    ap.add_argument("--page", type=int, default=1)
    ap.add_argument("--preflight", help="the build's preflight report, to compare its max ink")
    ap.add_argument("--plate", action="append", default=[], help="a plate that must carry the marks")
    args = ap.parse_args()
    (mx0, my0, mx1, my1), (tx0, ty0, tx1, ty1) = boxes(args.pdf, args.page)
    with tempfile.TemporaryDirectory() as work:
        inks = plates(args.pdf, args.page, args.dpi, work)
    if not inks:
        sys.exit("no plates: is gs's tiffsep device there?")
    total = sum(inks.values()) * (100.0 / 255.0)
    scale = args.dpi / 72.0
    # pymupdf's boxes have their origin at the top left, as the plates' rows do.
    r0, r1 = round((ty0 - my0) * scale), round((ty1 - my0) * scale)
    c0, c1 = round((tx0 - mx0) * scale), round((tx1 - mx0) * scale)
    trim = total[r0:r1, c0:c1]
    peak = float(trim.max())
    row, col = np.unravel_index(int(trim.argmax()), trim.shape)
    over = float((trim > args.limit + 0.5).mean() * 100.0)
    at = ", ".join(f"{name} {inks[name][r0 + row, c0 + col] * 100 / 255:.0f}" for name in inks)
    print(f"plates: {', '.join(inks)}")
    print(f"max ink inside the trim: {peak:.1f}% at {col / scale / 72 * 25.4:.1f} mm, "
          f"{row / scale / 72 * 25.4:.1f} mm from the trim's top left ({at})")
    print(f"trim area over {args.limit:.0f}%: {over:.2f}%")
    # 100 % K type and rules overprint what lies under them, or knock out of a fill too
    # heavy for that (paiban's render::overprint): where K is solid the sum is the fill's
    # C + M + Y plus the black, and it is held to the limit like every other pixel.
    if "Black" in inks:
        solid_k = inks["Black"][r0:r1, c0:c1] >= 255
        under = trim[solid_k]
        under_max = float(under.max()) if under.size else 0.0
        under_over = int((under > args.limit + 0.5).sum())
        print(f"max ink where K is solid (black type and rules, with what lies under them): "
              f"{under_max:.1f}%; pixels there over the limit: {under_over}")
    failed = peak > args.limit + 0.5
    if args.preflight:
        import json

        with open(args.preflight) as f:
            said = float(json.load(f)["max_ink"])
        agree = abs(said - peak) <= 2.0
        print(f"preflight max ink {said:.1f}%, plates {peak:.1f}%: {'agree' if agree else 'DIFFER'} (within 2 points)")
        failed |= not agree
    for plate in args.plate:
        # The marks sit in the slug, outside the trim: the plate must have ink there.
        if plate not in inks:
            print(f"plate {plate}: MISSING")
            failed = True
            continue
        outside = inks[plate].copy()
        outside[r0:r1, c0:c1] = 0
        marked = int((outside > 127).sum())
        print(f"plate {plate}: {marked} px of marks outside the trim")
        failed |= marked == 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
