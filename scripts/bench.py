#!/usr/bin/env python3
"""Caseload's benchmark suite; run it through scripts/bench, which builds the release binary.

Everything is measured side by side in one run, repeated, and reported as medians, because
absolute times on a shared machine are noisy and ratios are not. Standard library only.
"""
import argparse
import csv
import datetime
import glob
import json
import os
import shutil
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import time

OPEN_STATUSES = ("referred", "contacted", "active")  # PatientStatus.isOpen


def log(message):
    print(message, file=sys.stderr, flush=True)


def median(xs):
    return statistics.median(xs) if xs else float("nan")


class Bench:
    def __init__(self, caseload, bench, work, quick):
        self.caseload = caseload
        self.bench = bench  # caseload-bench: the debug-* hooks, not in the shipped binary
        self.work = work
        self.quick = quick
        self.today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
        self.rows = []
        self.notes = []
        self.memory_rows = []

    # MARK: helpers

    def cl(self, *args, data=None, check=True, env=None, program=None):
        argv = [program or self.caseload, *args] + (["--data-dir", data] if data else [])
        return subprocess.run(argv, check=check, capture_output=True, text=True, env=env)

    def hook(self, *args, **kwargs):
        """A debug-* command of caseload-bench."""
        return self.cl(*args, program=self.bench, **kwargs)

    def encrypted_env(self):
        """The environment for an encrypted caseload: its passphrase from a file."""
        path = os.path.join(self.work, "passphrase")
        if not os.path.exists(path):
            with open(path, "w") as f:
                f.write("bench passphrase, not secret\n")
        return {**os.environ, "CASELOAD_PASSPHRASE_FILE": path}

    def demo(self, name, patients):
        d = os.path.join(self.work, name)
        start = time.perf_counter()
        out = self.cl("demo", "--patients", str(patients), "--as-of", self.today, data=d).stdout
        events = int(out.split(" events")[0].rsplit(" ", 1)[1])
        log(f"  demo {name}: {patients} patients, {events} events in {time.perf_counter() - start:.1f} s")
        return d, events

    def row(self, what, result, compared="", ratio="", goal="", ok=None):
        verdict = "" if ok is None else ("PASS" if ok else "MISS")
        self.rows.append((what, result, compared, ratio, goal, verdict))

    # MARK: 1. durable append

    def bench_append(self):
        log("durable append: caseload vs raw write+fsync vs SQLite WAL synchronous=FULL")
        n, rounds = (100, 2) if self.quick else (200, 5)
        d = os.path.join(self.work, "append")
        cl_dir = os.path.join(d, "caseload")
        self.cl("init", "--worker", "Bench Worker", data=cl_dir)
        journal = glob.glob(os.path.join(cl_dir, "journal", "*.journal"))[0]

        latency_file = os.path.join(d, "latencies.txt")

        def caseload_round():
            """Per-append times in ms, measured inside caseload around store.append (one write+fsync)."""
            start = os.path.getsize(journal)
            self.hook("debug-append", "--count", str(n), "--latencies", latency_file, data=cl_dir)
            with open(latency_file) as f:
                return [float(x) for x in f.read().split()], start

        # A first round gives the exact records (same bytes, same sizes) for the others.
        _, start = caseload_round()
        with open(journal, "rb") as f:
            f.seek(start)
            blob = f.read()
        records, payloads, off = [], [], 0
        while off + 8 <= len(blob):
            length = struct.unpack_from("<I", blob, off)[0]
            records.append(blob[off:off + 8 + length])
            payloads.append(blob[off + 8:off + 8 + length])
            off += 8 + length
        assert len(records) == n, f"read {len(records)} records back, expected {n}"
        size = statistics.mean(len(r) for r in records)

        raw_fd = os.open(os.path.join(d, "raw.bin"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

        db = sqlite3.connect(os.path.join(d, "events.sqlite"), isolation_level=None)
        assert db.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
        db.execute("PRAGMA synchronous=FULL")
        db.execute("CREATE TABLE events (seq INTEGER PRIMARY KEY, payload BLOB NOT NULL)")

        # fsync latency on a shared disk swings between 0.1 and several ms from one moment to
        # the next, so the three take turns, one append each, and each is timed on its own.
        times = {"caseload": [], "raw": [], "sqlite": [], "encrypted": []}
        enc_dir = os.path.join(d, "encrypted")
        enc_latency_file = os.path.join(d, "latencies-encrypted.txt")
        self.cl("init", "--encrypt", "--worker", "Bench Worker", data=enc_dir, env=self.encrypted_env())
        for _ in range(rounds):
            p = subprocess.Popen([self.bench, "debug-append", "--count", str(n), "--paced", "--latencies", latency_file,
                                  "--data-dir", cl_dir], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            pe = subprocess.Popen([self.bench, "debug-append", "--count", str(n), "--paced", "--latencies", enc_latency_file,
                                   "--data-dir", enc_dir], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                  env=self.encrypted_env())
            for i in range(n):
                def caseload_one():
                    p.stdin.write(b"\n")
                    p.stdin.flush()
                    assert p.stdout.readline().startswith(b"acked")

                def encrypted_one():
                    pe.stdin.write(b"\n")
                    pe.stdin.flush()
                    assert pe.stdout.readline().startswith(b"acked")

                def raw_one():
                    t0 = time.perf_counter()
                    os.write(raw_fd, records[i])
                    os.fsync(raw_fd)
                    times["raw"].append((time.perf_counter() - t0) * 1000)

                def sqlite_one():
                    t0 = time.perf_counter()
                    db.execute("INSERT INTO events (payload) VALUES (?)", (payloads[i],))  # autocommit: one transaction
                    times["sqlite"].append((time.perf_counter() - t0) * 1000)

                turns = [caseload_one, raw_one, sqlite_one, encrypted_one]
                for k in range(4):
                    turns[(i + k) % 4]()
            for proc in (p, pe):
                proc.stdin.close()
                proc.wait()
            with open(latency_file) as f:
                times["caseload"] += [float(x) for x in f.read().split()]
            with open(enc_latency_file) as f:
                times["encrypted"] += [float(x) for x in f.read().split()]
        os.close(raw_fd)
        db.close()
        c, r, s = (median(times[k]) for k in ("caseload", "raw", "sqlite"))
        self.row(f"durable append, 1 event ({size:.0f} B record)", f"{c:.3f} ms", f"raw write+fsync {r:.3f} ms",
                 f"caseload/raw {c / r:.2f}x", "<= 1.1x raw", c / r <= 1.1)
        e = median(times["encrypted"])
        self.row("  the same, encrypted (body sealed)", f"{e:.3f} ms", f"raw write+fsync {r:.3f} ms",
                 f"encrypted/raw {e / r:.2f}x", "<= 1.3x raw", e / r <= 1.3)
        self.row("  SQLite WAL, synchronous=FULL, same rows", f"{s:.3f} ms", f"raw write+fsync {r:.3f} ms",
                 f"sqlite/raw {s / r:.2f}x", "(baseline)")
        self.notes.append(f"append: median of {len(times['caseload'])} appends each way, taking turns one append at a time "
                          "(caseload timed inside the process around store.append); one event, one transaction, one fsync per append")

    # MARK: 2. open and first frame, memory

    def first_frame(self, d, env=None):
        r = self.hook("debug-first-frame", "--as-of", self.today, "--size", "80x24", "--json", data=d, env=env)
        return json.loads(r.stdout)

    def bench_open_encrypted(self):
        """The 100k-event caseload plain and encrypted (`caseload encrypt` of a copy), taking turns."""
        log("open + first frame: plain vs encrypted")
        d, events = self.demo("events-100k-plain", 3000)
        e = os.path.join(self.work, "events-100k-encrypted")
        shutil.copytree(d, e)
        self.cl("encrypt", data=e, env=self.encrypted_env())
        shutil.rmtree(glob.glob(os.path.join(e, "plain-before-encryption-*"))[0])
        self.first_frame(d)  # writes the snapshot caches (plain and sealed), as any second open has them
        self.first_frame(e, env=self.encrypted_env())
        plain, sealed = [], []
        for _ in range(3 if self.quick else 7):
            plain.append(self.first_frame(d)["totalMs"])
            sealed.append(self.first_frame(e, env=self.encrypted_env())["totalMs"])
        p, s = median(plain), median(sealed)
        self.row(f"  open + first frame, {events:,} events, encrypted", f"{s:.0f} ms", f"plain {p:.0f} ms",
                 f"encrypted/plain {s / p:.2f}x", "<= 1.5x plain", s / p <= 1.5)
        self.notes.append("encrypted open: the passphrase is unlocked (Argon2id, about 0.25 s once per start) before the clock starts; "
                          "both open from their snapshot cache (the encrypted one's sealed whole)")
        shutil.rmtree(d)
        shutil.rmtree(e)

    def bench_open(self):
        log("open + first frame and resident memory")
        sizes = [("10k", 300), ("100k", 3000)] + ([] if self.quick else [("1M", 30000)])
        # The goals: 1M warm open <= 250 ms, cold (no snapshot) <= 1.2 s.
        goals = {"100k": 100, "1M": 250}
        cold_goals = {"1M": 1200}
        runs = 3 if self.quick else 7
        cold_runs = 1 if self.quick else 3
        dirs, events, cold, warm = {}, {}, {}, {}
        for name, patients in sizes:
            dirs[name], events[name] = self.demo(f"events-{name}", patients)
            snapshot = os.path.join(dirs[name], "snapshot.bin")
            cold[name] = []
            for _ in range(cold_runs):  # each folds the whole journal (and writes the snapshot cache again)
                if os.path.exists(snapshot):
                    os.remove(snapshot)
                cold[name].append(self.first_frame(dirs[name]))
            warm[name] = []
        for _ in range(runs):  # the sizes take turns, so a busy moment on the machine hits them alike
            for name, _ in sizes:
                warm[name].append(self.first_frame(dirs[name]))
        for name, _ in sizes:
            totals = [w["totalMs"] for w in warm[name]]
            total = median(totals)
            frame = median([w["firstFrameMs"] for w in warm[name]])
            peak = median([w["peakResidentMB"] for w in warm[name]])
            resident = median([w["residentMB"] for w in warm[name]])
            colds = [c["totalMs"] for c in cold[name]]
            cold_ms, cold_peak = median(colds), max(c["peakResidentMB"] for c in cold[name])
            goal = goals.get(name)
            self.row(f"open + first frame, {events[name]:,} events", f"{total:.0f} ms",
                     f"min {min(totals):.0f}, max {max(totals):.0f} ms", f"cold {cold_ms:.0f} ms", f"<= {goal} ms" if goal else "",
                     total <= goal if goal else None)
            cold_goal = cold_goals.get(name)
            if cold_goal:
                self.row(f"  cold open (no snapshot), {events[name]:,} events", f"{cold_ms:.0f} ms",
                         f"min {min(colds):.0f}, max {max(colds):.0f} ms", f"peak {cold_peak:.0f} MB", f"<= {cold_goal} ms", cold_ms <= cold_goal)
            self.memory_rows.append((name, events[name], [w["peakResidentMB"] for w in warm[name]], resident))
            self.notes.append(f"{name}: median of {runs} opens (cold: of {cold_runs}, each folding the whole journal and writing the snapshot); "
                              f"the first frame itself {frame:.1f} ms of the {total:.0f} ms; cold open peak {cold_peak:.0f} MB")
        if not self.quick and shutil.which("tmux"):
            # The tmux figure is at 1M events: the real app on the largest caseload.
            self.bench_keys_in_tmux(dirs["1M"], f"{events['1M']:,} events", p95_goal=8)
        for name, _ in sizes:
            shutil.rmtree(dirs[name])

    # MARK: 3. overdue vs taskwarrior vs SQLite

    def bench_overdue(self, d):
        log("overdue: caseload vs taskwarrior vs SQLite, same follow-ups")
        out = os.path.join(self.work, "export")
        self.cl("export", "--format", "csv", "--out", out, "--as-of", self.today, data=d)
        with open(os.path.join(out, "patients.csv"), newline="", encoding="utf-8") as f:
            patients = {p["id"]: p for p in csv.DictReader(f)}
        with open(os.path.join(out, "followups.csv"), newline="", encoding="utf-8") as f:
            followups = list(csv.DictReader(f))

        # taskwarrior: one task per follow-up. A follow-up whose case is closed is one a worker
        # would have deleted in taskwarrior (caseload leaves it out of `overdue` itself).
        def stamp(day, end_of_day=True):
            return day.replace("-", "") + ("T235959Z" if end_of_day else "T000000Z")

        tasks = []
        for f in followups:
            open_case = patients[f["patientId"]]["status"] in OPEN_STATUSES
            status = {"open": "pending" if open_case else "deleted", "done": "completed", "cancelled": "deleted"}[f["status"]]
            t = {"uuid": f["id"], "description": f["reason"] or "follow-up", "status": status, "project": f["worker"] or "none",
                 "entry": "20250101T000000Z", "due": stamp(f["due"])}
            if status != "pending":
                t["end"] = stamp(f["closedOn"] or f["due"])
            tasks.append(t)
        tasks_json = os.path.join(self.work, "tasks.json")
        with open(tasks_json, "w", encoding="utf-8") as fh:
            json.dump(tasks, fh)
        task_dir = os.path.join(self.work, "taskdata")
        os.makedirs(task_dir)
        taskrc = os.path.join(self.work, "taskrc")
        open(taskrc, "w").close()
        task_env = dict(os.environ, TASKRC=taskrc, TZ="UTC")
        task = ["task", f"rc.data.location={task_dir}", "rc.confirmation=off", "rc.hooks=off", "rc.verbose=nothing", "rc.json.array=on"]
        t0 = time.perf_counter()
        subprocess.run(task + ["import", tasks_json], check=True, capture_output=True, env=task_env, stdin=subprocess.DEVNULL)
        log(f"  task import of {len(tasks)} follow-ups: {time.perf_counter() - t0:.1f} s")

        db_path = os.path.join(self.work, "followups.sqlite")
        db = sqlite3.connect(db_path)
        db.executescript("""
            CREATE TABLE patients (id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL);
            CREATE TABLE followups (id TEXT PRIMARY KEY, patient_id TEXT NOT NULL REFERENCES patients(id),
                                    due TEXT NOT NULL, status TEXT NOT NULL, worker TEXT, reason TEXT);
            CREATE INDEX followups_open_due ON followups (status, due);
        """)
        db.executemany("INSERT INTO patients VALUES (?, ?, ?)", [(p["id"], p["name"], p["status"]) for p in patients.values()])
        db.executemany("INSERT INTO followups VALUES (?, ?, ?, ?, ?, ?)",
                       [(f["id"], f["patientId"], f["due"], f["status"], f["worker"], f["reason"]) for f in followups])
        db.commit()
        db.execute("ANALYZE")
        db.close()
        query = f"""SELECT f.id AS followupId, f.patient_id AS patientId, p.name AS patientName, f.worker, f.due,
                   CAST(julianday('{self.today}') - julianday(f.due) AS INTEGER) AS daysOverdue, f.reason
            FROM followups f JOIN patients p ON p.id = f.patient_id
            WHERE f.status = 'open' AND f.due < '{self.today}' AND p.status IN {OPEN_STATUSES}
            ORDER BY daysOverdue DESC, p.name, f.id;"""

        index = os.path.join(d, "followups.idx")
        commands = {
            "caseload": ([self.caseload, "overdue", "--json", "--as-of", self.today, "--data-dir", d], None, "followupId"),
            # The same command with followups.idx deleted first: it opens the whole caseload (and writes the file again).
            "opened": ([self.caseload, "overdue", "--json", "--as-of", self.today, "--data-dir", d], None, "followupId"),
            "task": (task + ["+OVERDUE", "export"], task_env, "uuid"),
            "sqlite": (["sqlite3", "-json", db_path, query], None, "followupId"),
        }
        times = {k: [] for k in commands}
        ids = {}
        runs = 3 if self.quick else 5
        for i in range(runs + 1):
            for k, (argv, env, key) in commands.items():
                if k == "opened" and os.path.exists(index):
                    os.remove(index)
                t0 = time.perf_counter()
                r = subprocess.run(argv, check=True, capture_output=True, env=env, stdin=subprocess.DEVNULL)
                elapsed = time.perf_counter() - t0
                if i == 0:  # the first run of each only warms caches, and gives the answer
                    ids[k] = {row[key].lower() for row in (json.loads(r.stdout) if r.stdout.strip() else [])}
                else:
                    times[k].append(elapsed * 1000)
        c, o, t, s = (median(times[k]) for k in ("caseload", "opened", "task", "sqlite"))
        agree = ids["caseload"] == ids["opened"] == ids["task"] == ids["sqlite"]
        counts = f"{len(ids['caseload'])}/{len(ids['opened'])}/{len(ids['task'])}/{len(ids['sqlite'])}"
        self.row(f"overdue --json, 10k patients, {len(followups):,} follow-ups", f"{c:.1f} ms ({min(times['caseload']):.1f}-{max(times['caseload']):.1f})",
                 f"task +OVERDUE export {t:.0f} ms", f"task/caseload {t / c:.1f}x", "task/caseload >= 10x", t / c >= 10)
        self.row("  without followups.idx (opens the caseload)", f"{o:.0f} ms", f"with it {c:.1f} ms", f"{o / c:.1f}x slower", "(before)")
        self.row("  same query in SQLite (sqlite3 -json, indexed)", f"{s:.1f} ms", f"caseload {c:.1f} ms", f"caseload/sqlite {c / s:.2f}x", "(baseline)")
        self.row("  overdue counts caseload/opened/task/sqlite", counts, "same follow-ups" if agree else "DIFFERENT follow-ups", "", "all agree", agree)
        self.notes.append(f"overdue: {runs} interleaved runs each, whole processes (start, open or read followups.idx, query, JSON out); taskwarrior reads pending.data and completed.data; as of {self.today}, taskwarrior {subprocess.run(['task', '--version'], capture_output=True, text=True, env=task_env).stdout.strip()}, sqlite {sqlite3.sqlite_version}")

    # MARK: 4. note search per key, and the checksum

    def bench_note_search(self, d, exported):
        log("note search per key: folded-note index vs refolding every note, and grep over the same notes")
        words = "walking,garden,suilleabhain,bench,housing officer"
        plain = "garden" if not self.quick else "gar"
        r = json.loads(self.hook("debug-note-search", "--as-of", self.today, "--words", words, "--plain-words", plain, data=d).stdout)
        # grep over the notes as exported (one file, the notes and everything else in it), same keys typed.
        sessions = os.path.join(exported, "sessions.csv")
        grep = []
        if os.path.exists(sessions) and shutil.which("grep"):
            for _ in range(3):
                for w in words.split(","):
                    for n in range(2, len(w) + 1):
                        t0 = time.perf_counter()
                        subprocess.run(["grep", "-i", "-c", "-F", w[:n], sessions], capture_output=True)
                        grep.append((time.perf_counter() - t0) * 1000)
        g = median(grep)
        i, p = r["indexedMedianMs"], r["plainMedianMs"]
        self.row(f"note search per key typed, 10k patients ({r['notes']:,} notes)", f"{i:.1f} ms", f"refolding every note {p:.0f} ms",
                 f"{p / i:.0f}x faster", "<= 20 ms", i <= 20)
        if grep:
            self.row("  grep -i -F over the exported sessions.csv", f"{g:.1f} ms", f"index {i:.1f} ms", f"index/grep {i / g:.2f}x", "(limit)")
        self.row("  the index, first key (folds every note once)", f"{r['buildMs']:.0f} ms", f"worst later key {r['indexedWorstMs']:.1f} ms", "", "")
        self.row("  search hits, index vs refolding", "same" if r["agree"] else "DIFFERENT", f"{r['plainKeys']} keys both ways", "", "agree", r["agree"])
        self.notes.append(f"note search: {r['keys']} keys (each prefix of {words}), median; refolding timed on the {r['plainKeys']} keys of '{plain}'; "
                          f"the most hits shown for a key {r['mostHits']:,} (500 at most); grep is a whole process per key")

    def bench_note_search_large(self, d, name):
        """The issue's 50k figure for note search: the same keys as at 10k."""
        log(f"note search per key, {name} patients")
        words = "walking,garden,suilleabhain,bench,housing officer"
        r = json.loads(self.hook("debug-note-search", "--as-of", self.today, "--words", words, "--plain-words", "ga", data=d).stdout)
        i = r["indexedMedianMs"]
        self.row(f"note search per key typed, {name} patients ({r['notes']:,} notes)", f"{i:.1f} ms",
                 f"worst later key {r['indexedWorstMs']:.1f} ms", f"first key {r['buildMs'] / 1000:.1f} s",
                 "<= 60 ms" if not self.quick else "(50k: <= 60 ms)", (i <= 60 and r["agree"]) if not self.quick else None)

    def bench_checksum(self):
        log("CRC32C: the processor's instruction vs the tables")
        mb = 16 if self.quick else 106
        r = json.loads(self.hook("debug-checksum", "--megabytes", str(mb), "--rounds", "3" if self.quick else "7").stdout)
        if r["hardware"]:
            self.row(f"CRC32C of {mb} MB (the 1M-event snapshot's size)", f"{r['hardwareMs']:.1f} ms", f"tables {r['softwareMs']:.1f} ms",
                     f"tables/instruction {r['softwareMs'] / r['hardwareMs']:.1f}x", "instruction, same value", r["agree"])
        else:
            self.row(f"CRC32C of {mb} MB (no instruction here: tables)", f"{r['softwareMs']:.1f} ms", "", "", "")

    # MARK: 5. export and import

    def timed_child(self, argv, env=None):
        """Seconds and peak resident MB of one whole process."""
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(p.pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0, f"{argv[1:3]} failed"
        return time.perf_counter() - t0, usage.ru_maxrss / 1024

    def bench_import_export(self, d):
        log("export and import of the 10k caseload")
        out = os.path.join(self.work, "export-again")
        exports = [self.timed_child([self.caseload, "export", "--format", "csv", "--out", out, "--as-of", self.today, "--data-dir", d])
                   for _ in range(1 if self.quick else 3)]
        empty = os.path.join(self.work, "import-into")
        self.cl("init", "--worker", "Bench Worker", data=empty)
        checks = [self.timed_child([self.caseload, "import", "caseload", out, "--dry-run", "--data-dir", empty]) for _ in range(1 if self.quick else 3)]
        full = self.timed_child([self.caseload, "import", "caseload", out, "--data-dir", empty])
        e, c = median([x[0] for x in exports]), median([x[0] for x in checks])
        self.row("export --format csv, 10k patients", f"{e:.2f} s", f"peak {median([x[1] for x in exports]):.0f} MB", "", "(50k: <= 4 s)")
        self.row("import caseload of that export, 10k patients", f"{full[0]:.2f} s", f"checking only (--dry-run) {c:.2f} s", f"peak {full[1]:.0f} MB",
                 "(50k: <= 8 s, <= 600 MB)")
        self.notes.append("export/import: whole processes, medians of 3 (the import itself once, into an empty caseload); the goals are the issue's, at 50k patients")

    def bench_large(self):
        """The issue's 50,000-person goals: a whole CSV export, and verify of the whole journal."""
        patients = 10_000 if self.quick else 50_000
        name = f"{patients // 1000}k"
        d, events = self.demo(f"patients-{name}", patients)
        log(f"export and verify of the {name} caseload")
        runs = 1 if self.quick else 5
        out = os.path.join(self.work, f"export-{name}")
        exports, verifies = [], []
        for _ in range(runs):  # taking turns, so a busy moment on the machine hits both alike
            exports.append(self.timed_child([self.caseload, "export", "--format", "csv", "--out", out, "--as-of", self.today, "--data-dir", d]))
            verifies.append(self.timed_child([self.caseload, "verify", "--data-dir", d]))
        spread = lambda xs: f"min {min(xs):.2f}, max {max(xs):.2f} s"
        e, v = median([x[0] for x in exports]), median([x[0] for x in verifies])
        e_peak, v_peak = max(x[1] for x in exports), max(x[1] for x in verifies)
        self.row(f"export --format csv, {name} patients", f"{e:.2f} s", spread([x[0] for x in exports]), f"peak {e_peak:.0f} MB",
                 "<= 4 s" if not self.quick else "(50k: <= 4 s)", e <= 4 if not self.quick else None)
        self.row(f"verify, {name} patients ({events:,} events)", f"{v:.2f} s", spread([x[0] for x in verifies]), f"peak {v_peak:.0f} MB",
                 "<= 1 s, <= 100 MB" if not self.quick else "(50k: <= 1 s, <= 100 MB)", v <= 1 and v_peak <= 100 if not self.quick else None)
        self.notes.append(f"{name} export/verify: whole processes, medians of {runs} taking turns (min and max beside them), peak is the largest VmHWM")
        # The import goal: that export brought into an empty caseload, as a team moving
        # from a spreadsheet or another device would. Whole processes; one run each, as each takes seconds.
        empty = os.path.join(self.work, f"import-{name}")
        self.cl("init", "--worker", "Bench Worker", data=empty)
        check = self.timed_child([self.caseload, "import", "caseload", out, "--dry-run", "--data-dir", empty])
        full = self.timed_child([self.caseload, "import", "caseload", out, "--data-dir", empty])
        self.row(f"import caseload of that export, {name} patients", f"{full[0]:.2f} s", f"checking only (--dry-run) {check[0]:.2f} s",
                 f"peak {full[1]:.0f} MB", "<= 8 s, <= 600 MB" if not self.quick else "(50k: <= 8 s, <= 600 MB)",
                 full[0] <= 8 and full[1] <= 600 if not self.quick else None)
        shutil.rmtree(empty)
        self.bench_note_search_large(d, name)
        shutil.rmtree(d)
        shutil.rmtree(out, ignore_errors=True)

    # MARK: 5b. sync pull

    def bench_sync_pull(self):
        """Issue 16: `caseload sync folder` into a just-initialised device, from a folder that holds
        a 50k-patient caseload (pushed there once by its own device). Whole processes, as a user runs it."""
        patients = 5_000 if self.quick else 50_000
        log(f"sync pull into an empty device, {patients:,} patients")
        source, events = self.demo(f"sync-source-{patients}", patients)
        folder = os.path.join(self.work, "sync-folder")
        os.makedirs(folder)
        self.cl("sync", "folder", folder, data=source)
        shutil.rmtree(source)
        runs = []
        for i in range(1 if self.quick else 3):
            empty = os.path.join(self.work, f"sync-into-{i}")
            self.cl("init", "--worker", f"Bench Receiver {i}", data=empty)
            runs.append(self.timed_child([self.caseload, "sync", "folder", folder, "--data-dir", empty]))
            shutil.rmtree(empty)
        seconds, peaks = [r[0] for r in runs], [r[1] for r in runs]
        t, peak = median(seconds), median(peaks)
        self.row(f"sync pull into an empty device, {patients // 1000}k patients", f"{t:.2f} s",
                 f"min {min(seconds):.2f}, max {max(seconds):.2f} s", f"peak {peak:.0f} MB (max {max(peaks):.0f})",
                 "<= 5 s, <= 500 MB", t <= 5 and peak <= 500)
        self.notes.append(f"sync pull: {events:,} events in the folder; `caseload sync folder` into a new device (init just before), "
                          f"whole process with its snapshot write, {len(runs)} runs; peak is the process's peak resident size")
        shutil.rmtree(folder)

    # MARK: 5c. erasure

    def bench_erase(self, d10k):
        """Issue 13: `caseload patient erase` at 10,000 patients, encrypted (a copy of the 10k demo
        through `caseload encrypt`, so every person has a key). Whole processes, as a user runs it."""
        log("erasure of one person, 10k patients, encrypted")
        e = os.path.join(self.work, "erase-10k-encrypted")
        shutil.copytree(d10k, e)
        env = self.encrypted_env()
        self.cl("encrypt", data=e, env=env)
        shutil.rmtree(glob.glob(os.path.join(e, "plain-before-encryption-*"))[0])
        people = json.loads(self.cl("patient", "list", "--json", data=e, env=env).stdout)
        worker = json.load(open(os.path.join(e, "caseload.json")))["workerId"]
        mine = [p["id"] for p in people if p.get("worker") == worker]
        runs = []
        for pid in mine[: 3 if self.quick else 7]:
            runs.append(self.timed_child([self.caseload, "patient", "erase", pid, "--reason", "bench", "--data-dir", e], env=env))
        t = median([r[0] for r in runs])
        self.row("erase one person, 10k patients, encrypted", f"{t:.2f} s", f"min {min(r[0] for r in runs):.2f}, max {max(r[0] for r in runs):.2f} s",
                 f"peak {median([r[1] for r in runs]):.0f} MB", "<= 1 s", t <= 1)
        self.notes.append("erase: the whole `caseload patient erase` process: start, passphrase (Argon2id, about 0.25 s), open from the "
                          "sealed snapshot, the erasure's append, the key file and the sealed snapshot rewritten")
        shutil.rmtree(e)

    # MARK: 6. keystroke to frame

    def bench_keys(self, d):
        log("keystroke to frame, 10k patients")
        r = self.hook("debug-keystrokes", "--as-of", self.today, "--size", "120x40", "--rounds", "2" if self.quick else "5", data=d)
        for t in json.loads(r.stdout):
            if t["scenario"] == "all":
                continue
            self.row(f"keystroke to frame: {t['scenario']} (update+view)", f"{t['medianMs']:.2f} ms",
                     f"p95 {t['p95Ms']:.2f}, worst {t['worstMs']:.2f} ms", "", "<= 5 ms", t["medianMs"] <= 5)
        if shutil.which("tmux"):
            self.bench_keys_in_tmux(d, "10k patients")
        else:
            self.notes.append("tmux not found: the keystroke time through curses in a real terminal was not measured")

    def bench_keys_in_tmux(self, d, label, p95_goal=None):
        """The real app drawing through curses in tmux. The 10k row's goal is the median's; at 1M
        events the issue's goal is the 95th percentile's."""
        frames = os.path.join(self.work, "frames.txt")
        if os.path.exists(frames):
            os.remove(frames)
        sock = ["tmux", "-L", f"caseload-bench-{os.getpid()}"]
        app = f"env CASELOAD_FRAME_TIMES={frames} TERM=xterm-256color {self.caseload} --data-dir {d} --as-of {self.today}"
        subprocess.run(sock + ["new-session", "-d", "-x", "120", "-y", "40", "-s", "bench", app], check=True)
        try:
            subprocess.run(sock + ["set", "-s", "escape-time", "0"], check=True)
            deadline = time.time() + 60
            while time.time() < deadline:
                screen = subprocess.run(sock + ["capture-pane", "-p", "-t", "bench"], capture_output=True, text=True).stdout
                if "patients" in screen:
                    break
                time.sleep(0.2)

            def send(*keys):
                for k in keys:
                    subprocess.run(sock + ["send-keys", "-t", "bench", k], capture_output=True)
                    time.sleep(0.04)

            send(*(["j"] * 40), *(["PPage", "NPage"] * 5))
            send("/", *"wisniewski", *(["BSpace"] * 10), "Escape")
            for _ in range(5):
                send("Enter", "j", "j", "Tab", "Tab", "Escape", "j")
            send("q")
            time.sleep(0.5)
            send("y")
            time.sleep(0.5)
        finally:
            subprocess.run(sock + ["kill-server"], capture_output=True)
        if os.path.exists(frames):
            # "frames N median X ms p95 Y ms worst Z ms"
            w = open(frames).read().split()
            n, med, p95, worst = int(w[1]), float(w[3]), float(w[6]), float(w[9])
            if p95_goal:
                self.row(f"keystroke to frame in tmux, {label}, p95", f"{p95:.2f} ms", f"median {med:.2f}, worst {worst:.2f} ms",
                         "", f"p95 <= {p95_goal} ms", p95 <= p95_goal)
            else:
                self.row(f"keystroke to frame in tmux (real app, curses), {label}", f"{med:.2f} ms", f"p95 {p95:.2f}, worst {worst:.2f} ms",
                         "", "<= 5 ms", med <= 5)
            self.notes.append(f"tmux, {label}: {n} keys (scroll, page, filter typing, open patients) at 120x40, CASELOAD_FRAME_TIMES")
        else:
            self.notes.append(f"tmux, {label}: the app wrote no frame times")

    # MARK: table

    def memory(self):
        goals = {"1M": 150}  # the issue's
        for name, events, peaks, resident in self.memory_rows:
            if name == "10k":
                continue
            goal = goals.get(name)
            peak = median(peaks)
            self.row(f"resident memory after open, {events:,} events", f"{peak:.0f} MB peak",
                     f"min {min(peaks):.0f}, max {max(peaks):.0f} MB", f"{resident:.0f} MB after", f"<= {goal} MB" if goal else "",
                     peak <= goal if goal else None)

    def print_table(self, seconds):
        head = ("what", "caseload", "compared with", "ratio", "goal", "result")
        widths = [max(len(str(r[i])) for r in self.rows + [head]) for i in range(6)]
        line = lambda r: "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |"
        print(line(head))
        print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        for r in self.rows:
            print(line(r))
        print()
        for n in self.notes:
            print(f"- {n}")
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        print(f"- {os.cpu_count()} cores, {self.today}, commit {commit or '?'}, whole run {seconds:.0f} s")


SECTIONS = ("append", "open", "open-encrypted", "keys", "overdue", "note-search", "import-export", "erase", "large", "checksum", "sync-pull")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--caseload", required=True)
    ap.add_argument("--bench", required=True, help="the caseload-bench binary (debug-* hooks)")
    ap.add_argument("--quick", action="store_true", help="smaller data, fewer repeats (checks the script)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--only", help=f"comma-separated rows to run, of: {','.join(SECTIONS)} (default: all)")
    args = ap.parse_args()
    only = set(args.only.split(",")) if args.only else set(SECTIONS)
    if only - set(SECTIONS):
        ap.error(f"--only takes {','.join(SECTIONS)}, not {','.join(sorted(only - set(SECTIONS)))}")
    start = time.perf_counter()
    work = tempfile.mkdtemp(prefix="caseload-bench-")
    bench = Bench(os.path.abspath(args.caseload), os.path.abspath(args.bench), work, args.quick)
    try:
        if "append" in only:
            bench.bench_append()
        if "open" in only:
            bench.bench_open()
        if "open-encrypted" in only:
            bench.bench_open_encrypted()
        if only & {"keys", "overdue", "note-search", "import-export", "erase"}:
            d10k, _ = bench.demo("patients-10k", 10_000)
            if "keys" in only:
                bench.bench_keys(d10k)
            if "overdue" in only or "note-search" in only:
                bench.bench_overdue(d10k)  # note search greps the export it writes
            if "note-search" in only:
                bench.bench_note_search(d10k, os.path.join(work, "export"))
            if "import-export" in only:
                bench.bench_import_export(d10k)
            if "erase" in only:
                bench.bench_erase(d10k)
            shutil.rmtree(d10k)
        if "large" in only:
            bench.bench_large()
        if "checksum" in only:
            bench.bench_checksum()
        if "sync-pull" in only:
            bench.bench_sync_pull()
        bench.memory()
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    bench.print_table(time.perf_counter() - start)
    return 0


if __name__ == "__main__":
    sys.exit(main())
