#!/usr/bin/env bash
# paiban against Typst on this machine, in one run: the demo page (editions/2024.yaml) and
# a comparable Typst page set from the same seed text (tests/fixtures/seed.txt) with the
# same fonts and photos, each in a cold process, alternating, RUNS times each (default 11),
# and editions/2025.yaml (the copy-fit's most tries) beside them;
# prints medians of wall time and peak RSS and the ratios. Then 20 documents in one
# process for each (paiban `build --jobs 1` of 20 editions; Typst's Python binding
# compiling 20 times in one interpreter).
#
# Typst is the PyPI package `typst` (a Python binding around the Typst compiler), which
# this script installs with pip; where it cannot be installed, Typst is skipped with a
# message and paiban is measured alone.
#
#   scripts/bench-vs-typst.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${1:-11}

cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

typst=1
if ! python3 -c 'import typst' 2>/dev/null; then
    if ! python3 -m pip install --quiet typst >"$work/pip.log" 2>&1 || ! python3 -c 'import typst' 2>/dev/null; then
        echo "Typst (PyPI: typst) cannot be installed here; measuring paiban alone." >&2
        tail -3 "$work/pip.log" >&2 || true
        typst=0
    fi
fi

# 20 editions for the batch: copies of the demo edition naming the photos by absolute path
# (the Python below also writes 20 distinct ones).
mkdir -p "$work/editions"
for i in $(seq -w 1 20); do
    sed "s|\.\./images/|$root/images/|" editions/2024.yaml >"$work/editions/e$i.yaml"
done

python3 - "$root" "$work" "$runs" "$typst" <<'PY'
import os, re, statistics, subprocess, sys, time

root, work, runs, have_typst = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
paiban = os.path.join(root, "target/release/paiban")

def escape(text):
    for ch in "\\#*_`$<>@[]~":
        text = text.replace(ch, "\\" + ch)
    return text

def shortened(paragraphs, k):
    """Document `k` of 20 distinct ones: the last sentence of one paragraph cut (of two for
    k >= 11), so that each is a different length, as each year's edition is."""
    long = [i for i, p in enumerate(paragraphs) if p.count("。") >= 2]
    cut = {long[k % len(long)]} | ({long[(k + 3) % len(long)]} if k >= len(long) else set())
    out = list(paragraphs)
    for i in cut:
        out[i] = out[i][: out[i][:-1].rfind("。") + 1]
    return out

def typst_page(k=None):
    """The seed text as a broadsheet page like the demo: 8 columns of 9 pt Noto Serif CJK,
    a headline band in Smiley Sans, the 8 photos with captions, same margins; with `k`, the
    k-th [`shortened`] text."""
    seed = open(os.path.join(root, "tests/fixtures/seed.txt"), encoding="utf-8").read()
    paragraphs = ["".join(line.strip() for line in block.splitlines()) for block in seed.split("\n\n")]
    paragraphs = [p for p in paragraphs if p]
    if k is not None:
        paragraphs = shortened(paragraphs, k)
    photos = sorted(f for f in os.listdir(os.path.join(root, "images")) if f.endswith(".jpg"))
    out = [
        '#set page(width: 390mm, height: 545mm, margin: (top: 20mm, bottom: 20mm, x: 18.7mm))',
        '#set text(font: "Noto Serif CJK SC", size: 9pt, lang: "zh", region: "cn")',
        '#set par(justify: true, first-line-indent: (amount: 2em, all: true), leading: 4.5pt, spacing: 4.5pt)',
        '#block(width: 100%, fill: cmyk(100%, 80%, 0%, 20%), inset: 12pt)[#align(center)[#text(font: "Smiley Sans", size: 54pt, fill: white)[一江两岸山水城市 \\ 交通便捷畅通新城]]]',
        '#columns(8, gutter: 9pt)[',
    ]
    step = max(1, len(paragraphs) // len(photos))
    for i, p in enumerate(paragraphs):
        out.append(escape(p))
        out.append("")
        if i % step == step - 1 and photos:
            photo = photos.pop(0)
            out.append(f'#figure(image("{root}/images/{photo}", width: 100%), caption: [{escape(photo[:-4])}])')
            out.append("")
    out.append("]")
    path = os.path.join(work, "page.typ" if k is None else f"page{k:02}.typ")
    open(path, "w", encoding="utf-8").write("\n".join(out))
    return path

def run(argv):
    """Wall seconds and peak RSS (MiB) of one process."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    err = child.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{argv[0]} failed: {err}")
    return wall, usage.ru_maxrss / 1024

ours = [paiban, "-q", "build", os.path.join(root, "editions/2024.yaml"), "-o", os.path.join(work, "paiban.pdf")]
# The other demo edition: the same page whose copy-fit takes the most tries (150).
ours_2025 = [paiban, "-q", "build", os.path.join(root, "editions/2025.yaml"), "-o", os.path.join(work, "paiban-2025.pdf")]
page = typst_page() if have_typst else None
fonts = os.path.join(root, "fonts")
theirs = [sys.executable, "-c", "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], root='/', font_paths=[sys.argv[3]])",
          page or "", os.path.join(work, "typst.pdf"), fonts]
python_only = [sys.executable, "-c", "import typst"]

results = {"paiban": [], "paiban 2025": [], "typst": [], "python": []}
run(ours)
if have_typst:
    run(theirs)
for _ in range(runs):
    results["paiban"].append(run(ours))
    results["paiban 2025"].append(run(ours_2025))
    if have_typst:
        results["typst"].append(run(theirs))
        results["python"].append(run(python_only))

def med(rows, k):
    return statistics.median(r[k] for r in rows)

p_wall, p_rss = med(results["paiban"], 0), med(results["paiban"], 1)
print(f"one page, cold process ({runs} runs each, alternating, medians)")
print(f"  paiban: {p_wall * 1000:7.1f} ms  {p_rss:6.1f} MiB peak RSS  ({os.path.getsize(os.path.join(work, 'paiban.pdf')) // 1024} KB)")
q_wall, q_rss = med(results["paiban 2025"], 0), med(results["paiban 2025"], 1)
# The copy-fit's tries, as the build reports them (not a number written here that goes stale).
checked = subprocess.run([paiban, "build", os.path.join(root, "editions/2025.yaml"), "-o", os.path.join(work, "tries.pdf")], capture_output=True, text=True)
tries = re.search(r"copy-fit \((\d+) tries\)", checked.stdout + checked.stderr)
tries = tries.group(1) if tries else "?"
print(f"  paiban, editions/2025.yaml ({tries} copy-fit tries): {q_wall * 1000:7.1f} ms  {q_rss:6.1f} MiB peak RSS")
if have_typst:
    t_wall, t_rss = med(results["typst"], 0), med(results["typst"], 1)
    py_wall, py_rss = med(results["python"], 0), med(results["python"], 1)
    print(f"  ratio paiban 2025/Typst: wall {q_wall / t_wall:.2f}x, peak RSS {q_rss / t_rss:.2f}x")
    print(f"  Typst:  {t_wall * 1000:7.1f} ms  {t_rss:6.1f} MiB peak RSS  ({os.path.getsize(os.path.join(work, 'typst.pdf')) // 1024} KB)"
          f"  (of which Python and `import typst` alone: {py_wall * 1000:.0f} ms, {py_rss:.0f} MiB)")
    print(f"  ratio paiban/Typst: wall {p_wall / t_wall:.2f}x, peak RSS {p_rss / t_rss:.2f}x"
          f"  (against Typst less the interpreter: wall {p_wall / (t_wall - py_wall):.2f}x)")

def distinct_editions():
    """20 distinct editions: the demo edition, each with [`shortened`] body paragraphs."""
    os.makedirs(os.path.join(work, "distinct"))
    lines = open(os.path.join(work, "editions/e01.yaml"), encoding="utf-8").read().split("\n")
    body = [i for i, l in enumerate(lines) if l.startswith('      - "') and l.endswith('"')]
    paths = []
    for k in range(20):
        texts = shortened([lines[i][9:-1] for i in body], k)
        edition = list(lines)
        for i, text in zip(body, texts):
            edition[i] = f'      - "{text}"'
        paths.append(os.path.join(work, "distinct", f"e{k:02}.yaml"))
        open(paths[-1], "w", encoding="utf-8").write("\n".join(edition))
    return paths

def batch(editions, out):
    """Median wall seconds of 3 runs of paiban building `editions` in one process."""
    argv = [paiban, "-q", "build", "--layout", os.path.join(root, "layout.yaml"), "--allow-outside", "--jobs", "1",
            "--out-dir", os.path.join(work, out)] + editions
    return statistics.median(run(argv)[0] for _ in range(3))

def typst_batch(pages):
    """Seconds Typst takes to compile `pages` one after another in one process."""
    code = ("import sys, time, typst\n"
            "start = time.perf_counter()\n"
            "for page in sys.argv[3:]: typst.compile(page, output=sys.argv[1], root='/', font_paths=[sys.argv[2]])\n"
            "print(time.perf_counter() - start)")
    out = subprocess.run([sys.executable, "-c", code, os.path.join(work, "typst.pdf"), fonts] + pages,
                         capture_output=True, text=True, check=True).stdout
    return float(out.strip())

same = sorted(os.path.join(work, "editions", f) for f in os.listdir(os.path.join(work, "editions")))
distinct = distinct_editions()
b_same, b_distinct = batch(same, "out"), batch(distinct, "out-distinct")
print("20 editions in one process, --jobs 1 (process start and fonts included)")
print(f"  the same edition 20 times: paiban {b_same:.2f} s ({b_same / 20 * 1000:.0f} ms each)")
print(f"  20 distinct editions:      paiban {b_distinct:.2f} s ({b_distinct / 20 * 1000:.0f} ms each)")
if have_typst:
    # Typst memoizes across compiles in one process: the same document again is mostly
    # looked up, so the distinct documents are the fair comparison for a year's editions.
    t_same = typst_batch([page] * 20)
    t_distinct = typst_batch([typst_page(k) for k in range(20)])
    print(f"  the same document 20 times: Typst {t_same:.2f} s ({t_same / 20 * 1000:.0f} ms each); ratio {b_same / t_same:.2f}x")
    print(f"  20 distinct documents:      Typst {t_distinct:.2f} s ({t_distinct / 20 * 1000:.0f} ms each); ratio {b_distinct / t_distinct:.2f}x")
PY
