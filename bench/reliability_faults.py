"""Fault and bad-input scenarios of bench/reliability.py. Each runs the real `budgetlod load`
in a child process, does something to it (kill -9 while it converts, kill -9 in the middle
of a bulk flush, a real full filesystem, a second load on the same store, a folder of bad
files), and checks that nothing was lost: the store after recovery + a re-load holds
exactly the quads of a clean load of the same documents.

The techniques are those of the fault tests (tests/test_hardening_load.py: a journal
watched to kill mid-flush, a tmpfs mounted in a user namespace through `unshare -rm`;
tests/test_batch.py: the pool's workers must die with a killed batch)."""

from __future__ import annotations

import gc
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
BIN = [sys.executable, "-m", "converter.cli"]


def child_env(**extra: str) -> dict[str, str]:
    # unbuffered: the kill scenarios read the child's per-document lines as they happen
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", **extra}


@dataclass
class Loader:
    """`budgetlod load` with the flags every load of one bench run shares (one worker:
    the machine's cores are shared; --quick drops validation and the vocabulary)."""
    flags: list[str]
    timeout: float = 900.0

    def cmd(self, inputs: list[Path], store: Path, *extra: str) -> list[str]:
        return [*BIN, "load", *map(str, inputs), "--store", str(store), *self.flags, *extra]

    def run(self, inputs: list[Path], store: Path, *extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(self.cmd(inputs, store, *extra), cwd=ROOT, env=child_env(), capture_output=True,
                              text=True, timeout=self.timeout)

    def start(self, inputs: list[Path], store: Path, *extra: str, stdout=subprocess.DEVNULL,
              stderr=subprocess.DEVNULL) -> subprocess.Popen:
        return subprocess.Popen(self.cmd(inputs, store, *extra), cwd=ROOT, env=child_env(), stdout=stdout,
                                stderr=stderr, text=True)


def quads(store: Path) -> set[str]:
    """Every quad of a store (named graphs and the merged default graph)."""
    db = ox.Store.read_only(str(store))
    out = {str(q) for q in db}
    del db
    gc.collect()
    return out


def compare(store: Path, clean: set[str]) -> tuple[bool, str]:
    got = quads(store)
    if got == clean:
        return True, f"{len(got):,} quads, equal to a clean load"
    return False, f"{len(got):,} quads: {len(clean - got):,} missing, {len(got - clean):,} extra"


def summary_line(out: str) -> str:
    return next((line for line in out.splitlines() if " loaded (" in line), "(no summary line)")


@dataclass
class Fault:
    name: str
    done: str
    outcome: str
    nothing_lost: bool | None  # None: the scenario could not run here
    detail: dict = field(default_factory=dict)


def _kill_tree(proc: subprocess.Popen) -> list[psutil.Process]:
    """kill -9 the load (only it: its workers must die by themselves); returns its children
    as they were, to check on them."""
    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    return children


def _orphans_left(children: list[psutil.Process]) -> list[int]:
    _, alive = psutil.wait_procs(children, timeout=15)
    for p in alive:  # do not leave them running: the bench reports them
        p.kill()
    return [p.pid for p in alive]


def kill_during_convert(loader: Loader, corpus: Path, n_docs: int, work: Path, clean: set[str]) -> Fault:
    """A store holding the first half of the corpus; a load of the whole corpus killed
    (kill -9) while its pool converts (the store is written only once documents are
    converted): its workers must die with it and the store keep exactly what it held;
    then the same command again. Two conversion workers here (one would run in-process)."""
    store, half = work / "kill-convert", work / "corpus-half"
    half.mkdir()
    for p in sorted(corpus.glob("*.txt"))[: max(1, n_docs // 2)]:
        (half / p.name).write_bytes(p.read_bytes())
    loader.run([half], store)
    before = quads(store)
    proc = loader.start([corpus], store, "--workers", "2")
    converting_since, deadline = None, time.monotonic() + loader.timeout
    while proc.poll() is None and time.monotonic() < deadline:
        if converting_since is None and psutil.Process(proc.pid).children():
            converting_since = time.monotonic()  # the pool is up: the first documents are converting
        if converting_since is not None and time.monotonic() - converting_since >= 0.3:
            break
        time.sleep(0.02)
    name, done = "kill -9 during convert", (f"a store holding {max(1, n_docs // 2)} documents; kill -9 a `load` "
                                            f"of all {n_docs} while its 2 pool workers convert")
    if proc.poll() is not None:
        return Fault(name, done, "the load ended before it could be killed: not run", None)
    children = _kill_tree(proc)
    left = _orphans_left(children)
    kept = quads(store) == before
    again = loader.run([corpus], store)
    same, how = compare(store, clean)
    outcome = (f"{len(children)} pool worker(s) died with it ({len(left)} left running); the store "
               f"{'held exactly what it held before' if kept else 'CHANGED'}; re-load exit {again.returncode}: {how}")
    return Fault(name, done, outcome, same and kept and not left and again.returncode == 0,
                 {"reload": summary_line(again.stdout), "workers": len(children), "workers_left": left})


def kill_during_flush(loader: Loader, corpus: Path, work: Path, clean: set[str]) -> Fault:
    """Bulk load: kill -9 once its flush journal exists and Store.bulk_load has started
    writing its SST files; then the same command again."""
    from converter.store.loading import journal_path, orphan_bulk_files

    store = work / "kill-flush"
    proc = loader.start([corpus], store, "--bulk-threshold", "2")
    journal = journal_path(store)
    orphan_bytes, deadline = 0, time.monotonic() + loader.timeout
    while proc.poll() is None and time.monotonic() < deadline:
        if journal.exists():
            files = orphan_bulk_files(store)
            orphan_bytes = sum(p.stat().st_size for p in files if p.exists())
            if orphan_bytes > 0 or not journal.exists():
                break
        time.sleep(0.001)
    if proc.poll() is not None:
        return Fault("kill -9 during flush", "kill -9 `load` in its bulk flush",
                     "the load ended before it could be killed mid-flush", None)
    children = _kill_tree(proc)
    left = _orphans_left(children)
    journaled = journal.exists()
    left_files = sum(p.stat().st_size for p in orphan_bulk_files(store))
    again = loader.run([corpus], store, "--bulk-threshold", "2")
    removed = again.stderr.count("left half-loaded by an interrupted load")
    reclaimed = not orphan_bulk_files(store) and not journal.exists()
    same, how = compare(store, clean)
    outcome = (f"killed with the journal {'present' if journaled else 'gone'} and {left_files / 1e6:.1f} MB of "
               f"un-ingested SST files; re-load exit {again.returncode} removed {removed} half-loaded graph(s), "
               f"{'reclaimed every orphan file' if reclaimed else 'LEFT orphan files'}: {how}")
    return Fault("kill -9 during flush", "kill -9 `load` while Store.bulk_load wrote its flush", outcome,
                 same and reclaimed and again.returncode == 0 and not left,
                 {"reload": summary_line(again.stdout), "orphan_bytes": left_files, "removed": removed})


def two_loads_at_once(loader: Loader, corpus: Path, work: Path, clean: set[str]) -> Fault:
    """Two `load`s of the same documents into one new store, started together."""
    store = work / "two-loads"
    procs = [loader.start([corpus], store, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outs = [p.communicate(timeout=loader.timeout) for p in procs]
    codes = [p.returncode for p in procs]
    told = []
    for (out, err), rc in zip(outs, codes):
        if rc == 0:
            told.append(f"exit 0 ({summary_line(out).split(' in ')[0]})")
        else:
            first_error = next((line for line in err.splitlines() if line.startswith("error:")), err.strip()[-120:])
            told.append(f"exit {rc}: `{shorten(first_error.replace(str(store), 'STORE'), 90)}`")
    tracebacks = sum("Traceback" in err for _, err in outs)
    same, how = compare(store, clean)
    outcome = f"{told[0]}; {told[1]}; {tracebacks} traceback(s); store: {how}"
    if not same:  # what the next load makes of it
        again = loader.run([corpus], store)
        same, how = compare(store, clean)
        outcome += f"; after one more load (exit {again.returncode}): {how}"
    return Fault("two loads at once", "two `load`s of the same corpus into one new store, started together",
                 outcome, same and 0 in codes and tracebacks == 0, {"codes": codes})


NAMESPACE_SCRIPT = """
set -u
mount -t tmpfs -o size=$SIZE tmpfs "$MNT" || exit 99
$LOAD "$MNT/store" > "$OUT/first.out" 2> "$OUT/first.err"
echo $? > "$OUT/first.rc"
"$PY" -c "import sys, pyoxigraph as ox; s = ox.Store.read_only(sys.argv[1]); \
print(sum(1 for g in s.named_graphs() if '/graph/' in str(g) and 'vocabulary' not in str(g)))" \
    "$MNT/store" > "$OUT/first.graphs"
mount -o remount,size=2g "$MNT"
$LOAD "$MNT/store" > "$OUT/second.out" 2> "$OUT/second.err"
echo $? > "$OUT/second.rc"
"$PY" -c "import sys, pyoxigraph as ox; s = ox.Store.read_only(sys.argv[1]); \
open(sys.argv[2], 'w').write(''.join(sorted(str(q) + chr(10) for q in s)))" "$MNT/store" "$OUT/second.nq"
"""


def unshare_works() -> bool:
    try:
        return subprocess.run(["unshare", "-rm", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def store_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def full_disk(loader: Loader, corpus: Path, n_docs: int, work: Path) -> Fault:
    """A tmpfs half the size of a clean store of ``corpus``, in a user namespace (no root
    needed): the load must stop with one clear error and account for every document; with
    room again the same command must give the clean store."""
    name, done = "full disk", "load onto a tmpfs half the size of the store it needs"
    if not unshare_works():
        return Fault(name, done, "skipped: no user namespaces here (`unshare -rm`)", None)
    clean_dir = work / "full-disk-clean"
    loader.run([corpus], clean_dir)
    clean = quads(clean_dir)
    size_mb = max(4, store_bytes(clean_dir) // 2 // 1_000_000)
    mnt, out = work / "full-disk-mnt", work / "full-disk-out"
    for d in (mnt, out):
        d.mkdir()
    # the same command as every other load, with the store on the small filesystem
    load = " ".join(f"'{a}'" for a in [*BIN, "load", str(corpus)]) + ' --store "$MNT/store" ' \
        + " ".join(f"'{a}'" for a in loader.flags)
    script = NAMESPACE_SCRIPT.replace('$LOAD "$MNT/store"', load)
    env = child_env(SIZE=f"{size_mb}m", MNT=str(mnt), OUT=str(out), PY=sys.executable)
    done_proc = subprocess.run(["unshare", "-rm", "sh", "-c", script], cwd=ROOT, env=env, capture_output=True,
                               text=True, timeout=loader.timeout * 2)
    if done_proc.returncode == 99:
        return Fault(name, done, f"skipped: cannot mount a tmpfs: {done_proc.stderr.strip()[:100]}", None)
    first_rc = int((out / "first.rc").read_text())
    first_err, first_out = (out / "first.err").read_text(), (out / "first.out").read_text()
    stops = first_err.count("error: load stopped:")
    says_full = "the disk is full" in first_err
    line = next((ln for ln in first_out.splitlines() if " not attempted, " in ln), "")
    counts = line.split(" duplicate")[0].rsplit(", ", 1)[0]
    in_store = int((out / "first.graphs").read_text() or 0)
    second_rc = int((out / "second.rc").read_text())
    second = set((out / "second.nq").read_text().splitlines())
    same = second == clean
    if first_rc == 0:
        outcome = f"the disk did not fill ({size_mb} MB tmpfs): exit 0"
    else:
        outcome = (f"{size_mb} MB tmpfs: exit {first_rc}, {stops} error naming the full disk, "
                   f"{'no' if 'Traceback' not in first_err else 'a'} traceback; {counts} (of {n_docs}); "
                   f"{in_store} graph(s) in the store; with room, the same command: exit {second_rc}, "
                   f"{len(second):,} quads, {'equal to' if same else 'DIFFERENT from'} a clean load")
    ok = (first_rc == 1 and stops == 1 and says_full and "Traceback" not in first_err and second_rc == 0 and same)
    return Fault(name, done, outcome, ok if first_rc else None, {"size_mb": size_mb, "first": line})


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --- bad inputs ------------------------------------------------------------------------

@dataclass
class BadInput:
    kind: str
    path: Path
    expect: str  # "error" (a per-file error) or "duplicate" (the same document, another encoding)


def make_bad_inputs(folder: Path, sample: Path, pdf: bool = True) -> list[BadInput]:
    """Files a user may well hand the loader by mistake, made from ``sample`` (a good
    text extraction of the corpus) where they need a real document."""
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(15)
    text = sample.read_text(encoding="utf-8")
    out: list[BadInput] = []

    def add(kind: str, name: str, data: bytes, expect: str = "error") -> None:
        p = folder / name
        p.write_bytes(data)
        out.append(BadInput(kind, p, expect))

    add("empty text file", "empty.txt", b"")
    add("empty PDF", "empty.pdf", b"")
    add("only whitespace", "blank.txt", b" \n\t\n\r\n   \n" * 100)
    add("random binary", "random.txt", rnd.randbytes(64_000))
    add("NUL bytes", "nul.txt", b"\0" * 10_000)
    add("garbage PDF (header, then noise)", "garbage.pdf", b"%PDF-1.4\n" + rnd.randbytes(20_000))
    poem = "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。\n".encode()
    add("text saved as .pdf", "text-as.pdf", poem * 3)
    add("PNG image named .pdf", "image.pdf", b"\x89PNG\r\n\x1a\n" + rnd.randbytes(5_000))
    add("truncated text (first third)", "truncated.txt", text[: len(text) // 3].encode("utf-8"))
    add("not a disclosure (a poem)", "poem.txt", poem)
    add("one 8 MB line", "huge-line.txt", ("预算" * 1_400_000).encode("utf-8"))
    add("20,000 full-width spaces in a document number", "spaces.txt",
        ("石[2023]" + "\u3000" * 20_000 + "号\n").encode("utf-8"))
    add("UTF-32 without a byte-order mark", "utf32.txt", text.encode("utf-32-le"))
    add("mojibake (GBK read as Latin-1, saved as UTF-8)", "mojibake.txt",
        text.encode("gb18030").decode("latin-1").encode("utf-8"))
    add("UTF-16 byte-order mark, then UTF-8", "bad-bom.txt", b"\xff\xfe" + text.encode("utf-8"))
    if pdf:
        from bench.synth.pdf import render_pdf

        whole = render_pdf(sample, folder / "whole.pdf.tmp")
        data = whole.read_bytes()
        whole.unlink()
        add("truncated PDF (first 40 %)", "truncated.pdf", data[: len(data) * 2 // 5])
    # the same document in another encoding: recognised, not loaded twice
    add("GB18030 encoding of a corpus document", "gbk.txt", text.encode("gb18030"), "duplicate")
    add("UTF-16 (with BOM) of a corpus document", "utf16.txt", text.encode("utf-16"), "duplicate")
    add("UTF-8 BOM + CRLF of a corpus document", "bom-crlf.txt",
        b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"), "duplicate")
    link = folder / "dangling.txt"
    link.symlink_to(folder / "no-such-target.txt")
    out.append(BadInput("dangling symbolic link (named on the command line)", link, "error"))
    out.append(BadInput("missing file (named on the command line)", folder / "missing.txt", "error"))
    return out


def bad_inputs(loader: Loader, corpus: Path, n_docs: int, work: Path, clean: set[str],
               pdf: bool = True) -> tuple[Fault, list[dict]]:
    """The corpus plus every bad input in one `load`: each bad file gets its own error line
    (or, for another encoding of a corpus document, a duplicate note), the batch goes on,
    and the store equals a clean load of the corpus."""
    folder = work / "bad"
    sample = sorted(corpus.glob("*.txt"))[0]
    bad = make_bad_inputs(folder, sample, pdf)
    explicit = [b.path for b in bad if not b.path.is_file()]  # a folder walk skips them: name them
    store = work / "bad-store"
    started = time.monotonic()
    proc = loader.run([corpus, folder, *explicit], store, "--time-limit", "120")
    secs = time.monotonic() - started
    err = proc.stderr
    rows, clear = [], 0
    for b in bad:
        lines = [ln for ln in err.splitlines() if str(b.path) in ln]
        errors = [ln for ln in lines if ln.startswith("error:")]
        notes = [ln for ln in lines if ln.startswith("note:") and "same document" in ln]
        if b.expect == "error":
            ok = len(errors) == 1
            said = errors[0].split(str(b.path), 1)[-1].lstrip(": ") if errors else "(no error line)"
        else:
            ok = len(notes) == 1 and not errors
            said = "recognised: " + notes[0].split(" is ", 1)[-1] if notes else "(not recognised)"
        clear += ok
        rows.append({"kind": b.kind, "file": b.path.name, "expected": b.expect, "ok": ok,
                     "said": shorten(said.replace(str(corpus) + "/", ""), 110)})
    summary = summary_line(proc.stdout)
    loaded = int(summary.split(" loaded")[0]) if summary[:1].isdigit() else -1
    same, how = compare(store, clean)
    errors_n = sum(1 for b in bad if b.expect == "error")
    outcome = (f"{clear} of {len(bad)} handled as expected ({errors_n} one-line per-file errors, "
               f"{len(bad) - errors_n} recognised as duplicates), {'no' if 'Traceback' not in err else 'a'} "
               f"traceback; the batch went on: {loaded} of {n_docs} good documents loaded in {secs:.0f} s; "
               f"store: {how}")
    ok = clear == len(bad) and "Traceback" not in err and loaded == n_docs and same
    return Fault(f"bad inputs ({len(bad)})", f"one `load` of the corpus plus {len(bad)} bad files (each below)",
                 outcome, ok, {"exit": proc.returncode}), rows


def cleanup(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
