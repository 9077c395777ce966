#!/usr/bin/env python3
"""Save → PDF and proof times of `paiban watch` and `paiban serve` on the demo.

    scripts/bench-watch.py [--saves N] [--binary target/release/paiban] [--dpi 72] [--serve-dpi 96]

The demo (layout.yaml, editions/, fonts/, images/, profiles/) is copied to a temporary
folder, with a photo cache of its own warmed by the first build. Then, N times each, for
`watch EDITION -o OUT.pdf --preview DIR`:
  - the edition saved with one character changed (a text-only edit, same widths);
  - the layout saved as it is (a rebuild of everything but the fonts' and photos' work);
and for `serve`, the edition edit. A save is an editor's in-place write (open, truncate,
write, close). The time of a save is taken just before it; the PDF's and the PNG's are
their modification times (written atomically: the time the whole file was there), the
serve's proofs when `/state` first shows them (polled every 5 ms); the CPU time is the
process's (all threads, /proc/PID/stat) over the rebuild. Medians, min and max.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EDIT = ("巴适得很", "巴适得狠")


def copy_demo(into):
    for name in ["layout.yaml", "editions", "fonts", "images", "profiles"]:
        src = os.path.join(ROOT, name)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(into, name))
        elif os.path.exists(src):
            shutil.copy(src, into)


def save(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def mtime(path):
    try:
        return os.stat(path).st_mtime_ns / 1e9
    except FileNotFoundError:
        return 0.0


def wait_newer(paths, since, timeout=30.0):
    """The modification times of `paths` once each is newer than `since`."""
    start = time.time()
    while True:
        times = [mtime(p) for p in paths]
        if all(t > since for t in times):
            return times
        if time.time() - start > timeout:
            raise SystemExit(f"timed out waiting for {paths}")
        time.sleep(0.002)


def cpu_seconds(pid):
    """User and system CPU time of process `pid` so far (all its threads)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def summary(name, values):
    ms = sorted(v * 1000 for v in values)
    return f"{name}: median {statistics.median(ms):.0f} ms (min {ms[0]:.0f}, max {ms[-1]:.0f}, n={len(ms)})"


def drain(stream, lines):
    for line in stream:
        lines.append(line.rstrip("\n"))


def bench_watch(binary, work, saves, dpi):
    out, proofs = os.path.join(work, "out", "2024.pdf"), os.path.join(work, "proofs")
    png = os.path.join(proofs, "page-1.png")
    edition = os.path.join(work, "editions", "2024.yaml")
    layout = os.path.join(work, "layout.yaml")
    cmd = [binary, "watch", "editions/2024.yaml", "-o", out, "--preview", proofs, "--dpi", str(dpi)]
    child = subprocess.Popen(cmd, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    threading.Thread(target=drain, args=(child.stdout, lines), daemon=True).start()
    try:
        wait_newer([out, png], 0.0, timeout=120)
        time.sleep(1.0)
        text = open(edition, encoding="utf-8").read()
        assert EDIT[0] in text, "the edit's text is not in the edition"
        layout_text = open(layout, encoding="utf-8").read()
        results = {"edition": ([], [], []), "layout": ([], [], [])}
        for i in range(saves):
            for what in ["edition", "layout"]:
                if what == "edition":
                    a, b = EDIT if i % 2 == 0 else EDIT[::-1]
                    text = text.replace(a, b)
                    path, content = edition, text
                else:
                    path, content = layout, layout_text
                cpu0, t0 = cpu_seconds(child.pid), time.time()
                save(path, content)
                pdf_t, png_t = wait_newer([out, png], t0)
                time.sleep(0.6)
                results[what][0].append(pdf_t - t0)
                results[what][1].append(png_t - t0)
                results[what][2].append(cpu_seconds(child.pid) - cpu0)
        # Put the edition back as it was.
        save(edition, text.replace(EDIT[1], EDIT[0]))
        time.sleep(1.0)
    finally:
        child.terminate()
        child.wait()
    reports = [l for l in lines if "changed:" in l or "rebuilt in" in l or "photos" in l]
    return results, reports


def get_state(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/state", timeout=5) as r:
        return json.loads(r.read())


def bench_serve(binary, work, saves, dpi):
    edition = os.path.join(work, "editions", "2024.yaml")
    cmd = [binary, "serve", "editions/2024.yaml", "--port", "0", "--dpi", str(dpi)]
    child = subprocess.Popen(cmd, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    first = child.stdout.readline()
    m = re.search(r"127\.0\.0\.1:(\d+)", first)
    if not m:
        raise SystemExit(f"serve said: {first}")
    port = int(m.group(1))
    lines = []
    threading.Thread(target=drain, args=(child.stdout, lines), daemon=True).start()
    try:
        start = time.time()
        while True:
            try:
                s = get_state(port)
                if s.get("ok") and not s.get("rough"):
                    break
            except Exception:
                pass
            if time.time() - start > 120:
                raise SystemExit("serve built nothing in 120 s")
            time.sleep(0.05)
        time.sleep(1.0)
        text = open(edition, encoding="utf-8").read()
        rough, sharp, cpu = [], [], []
        for i in range(saves):
            a, b = EDIT if i % 2 == 0 else EDIT[::-1]
            text = text.replace(a, b)
            version = get_state(port)["version"]
            cpu0, t0 = cpu_seconds(child.pid), time.time()
            save(edition, text)
            got_rough = None
            while True:
                s = get_state(port)
                now = time.time()
                if s["version"] > version and s.get("proof", {}).get("version", 0) > version:
                    if s.get("rough"):
                        got_rough = got_rough or now
                    else:
                        rough.append((got_rough or now) - t0)
                        sharp.append(now - t0)
                        break
                if now - t0 > 30:
                    raise SystemExit("no proof within 30 s")
                time.sleep(0.005)
            time.sleep(0.6)
            cpu.append(cpu_seconds(child.pid) - cpu0)
        save(edition, text.replace(EDIT[1], EDIT[0]))
        time.sleep(1.0)
    finally:
        child.terminate()
        child.wait()
    reports = [l for l in lines if "changed:" in l or "drew" in l]
    return (rough, sharp, cpu), reports


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--saves", type=int, default=7)
    p.add_argument("--binary", default=os.path.join(ROOT, "target/release/paiban"))
    p.add_argument("--dpi", type=float, default=72)
    p.add_argument("--serve-dpi", type=float, default=96)
    p.add_argument("--only", choices=["watch", "serve"])
    args = p.parse_args()
    binary = os.path.abspath(args.binary)
    with tempfile.TemporaryDirectory(prefix="paiban-bench-watch-") as work:
        copy_demo(work)
        os.environ["PAIBAN_CACHE_DIR"] = os.path.join(work, "cache")
        print(f"load average {os.getloadavg()[0]:.2f}")
        if args.only in (None, "watch"):
            results, reports = bench_watch(binary, work, args.saves, args.dpi)
            for what, (pdf, png, cpu) in results.items():
                print(f"watch, {what} saved: " + summary("save → PDF", pdf) + "; " + summary(f"→ proof at {args.dpi:g} dpi", png) + "; " + summary("CPU", cpu))
            print("\n".join("  " + r for r in reports[-4:]))
        if args.only in (None, "serve"):
            (rough, sharp, cpu), reports = bench_serve(binary, work, args.saves, args.serve_dpi)
            print("serve, edition saved: " + summary("save → first proof", rough) + "; " + summary(f"→ proof at {args.serve_dpi:g} dpi", sharp) + "; " + summary("CPU", cpu))
            print("\n".join("  " + r for r in reports[-4:]))
        print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    sys.exit(main())
