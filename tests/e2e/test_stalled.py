"""check_sapera_stalled: history across runs, and the simulator's clock.

Time is walked, not waited for: each step sets the simulator's clock
(PUT /_sim/clock) and the plugin's (SAPERA_NOW) to the same second, so
an hour of runs five minutes apart takes a moment. Scenarios give run
counts as timelines and rates on that clock (doc/simulator.md). Each
test keeps its history in its own temporary state directory, and every
state file a test looks at is checked against the format in
doc/stalled.md.
"""

import glob
import json
import os
import re
import stat
import subprocess
import time
import urllib.error
import urllib.request

import pytest

import conftest
from conftest import (PASSED_ENV, PLUGIN_DIR, SLOWDOWN, SRCDIR,
                      WRAPPER, Result, check_status_output,
                      check_wrapper_stderr, small_scenario, worker)

PLUGIN = "check_sapera_stalled"
LABEL = "SAPERA STALLED"
STALLED_JSON = os.path.join(SRCDIR, "contrib", "simulator", "stalled.json")

T0 = 1767225600  # 2026-01-01 00:00:00 UTC
MIN = 60
HOUR = 3600
STEP = 5 * MIN
AN_HOUR = range(0, HOUR + 1, STEP)  # 13 runs, five minutes apart

MAGIC = "sapera-stalled-state 1"
SAMPLES = 32  # kept per row


# ---------------------------------------------------------------- running

def run_stalled(args, env, timeout=30):
    """Run the plugin as conftest.run() does, with the same checks."""
    if PLUGIN in conftest.LABELS:
        return conftest.run(*args, plugin=PLUGIN, env=env, timeout=timeout)
    clean = {"LC_ALL": "C"}
    clean.update({k: os.environ[k] for k in PASSED_ENV if k in os.environ})
    clean.update(env)
    cmd = [*WRAPPER, os.path.join(PLUGIN_DIR, PLUGIN), *args]
    try:
        p = subprocess.run(cmd, capture_output=True, env=clean,
                           timeout=timeout * SLOWDOWN,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail("%s %s did not finish" % (PLUGIN, " ".join(args)))
    return check_run(p, args)


def check_run(p, args):
    """The output rules of every plugin run, for a finished process."""
    r = Result(p.returncode, p.stdout.decode("utf-8", "replace"),
               p.stderr.decode("utf-8", "replace"))
    if WRAPPER:
        check_wrapper_stderr(r, args)
    else:
        assert r.stderr == "", "stderr: %r" % r.stderr[:500]
    assert 0 <= r.code <= 3, "exit code %d" % r.code
    try:
        p.stdout.decode("utf-8")
    except UnicodeDecodeError as e:
        pytest.fail("stdout is not valid UTF-8: %s" % e)
    check_status_output(r, LABEL)
    first = r.lines[0]
    assert first.count("|") == 1, "not one '|' in %r" % first[:200]
    return r


def stalled(*args, now, env=None):
    """One run at `now` (seconds since the epoch)."""
    extra = {"SAPERA_NOW": str(now)}
    extra.update(env or {})
    return run_stalled(args, extra)


def sim_request(sim, method, path, body=None):
    """(status, body) of a request to the simulator, without proxies."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    req = urllib.request.Request(sim.url + path, data=body, method=method)
    try:
        with opener.open(req, timeout=10) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def set_clock(sim, now):
    status, body = sim_request(sim, "PUT", "/_sim/clock",
                               json.dumps(now).encode())
    assert status == 204, "clock refused: %r" % body[:200]


def get_clock(sim):
    status, body = sim_request(sim, "GET", "/_sim/clock")
    assert status == 200
    return json.loads(body)


class Check:
    """One check identity (URL, options, state directory), run at T0 + t
    with the simulator's clock set to the same second."""

    def __init__(self, sim, state_dir, args):
        self.sim = sim
        self.state_dir = state_dir
        self.args = list(args)

    def at(self, t, *more, env=None):
        now = T0 + t
        set_clock(self.sim, now)
        state = ["--state-dir", self.state_dir] if self.state_dir else []
        return stalled("--base-url", self.sim.url, *state, *self.args,
                       *more, now=now, env=env)

    def state_file(self):
        return the_state_file(self.state_dir)


@pytest.fixture
def check(sim, tmp_path):
    """check(doc, *args): serve doc and return a Check of the services
    in doc (all nine with services=False) on a fresh state directory
    (state_dir=None: no --state-dir)."""
    made = []

    def make(doc, *args, state_dir="", services=True):
        sim.load(doc)
        if state_dir == "":
            state_dir = str(tmp_path / ("state%d" % len(made)))
            os.mkdir(state_dir)
        made.append(state_dir)
        if services:
            args = ("-s", ",".join(doc["services"])) + args
        return Check(sim, state_dir, args)

    return make


# ------------------------------------------------------------- the file

def state_files(directory):
    return sorted(glob.glob(os.path.join(directory, "stalled-*.state")))


def the_state_file(directory):
    files = state_files(directory)
    assert len(files) == 1, "state files: %r" % files
    return files[0]


ENTRY = re.compile(r"e (-1|\d+) (\d+) (\S+) (\S+)")
SAMPLE = re.compile(r"(\d+):(\d+|s|n)")


def decode_key(text):
    """A key field: bytes up to space, '%' and DEL as %XX, others raw."""
    assert re.fullmatch(r"(?:[^%\s\x7f]|%[0-9A-F]{2})+", text), \
        "bad key %r" % text
    raw = re.sub(rb"%([0-9A-F]{2})", lambda m: bytes([int(m[1], 16)]),
                 text.encode("utf-8"))
    return raw.decode("utf-8")


def read_state(path):
    """Parse a state file as doc/stalled.md describes it, failing the test
    on anything else. Returns (saved, {key: (stall_since, last_seen,
    [(t, value)])}) with value an int, "s" or "n"."""
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    assert text.endswith("\n"), "no newline at the end: %r" % text[-80:]
    lines = text[:-1].split("\n")
    assert lines[0] == MAGIC, "header %r" % lines[0]
    m = re.fullmatch(r"saved (\d+)", lines[1])
    assert m, "second line %r" % lines[1]
    saved = int(m[1])
    rows = {}
    for line in lines[2:]:
        m = ENTRY.fullmatch(line)
        assert m, "bad entry %r" % line
        key = decode_key(m[3])
        assert key.count("\t") == 2, "key %r" % key
        assert key not in rows, "key %r twice" % key
        samples = []
        if m[4] != "-":
            for item in m[4].split(","):
                s = SAMPLE.fullmatch(item)
                assert s, "bad sample %r in %r" % (item, line)
                v = s[2]
                samples.append((int(s[1]), int(v) if v.isdigit() else v))
        assert len(samples) <= SAMPLES
        times = [t for t, _ in samples]
        assert times == sorted(times), "samples out of order: %r" % line
        assert not times or times[-1] <= saved
        stall, seen = int(m[1]), int(m[2])
        assert seen <= saved
        assert stall == -1 or stall <= seen
        rows[key] = (stall, seen, samples)
    return saved, rows


def key_part(name):
    """One part of a key as doc/stalled.md escapes it."""
    return name.replace("\\", "\\\\").replace("\t", "\\t")


def key(worker_name, service="Payments", tenant=""):
    return "\t".join(key_part(p) for p in (service, worker_name, tenant))


# ---------------------------------------------------------------- output

def perf(r, label, what):
    """The value of '<label>/<what>': a float, or None for U."""
    p = r.perf_by_label["%s/%s" % (label, what)]
    return None if p.value == "U" else float(p.value)


def row_state(r, name):
    """The state column of the long-output row that mentions name."""
    rows = r.row(name)
    assert len(rows) == 1, "rows for %s: %r" % (name, rows)
    for state in ("CRITICAL", "WARNING", "UNKNOWN", "OK"):
        if re.search(r"\s%s(\s|$)" % state, rows[0]):
            return state
    pytest.fail("no state in %r" % rows[0])


def expected_stall_state(stalled_for, warn=15 * MIN, crit=HOUR):
    """-w and -c are ranges 0..N: alerts only above N."""
    if stalled_for > crit:
        return "CRITICAL"
    if stalled_for > warn:
        return "WARNING"
    return "OK"


# -------------------------------------------------------------- scenarios

def pay(*workers):
    return small_scenario(workers, service="Payments")


STUCK = worker("StuckWorker", 7)
IDLE = worker("IdleWorker", 0)
BUSY = worker("BusyWorker", 25, tenantBeingProcessed="shop2.example.com")


def dynamic(name, count_key, count, keys):
    w = {"displayName": name, count_key: count}
    if "processingTimeline" not in keys:
        w["tenantBeingProcessed"] = None
    w.update(keys)
    return w


def timeline(name, points, **keys):
    """A worker whose run count follows [[t, count], ...] from T0."""
    return dynamic(name, "timeline", [[T0 + t, c] for t, c in points],
                   keys)


def rate(name, start, per_minute, **keys):
    """A worker whose run count moves by per_minute from T0."""
    return dynamic(name, "rate", {"start": start, "perMinute": per_minute,
                                  "from": T0}, keys)


# ============================================================ simulator

def body_at(sim, now, service="payments"):
    set_clock(sim, now)
    status, body = sim_request(sim, "GET",
                               "/%s/api/workers/status" % service)
    assert status == 200
    return json.loads(body)


def test_sim_clock_is_set_and_read(sim):
    set_clock(sim, T0)
    assert get_clock(sim) == T0
    status, body = sim_request(sim, "GET", "/_sim/clock")
    assert body == b"%d\n" % T0
    set_clock(sim, 12.5)
    assert get_clock(sim) == 12.5


@pytest.mark.parametrize("body", [b"", b"soon", b'"1"', b"true", b"null",
                                  b"[1]", b"1e999", b"NaN"])
def test_sim_clock_refuses_what_is_not_a_number(sim, body):
    set_clock(sim, T0)
    status, _ = sim_request(sim, "PUT", "/_sim/clock", body)
    assert status == 400
    assert get_clock(sim) == T0


def test_sim_timeline_is_a_step_function(sim):
    sim.load(pay(timeline("W", [(0, 5), (600, "some"), (1200, 0)],
                          processingTimeline=[[T0, None],
                                              [T0 + 300, "shop1"],
                                              [T0 + 900, None]])))
    seen = []
    for t in (-60, 0, 299, 300, 600, 899, 900, 1200, 99999):
        w = body_at(sim, T0 + t)["workers"][0]
        assert "timeline" not in w and "processingTimeline" not in w
        seen.append((w["runCount"], w["tenantBeingProcessed"]))
    assert seen == [(5, None), (5, None), (5, None), (5, "shop1"),
                    ("some", "shop1"), ("some", "shop1"), ("some", None),
                    (0, None), (0, None)]


def test_sim_rate_grows_and_drains_within_bounds(sim):
    sim.load(pay(rate("Down", 120, -2, tenantBeingProcessed="shop1"),
                 rate("Up", 10, 3.5, tenantBeingProcessed=None),
                 {"displayName": "Capped", "rate": {
                     "start": 0, "perMinute": 10, "max": 25,
                     "from": T0}}))
    got = {}
    for t in (-600, 0, 30, 300, 3540, 3600, 7200):
        got[t] = [w["runCount"] for w in body_at(sim, T0 + t)["workers"]]
    assert got == {-600: [120, 10, 0], 0: [120, 10, 0], 30: [119, 11, 5],
                   300: [110, 27, 25], 3540: [2, 216, 25],
                   3600: [0, 220, 25], 7200: [0, 430, 25]}


def test_sim_tenant_timelines_in_pascal_style(sim):
    doc = small_scenario([{
        "displayName": "W",
        "tenants": [{"domain": "shop1.example.com",
                     "timeline": [[T0, 3], [T0 + 60, 1]],
                     "processingTimeline": [[T0, True], [T0 + 60, False]]}],
    }], style="pascal")
    sim.load(doc)
    t = body_at(sim, T0 + 59)["Workers"][0]["Tenants"][0]
    assert (t["RunCount"], t["Processing"]) == (3, True)
    t = body_at(sim, T0 + 60)["Workers"][0]["Tenants"][0]
    assert (t["RunCount"], t["Processing"]) == (1, False)


@pytest.mark.parametrize("entry", [
    {"timeline": []},
    {"timeline": [[0, 1], [0, 2]]},
    {"timeline": [[10, 1], [5, 2]]},
    {"timeline": [[0, "lots"]]},
    {"timeline": [[0]]},
    {"timeline": [["now", 1]]},
    {"timeline": [[0, 1]], "runCount": 1},
    {"rate": {"start": 1, "perMinute": 1}, "timeline": [[0, 1]]},
    {"rate": {"start": 1}},
    {"rate": {"start": 1, "perMinute": 1, "speed": 2}},
    {"rate": {"start": 1, "perMinute": "fast"}},
    {"processingTimeline": [[0, True]]},
    {"processingTimeline": [[0, None]], "tenantBeingProcessed": None},
    {"tenants": [{"domain": "x", "processingTimeline": [[0, "yes"]]}]},
], ids=lambda e: json.dumps(e))
def test_sim_refuses_bad_timelines_and_rates(sim, entry):
    w = {"displayName": "W"}
    w.update(entry)
    status, body = sim_request(sim, "PUT", "/_sim/scenario",
                               json.dumps(pay(w)).encode())
    assert status == 400, body
    assert "workers[0]" in json.loads(body)["error"]


@pytest.mark.timing
def test_sim_clock_speed_runs_from_what_was_set(sim_factory):
    fast = sim_factory("--scenario", STALLED_JSON, "--clock-speed", "6000")
    first = get_clock(fast)
    assert 0 < first < 6000 * 15
    set_clock(fast, T0)
    time.sleep(0.2)
    assert T0 + 600 <= get_clock(fast) < T0 + 6000 * 5


def test_example_scenario_walked_for_an_hour(sim, tmp_path):
    """contrib/simulator/stalled.json: times from 0, so SAPERA_NOW walks
    from 0 too."""
    with open(STALLED_JSON) as f:
        sim.load(json.load(f))
    d = str(tmp_path)
    for t in range(0, HOUR + 10 * MIN + 1, STEP):
        set_clock(sim, t)
        r = stalled("--base-url", sim.url, "--state-dir", d, "-s",
                    "Payments", "-w", "15m", "-c", "1h",
                    "--growth-warning", "~:2", now=t)
    assert r.code == 2
    assert row_state(r, "PaymentSettlementWorker") == "OK"
    assert row_state(r, "PaymentReconciliationWorker") == "OK"
    for name in ("PaymentCaptureWorker", "PaymentRefundWorker",
                 "PaymentStatusWorker"):
        assert row_state(r, name) == "CRITICAL"
        assert "stalled 1h 10m" in r.row(name)[0]
    assert perf(r, "Payments/PaymentCaptureWorker", "growth") == 3.0
    assert perf(r, "Payments/PaymentSettlementWorker", "drain") == 0.0


# ============================================================= learning

def test_first_run_learns_and_is_ok(check):
    c = check(pay(STUCK, IDLE, rate("GrowingWorker", 10, 50)))
    strict = ("-w", "1s", "-c", "2s", "--growth-warning", "~:0",
              "--drain-warning", "1")
    r = c.at(0, *strict)
    assert r.code == 0
    assert "first run" in r.status
    assert "learning, 1 of 3 samples" in r.row("StuckWorker")[0]
    assert "learning, 1 of 3 samples" in r.row("GrowingWorker")[0]
    assert "learning" not in r.row("IdleWorker")[0]
    assert perf(r, "Payments/StuckWorker", "pending") == 0
    assert perf(r, "Payments/GrowingWorker", "growth") is None

    r = c.at(STEP)
    assert "first run" not in r.status
    assert "learning, 2 of 3 samples" in r.row("StuckWorker")[0]


def test_rates_wait_for_three_samples_a_minute_apart(check):
    c = check(pay(rate("GrowingWorker", 10, 60)))
    for t in (0, 10, 20, 30):
        r = c.at(t, "--growth-warning", "~:2")
        assert r.code == 0, "rates from samples %d s apart" % t
        assert perf(r, "Payments/GrowingWorker", "growth") is None
    r = c.at(MIN, "--growth-warning", "~:2")
    assert r.code == 1
    assert perf(r, "Payments/GrowingWorker", "growth") == 60.0


# =============================================================== trends

def test_draining_queue_is_ok_and_shows_drain_minutes(check):
    c = check(pay(rate("DrainWorker", 120, -2), IDLE))
    for t in AN_HOUR:
        r = c.at(t, "-w", "15m", "-c", "1h", "--growth-warning", "~:2",
                 "--drain-critical", "120")
        assert r.code == 0, r.stdout
        assert perf(r, "Payments/DrainWorker", "pending") == 0
        count = max(0, 120 - 2 * t // MIN)
        if t < 2 * STEP:
            assert perf(r, "Payments/DrainWorker", "drain") is None
            continue
        assert perf(r, "Payments/DrainWorker", "growth") == -2.0
        assert perf(r, "Payments/DrainWorker", "drain") == \
            pytest.approx(count / 2, abs=0.05)
    assert perf(r, "Payments/DrainWorker", "drain") == 0.0


def test_slow_drain_alerts_until_it_is_fast_enough(check):
    c = check(pay(rate("DrainWorker", 120, -2)))
    states = {}
    for t in AN_HOUR:
        r = c.at(t, "--drain-warning", "30")
        states[t] = r.code
        if t == 2 * STEP:
            assert "Payments/DrainWorker drains in 50 min (warn 30)" in \
                r.status
    # 100 left at 2/min is 50 minutes; 60 left is 30, inside 0..30.
    assert [states[t] for t in AN_HOUR] == \
        [0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]


@pytest.mark.parametrize("option,code", [("--growth-warning", 1),
                                         ("--growth-critical", 2)])
def test_growing_queue_alerts_on_growth(check, option, code):
    c = check(pay(rate("GrowingWorker", 10, 3), IDLE))
    for t in AN_HOUR:
        r = c.at(t, option, "~:2")
        if t < 2 * STEP:
            assert r.code == 0
            continue
        assert r.code == code
        assert "Payments/GrowingWorker growing +3.0/min" in r.status
        assert perf(r, "Payments/GrowingWorker", "growth") == 3.0
        p = r.perf_by_label["Payments/GrowingWorker/growth"]
        assert (p.warn if code == 1 else p.crit) == "~:2"
        assert perf(r, "Payments/GrowingWorker", "drain") is None


def test_queue_that_never_drains_counts_as_infinite(check):
    c = check(pay(rate("GrowingWorker", 10, 3)))
    for t in (0, STEP, 2 * STEP):
        r = c.at(t, "--drain-warning", "600")
    assert r.code == 1
    assert "Payments/GrowingWorker never drains" in r.status
    assert perf(r, "Payments/GrowingWorker", "drain") is None


def test_growth_below_the_range_is_ok(check):
    c = check(pay(rate("GrowingWorker", 10, 1)))
    for t in AN_HOUR:
        r = c.at(t, "--growth-warning", "~:2", "--growth-critical", "~:5")
        assert r.code == 0


# ============================================================== stalled

@pytest.mark.parametrize("entry", [
    STUCK,
    worker("StuckWorker", "some"),
    timeline("StuckWorker", [(0, 7), (HOUR, 7)]),
], ids=["constant", "some", "timeline"])
def test_stuck_row_warns_then_goes_critical(check, entry):
    c = check(pay(entry, IDLE))
    for t in range(0, HOUR + 4 * STEP + 1, STEP):
        r = c.at(t, "-w", "15m", "-c", "1h")
        want = expected_stall_state(t)
        assert r.status.split()[2] == want, (t, r.status)
        assert perf(r, "Payments/StuckWorker", "pending") == t
        p = r.perf_by_label["Payments/StuckWorker/pending"]
        assert (p.uom, p.warn, p.crit) == ("s", "900", "3600")
        if want != "OK":
            assert "Payments/StuckWorker stalled" in r.status
        assert row_state(r, "IdleWorker") == "OK"
    assert "stalled 1h 20m (crit 1h 00m)" in r.status


def test_busy_worker_with_constant_count_is_never_stalled(check):
    c = check(pay(BUSY, STUCK))
    for t in range(0, 2 * HOUR + 1, STEP):
        r = c.at(t, "-w", "15m", "-c", "1h")
        assert row_state(r, "BusyWorker") == "OK"
        assert perf(r, "Payments/BusyWorker", "pending") == 0
    assert "BusyWorker" not in r.status
    assert "StuckWorker" in r.status


def test_stall_starts_when_processing_stops(check):
    c = check(pay(timeline("W", [(0, 9)], processingTimeline=[
        [T0, "shop1.example.com"], [T0 + 30 * MIN, None]])))
    for t in range(0, HOUR + 1, STEP):
        r = c.at(t, "-w", "15m")
        stalled_for = max(0, t - 30 * MIN)
        assert perf(r, "Payments/W", "pending") == stalled_for
        assert r.code == (1 if stalled_for > 15 * MIN else 0), t


def test_falling_count_restarts_the_stall(check):
    c = check(pay(timeline("W", [(0, 10), (20 * MIN, 9), (50 * MIN, 12)])))
    pending = {}
    for t in range(0, HOUR + 1, STEP):
        pending[t] = perf(c.at(t, "-w", "15m"), "Payments/W", "pending")
    # The fall to 9 restarts the clock; the rise to 12 does not.
    assert pending[15 * MIN] == 15 * MIN
    assert pending[20 * MIN] == 0
    assert pending[45 * MIN] == 25 * MIN
    assert pending[HOUR] == 40 * MIN


def test_queue_emptied_and_refilled_starts_again(check):
    c = check(pay(timeline("W", [(0, 4), (30 * MIN, 0), (35 * MIN, 4)])))
    for t in range(0, 45 * MIN + 1, STEP):
        r = c.at(t, "-w", "15m")
    assert perf(r, "Payments/W", "pending") == 10 * MIN
    assert r.code == 0


# ============================================================== tenants

def test_tenants_gives_rows_per_worker_and_tenant(check):
    doc = small_scenario([{
        "displayName": "SyncWorker",
        "tenantBeingProcessed": "shop1.example.com",
        "tenants": [
            {"name": "Shop One AS", "domain": "shop1.example.com",
             "runCount": 4, "processing": True},
            {"name": "Shop Two AS", "domain": "shop2.example.com",
             "runCount": 3, "processing": False}]}], service="Financial")
    c = check(doc, "--tenants", "-w", "15m", "-c", "1h")
    for t in range(0, 20 * MIN + 1, STEP):
        r = c.at(t)
    labels = {p.label for p in r.perf if p.label.count("/") == 3}
    assert labels == {"Financial/SyncWorker/shop%d.example.com/%s" % (n, w)
                      for n in (1, 2) for w in ("pending", "growth",
                                                "drain")}
    assert r.code == 1
    assert "Financial/SyncWorker/shop2.example.com stalled 20m" in r.status
    assert row_state(r, "shop1.example.com") == "OK"
    _, rows = read_state(c.state_file())
    assert set(rows) == {key("SyncWorker", "Financial", "shop1.example.com"),
                         key("SyncWorker", "Financial", "shop2.example.com")}

    # Per worker, the same worker is busy: not stalled, another file.
    w = Check(c.sim, c.state_dir, ["-s", "Financial", "-w", "15m"])
    w.at(25 * MIN)
    r = w.at(40 * MIN)
    assert r.code == 0
    assert len(state_files(c.state_dir)) == 2


def test_tenant_processing_timeline(check):
    doc = small_scenario([{
        "displayName": "SyncWorker",
        "tenants": [{"domain": "shop1.example.com",
                     "timeline": [[T0, 5]],
                     "processingTimeline": [[T0, True],
                                            [T0 + 10 * MIN, False]]}]}])
    c = check(doc, "--tenants", "-w", "15m")
    for t in range(0, 30 * MIN + 1, STEP):
        r = c.at(t)
    assert perf(r, "Payments/SyncWorker/shop1.example.com", "pending") == \
        20 * MIN
    assert r.code == 1


# ========================================================== state file

def test_state_file_is_private_and_valid(check):
    c = check(pay(STUCK, IDLE, BUSY))
    old = os.umask(0)
    try:
        c.at(0)
        c.at(STEP)
    finally:
        os.umask(old)
    path = c.state_file()
    for p in (path, path + ".lock"):
        if os.path.exists(p):
            assert stat.S_IMODE(os.stat(p).st_mode) == 0o600, p
    saved, rows = read_state(path)
    assert saved == T0 + STEP
    assert set(rows) == {key("StuckWorker"), key("IdleWorker"),
                         key("BusyWorker")}
    assert rows[key("StuckWorker")] == (T0, T0 + STEP,
                                        [(T0, 7), (T0 + STEP, 7)])
    assert rows[key("BusyWorker")][0] == -1
    # No temporary file is left behind.
    assert set(os.listdir(c.state_dir)) <= {os.path.basename(path),
                                            os.path.basename(path) + ".lock"}


def test_samples_are_capped_per_row(check):
    c = check(pay(STUCK))
    for t in range(0, 40 * MIN + 1, MIN):
        c.at(t)
    _, rows = read_state(c.state_file())
    samples = rows[key("StuckWorker")][2]
    assert len(samples) == SAMPLES
    assert samples[-1] == (T0 + 40 * MIN, 7)
    assert rows[key("StuckWorker")][0] == T0  # the stall is kept


def test_hostile_names_survive_the_file(check):
    names = ["Name with spaces", "100% done", "tab\there", "new\nline",
             "pipe|and'quote", "Æøå ünïcødé"]
    c = check(pay(*[worker(n, 3) for n in names]))
    c.at(0)
    r = c.at(STEP)
    assert "first run" not in r.status
    assert "corrupt" not in r.status
    _, rows = read_state(c.state_file())
    assert set(rows) == {key(n) for n in names}
    for k in rows:
        assert len(rows[k][2]) == 2


def test_tab_in_names_does_not_merge_two_rows(check):
    doc = pay({"displayName": "A\tB",
               "tenants": [{"domain": "C", "runCount": 5}]},
              {"displayName": "A",
               "tenants": [{"domain": "B\tC", "runCount": 0}]})
    c = check(doc, "--tenants", "-w", "15m")
    for t in range(0, 20 * MIN + 1, STEP):
        r = c.at(t)
    _, rows = read_state(c.state_file())
    assert len(rows) == 2
    assert r.code == 1


def good_file(check):
    """A Check with a valid state file from one run at T0."""
    c = check(pay(STUCK, IDLE), "-w", "1s", "-c", "2s")
    c.at(0)
    with open(c.state_file()) as f:
        return c, f.read()


def cut_in_key(text):
    return text[:text.rindex("Payments%09") + 6]


CORRUPT = {
    "garbage": lambda text: "hello, world\n",
    "binary": lambda text: bytes(range(256)) * 8,
    "empty": lambda text: "",
    "only the header": lambda text: MAGIC + "\n",
    "cut in the header": lambda text: text[:15],
    "cut in a key": cut_in_key,
    "cut in a sample": lambda text: text[:text.rindex(":") + 1],
    "version 2": lambda text: text.replace(MAGIC, "sapera-stalled-state 2"),
    "version 0": lambda text: text.replace(MAGIC, "sapera-stalled-state 0"),
    "other magic": lambda text: text.replace("stalled", "stolen", 1),
    "no saved line": lambda text: re.sub(r"saved \d+\n", "", text),
    "unknown record": lambda text: text + "x 1 2 3 4\n",
    "extra field": lambda text: text.replace(":7\n", ":7 more\n"),
    "bad escape": lambda text: text.replace("%09", "%0G", 1),
    "negative count": lambda text: text.replace(":7\n", ":-7\n"),
    "bad count": lambda text: text.replace(":7\n", ":seven\n"),
    "bad sample": lambda text: text.replace(":7\n", ":7,oops\n"),
    "saved not a number": lambda text: re.sub(r"saved \d+", "saved soon",
                                              text),
}


@pytest.mark.parametrize("how", list(CORRUPT))
def test_corrupt_state_file_is_noted_and_rewritten(check, how):
    c, text = good_file(check)
    data = CORRUPT[how](text)
    with open(c.state_file(), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    r = c.at(STEP)
    assert r.code == 0, r.stdout
    assert "corrupt" in r.status
    saved, rows = read_state(c.state_file())
    assert saved == T0 + STEP
    assert rows[key("StuckWorker")] == (T0 + STEP, T0 + STEP,
                                        [(T0 + STEP, 7)])
    r = c.at(2 * STEP)
    assert "corrupt" not in r.status


@pytest.mark.parametrize("field", ["x", "12abc"])
def test_corrupt_entry_times_are_noted_not_alarmed(check, field):
    c, text = good_file(check)
    text = re.sub(r"^e %d " % T0, "e %s " % field, text, flags=re.M)
    with open(c.state_file(), "w") as f:
        f.write(text)
    r = c.at(STEP)
    assert r.code == 0, r.stdout
    assert "corrupt" in r.status


def test_file_cut_after_a_whole_entry_is_not_noticed(check):
    """The format has no end mark: a file cut between entries reads as
    valid, and the rows after the cut start again."""
    c, text = good_file(check)
    lines = text.split("\n")
    assert lines[2].startswith("e ") and "StuckWorker" in lines[2]
    with open(c.state_file(), "w") as f:
        f.write("\n".join(lines[:3]) + "\n")
    r = c.at(MIN)
    assert "corrupt" not in r.status
    assert perf(r, "Payments/StuckWorker", "pending") == MIN
    _, rows = read_state(c.state_file())
    assert len(rows[key("StuckWorker")][2]) == 2
    assert len(rows[key("IdleWorker")][2]) == 1


def test_clock_going_back_is_noted_not_alarmed(check):
    c = check(pay(STUCK, rate("GrowingWorker", 10, 3)), "-w", "15m", "-c",
              "1h", "--growth-warning", "~:20")
    for t in (0, STEP, 2 * STEP):
        r = c.at(t)
        assert r.code == 0
    r = c.at(-HOUR)
    assert r.code == 0, r.stdout
    assert "clock went back %d s" % (HOUR + 2 * STEP) in r.status
    assert perf(r, "Payments/StuckWorker", "pending") == 0
    assert perf(r, "Payments/GrowingWorker", "growth") is None
    saved, rows = read_state(c.state_file())
    assert saved == T0 - HOUR
    assert all(len(v[2]) == 1 for v in rows.values())
    # From there on time runs forward again without a note.
    for t in range(-HOUR + STEP, -HOUR + 15 * MIN + 1, STEP):
        r = c.at(t)
        assert r.code == 0
        assert "clock" not in r.status
    assert perf(r, "Payments/StuckWorker", "pending") == 15 * MIN


def test_clock_going_back_a_little_is_noted_too(check):
    c = check(pay(STUCK), "-w", "15m")
    for t in range(0, 20 * MIN + 1, STEP):
        r = c.at(t)
    assert r.code == 1
    r = c.at(20 * MIN - 30)
    assert "clock went back 30 s" in r.status
    assert r.code == 0  # the history is gone, the stall with it


def test_same_second_twice_is_not_a_clock_going_back(check):
    c = check(pay(STUCK))
    c.at(0)
    r = c.at(0)
    assert "clock" not in r.status and "corrupt" not in r.status


@pytest.mark.parametrize("which", ["state", "lock", "dangling"])
def test_symlink_is_not_followed(check, tmp_path, which):
    c, _ = good_file(check)
    path = c.state_file()
    target = tmp_path / "elsewhere" / "precious"
    target.parent.mkdir()
    if which != "dangling":
        target.write_text("precious\n")
        os.chmod(target, 0o644)
    before = os.lstat(target) if which != "dangling" else None
    link = path + ".lock" if which == "lock" else path
    os.unlink(link)
    os.symlink(target, link)

    r = c.at(STEP)
    # A planted lock symlink leaves the check without history: UNKNOWN.
    assert r.code == (3 if which == "lock" else 0), r.stdout
    if which == "dangling":
        assert not os.path.lexists(target)
    else:
        assert target.read_text() == "precious\n"
        after = os.lstat(target)
        assert (after.st_mtime_ns, after.st_mode) == \
            (before.st_mtime_ns, before.st_mode)
    if which == "lock":
        assert os.path.islink(link)
        assert "no history" in r.status
    else:
        assert not os.path.islink(path)
        saved, _ = read_state(path)
        assert saved == T0 + STEP


def test_vanished_worker_expires(check):
    c = check(pay(STUCK, worker("GoneWorker", 2)), "--expire", "30m")
    c.at(0)
    c.at(STEP)
    c.sim.load(pay(STUCK))
    for t, kept in ((10 * MIN, True), (20 * MIN, True), (35 * MIN, True),
                    (40 * MIN, False)):
        c.at(t)
        _, rows = read_state(c.state_file())
        assert (key("GoneWorker") in rows) == kept, t
        assert key("StuckWorker") in rows
    assert rows[key("StuckWorker")][0] == T0
    # Back after it was forgotten: a new row that learns again.
    c.sim.load(pay(STUCK, worker("GoneWorker", 2)))
    r = c.at(45 * MIN, "-w", "15m")
    assert "learning, 1 of 3" in r.row("GoneWorker")[0]
    assert perf(r, "Payments/GoneWorker", "pending") == 0


def test_default_expiry_is_a_day(check):
    c = check(pay(STUCK, worker("GoneWorker", 2)))
    c.at(0)
    c.sim.load(pay(STUCK))
    c.at(24 * HOUR)
    assert key("GoneWorker") in read_state(c.state_file())[1]
    c.at(24 * HOUR + 1)
    assert key("GoneWorker") not in read_state(c.state_file())[1]


# ======================================================== at the same time

def start(c, now, extra=()):
    env = {"LC_ALL": "C", "SAPERA_NOW": str(now)}
    env.update({k: os.environ[k] for k in PASSED_ENV if k in os.environ})
    args = ["--base-url", c.sim.url, "--state-dir", c.state_dir, *c.args,
            *extra]
    p = subprocess.Popen([*WRAPPER, os.path.join(PLUGIN_DIR, PLUGIN),
                          *args], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                         env=env)
    return p, args


def finish(started):
    results = []
    for p, args in started:
        out, err = p.communicate(timeout=60 * SLOWDOWN)
        results.append(check_run(
            subprocess.CompletedProcess(args, p.returncode, out, err), args))
    return results


CROWD = pay(STUCK, IDLE, BUSY, rate("GrowingWorker", 10, 3),
            worker("SomeWorker", "some"))
CROWD_KEYS = {key(n) for n in ("StuckWorker", "IdleWorker", "BusyWorker",
                               "GrowingWorker", "SomeWorker")}


def test_ten_runs_at_once_at_the_same_time(check):
    c = check(CROWD, "-w", "15m")
    set_clock(c.sim, T0)
    results = finish([start(c, T0) for _ in range(10)])
    for r in results:
        assert r.code == 0, r.stdout
        assert not re.search(r"\block", r.stdout, re.I), r.stdout
        assert "no history:" not in r.status
        assert "not saved" not in r.status
    assert sum("first run" in r.status for r in results) == 1
    saved, rows = read_state(c.state_file())
    assert saved == T0
    assert set(rows) == CROWD_KEYS
    for k, (_, _, samples) in rows.items():
        assert len(samples) == 10, k
        assert {t for t, _ in samples} == {T0}


def test_ten_runs_at_once_at_different_times(check):
    c = check(CROWD, "-w", "15m")
    set_clock(c.sim, T0)
    nows = [T0 + 7 * i for i in range(10)]
    results = finish([start(c, now) for now in nows])
    for r in results:
        assert r.code == 0, r.stdout
        assert not re.search(r"\block", r.stdout, re.I), r.stdout
        assert "no history:" not in r.status
        assert "not saved" not in r.status
    saved, rows = read_state(c.state_file())
    assert saved in nows
    assert set(rows) == CROWD_KEYS
    for k, (_, seen, samples) in rows.items():
        assert samples and {t for t, _ in samples} <= set(nows), k
        assert seen == saved
    # And the next run reads it as the history it is.
    r = c.at(HOUR)
    assert "corrupt" not in r.status and "first run" not in r.status


# ============================================================= identity

def test_state_dir_from_mp_state_path(check, tmp_path):
    c = check(pay(STUCK), state_dir=None)
    mp = tmp_path / "mp"
    mp.mkdir()
    r = c.at(0, env={"MP_STATE_PATH": str(mp)})
    assert "first run" in r.status
    r = c.at(STEP, env={"MP_STATE_PATH": str(mp)})
    assert "first run" not in r.status
    assert read_state(the_state_file(str(mp)))[0] == T0 + STEP

    # --state-dir wins over MP_STATE_PATH.
    own = tmp_path / "own"
    own.mkdir()
    r = c.at(2 * STEP, "--state-dir", str(own),
             env={"MP_STATE_PATH": str(mp)})
    assert "first run" in r.status
    assert read_state(the_state_file(str(own)))[0] == T0 + 2 * STEP
    assert read_state(the_state_file(str(mp)))[0] == T0 + STEP


SAME_IDENTITY = [
    (["-w", "15m"], ["-w", "1h", "-c", "2h", "--growth-warning", "~:5",
                     "--window", "30m", "--expire", "2h", "-v"]),
    (["-s", "Payments"], ["-s", "payments"]),
]

DIFFERENT_IDENTITY = [
    (["-s", "Payments"], ["-s", "Pos"]),
    (["-s", "Payments"], ["-s", "Payments,Pos"]),
    (["--worker", "Stuck*"], ["--worker", "Idle*"]),
    ([], ["--worker", "*"]),
    ([], ["--tenants"]),
    (["--tenants"], ["--tenants", "--tenant", "shop1*"]),
    (["--tenants", "--tenant", "shop1*"],
     ["--tenants", "--tenant", "shop2*"]),
    ([], ["--base-url=PREFIX"]),
]


def identity_files(check, first, second):
    c = check(pay(STUCK, IDLE), services=False)
    files = []
    for extra in (first, second):
        extra = [a.replace("--base-url=PREFIX",
                           "--base-url=%s/sapera" % c.sim.url)
                 for a in extra]
        c.at(0, *extra)
        files.append(set(state_files(c.state_dir)))
    return files


@pytest.mark.parametrize("first,second", SAME_IDENTITY,
                         ids=lambda a: " ".join(a) or "none")
def test_thresholds_do_not_change_the_state_file(check, first, second):
    before, after = identity_files(check, first, second)
    assert len(before) == 1 and after == before


@pytest.mark.parametrize("first,second", DIFFERENT_IDENTITY,
                         ids=lambda a: " ".join(a) or "none")
def test_different_filters_use_different_state_files(check, first, second):
    before, after = identity_files(check, first, second)
    assert len(before) == 1 and len(after) == 2


@pytest.mark.parametrize("first,second", [
    (["--worker", "Stuck*"], ["--exclude-worker", "Stuck*"]),
    (["--worker", "Stuck*", "--exclude-worker", "Idle*"],
     ["--worker", "Stuck*", "--worker", "Idle*"]),
    (["--tenants", "--tenant", "shop1*"],
     ["--tenants", "--exclude-tenant", "shop1*"]),
], ids=lambda a: " ".join(a))
def test_include_and_exclude_filters_use_different_state_files(
        check, first, second):
    before, after = identity_files(check, first, second)
    assert len(before) == 1 and len(after) == 2



def test_learning_says_what_it_waits_for(scenario, tmp_path):
    # Runs seconds apart reach three samples before a minute has passed:
    # the note must not count past its goal ("4 of 3 samples").
    url = scenario(small_scenario([worker("Busy", 5,
                                          tenantBeingProcessed="a")]))
    args = ("--base-url", url, "-s", "Payments", "--state-dir",
            str(tmp_path), "-w", "15m", "-c", "1h", "-v")
    notes = [stalled(*args, now=T0 + 10 * i).stdout for i in range(4)]
    assert "learning, 1 of 3 samples" in notes[0]
    assert "learning, 2 of 3 samples" in notes[1]
    assert "learning, samples span 20s of 60s" in notes[2]
    assert "learning, samples span 30s of 60s" in notes[3]
    assert "of 3 samples" not in notes[3]


def test_tenant_globs_need_tenants(tmp_path):
    r = subprocess.run([os.path.join(PLUGIN_DIR, PLUGIN), "--base-url",
                        "http://127.0.0.1:1", "--state-dir", str(tmp_path),
                        "--tenant", "shop*"], capture_output=True,
                       text=True, timeout=30)
    assert r.returncode == 3
    assert "need --tenants" in r.stdout.splitlines()[0]
    assert r.stderr == ""
