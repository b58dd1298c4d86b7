"""Shared pieces of the end-to-end suite.

One simulator (contrib/simulator/sapera-sim) serves the whole session;
each test loads the scenario it needs with the `scenario` fixture and
runs the built plugin through run(), which checks the output rules that
hold for every run of a check_sapera_* plugin: exit code 0..3, nothing
on stderr, a status line naming the state that matches the exit code,
perfdata that a monitoring core can parse.

SAPERA_BUILDDIR (where plugins/ is built) and SAPERA_SRCDIR (the source
tree) come from tests/e2e/run-pytest.sh; by hand they default to the
tree this file is in.

SAPERA_PLUGIN_WRAPPER, if set, is a command line put in front of every
plugin run, e.g.

    SAPERA_PLUGIN_WRAPPER="valgrind --leak-check=full --error-exitcode=99
        --errors-for-leak-kinds=definite -q" tests/e2e/run-pytest.sh

Exit code 99 then fails the test with the wrapper's report, stderr may
hold valgrind's own lines (==PID== ...) and nothing else, and tests
marked `timing` (they measure elapsed time or use deadlines of a second
or two) are skipped.

SAPERA_TAP=1 adds TAP for automake's test driver to pytest's output:
one `ok N - nodeid` or `not ok N - nodeid` line per test and the plan
`1..N` at the end.
"""

import base64
import collections
import copy
import ctypes
import json
import os
import re
import shlex
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.environ.get("SAPERA_SRCDIR") or os.path.dirname(
    os.path.dirname(HERE))
BUILDDIR = os.environ.get("SAPERA_BUILDDIR") or SRCDIR

PLUGIN_DIR = os.path.join(BUILDDIR, "plugins")
PLUGIN = os.path.join(PLUGIN_DIR, "check_sapera_workers")
SIMULATOR = os.path.join(SRCDIR, "contrib", "simulator", "sapera-sim")
DEFAULT_SCENARIO = os.path.join(SRCDIR, "contrib", "simulator",
                                "default.json")

LABEL = "SAPERA WORKERS"
# Every plugin and the prefix of its status line.
LABELS = {
    "check_sapera_workers": "SAPERA WORKERS",
    "check_sapera_tenants": "SAPERA TENANTS",
    "check_sapera_services": "SAPERA SERVICES",
}
STATES = ("OK", "WARNING", "CRITICAL", "UNKNOWN")
SERVICES = ("Financial", "Inventory", "Accounting", "Actors",
            "Communication", "Pos", "Reports", "WebShop", "Payments")

# Sanitizer builds read their settings from these; keep them so the
# same suite runs under AddressSanitizer and UBSan.
PASSED_ENV = ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS")

# A command such as valgrind that every plugin run goes through; for
# valgrind, with the suppressions of leaks outside the plugins.
WRAPPER = shlex.split(os.environ.get("SAPERA_PLUGIN_WRAPPER", ""))
if WRAPPER and os.path.basename(WRAPPER[0]) == "valgrind":
    WRAPPER.insert(1, "--suppressions=%s" % os.path.join(
        HERE, "valgrind.supp"))
WRAPPER_FAILED = 99  # the --error-exitcode the wrapper is given
# valgrind -q writes only lines of this form.
WRAPPER_LINE = re.compile(r"==\d+==( .*)?")
# A wrapper slows the plugin down; subprocess deadlines grow with it.
SLOWDOWN = 20 if WRAPPER else 1


# ---------------------------------------------------------------- simulator

def die_with_parent():
    """Have Linux stop the simulator if pytest itself is killed."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Simulator:
    """A sapera-sim process listening on a free loopback port."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.proc = None
        self.url = None
        self.log = os.path.join(workdir, "sim.log")

    def start(self, *extra):
        ready = os.path.join(self.workdir, "ready")
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, SIMULATOR, "--port", "0",
                 "--ready-file", ready, *extra],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=log, preexec_fn=die_with_parent)
        deadline = time.monotonic() + 15
        while not (os.path.exists(ready) and os.path.getsize(ready)):
            if self.proc.poll() is not None:
                raise RuntimeError("sapera-sim exited with %d: %s" % (
                    self.proc.returncode, self.log_text()))
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("sapera-sim did not get ready")
            time.sleep(0.05)
        with open(ready) as f:
            self.url = f.read().strip()
        return self

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def trust(self, cafile):
        """Verify an HTTPS simulator's certificate against `cafile`."""
        ctx = ssl.create_default_context(cafile=cafile)
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPSHandler(context=ctx))

    def log_text(self):
        with open(self.log, errors="replace") as f:
            return f.read()[-2000:]

    # No proxy from the environment may stand between us and loopback.
    _opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def _request(self, method, path, body=None):
        req = urllib.request.Request(self.url + path, data=body,
                                     method=method)
        try:
            with self._opener.open(req, timeout=10) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def load(self, doc):
        """Serve the scenario `doc` (a dict) from now on."""
        status, body = self._request("PUT", "/_sim/scenario",
                                     json.dumps(doc).encode("utf-8"))
        assert status == 204, "scenario refused: %r" % body[:300]

    def clear_requests(self):
        self._request("DELETE", "/_sim/requests")

    def requests(self):
        return json.loads(self._request("GET", "/_sim/requests")[1])


@pytest.fixture(scope="session")
def sim_factory(tmp_path_factory):
    """Start extra simulators; all are stopped when the session ends."""
    started = []

    def start(*extra):
        workdir = str(tmp_path_factory.mktemp("sim"))
        sim = Simulator(workdir)
        started.append(sim)
        return sim.start(*extra)

    yield start
    for sim in started:
        sim.stop()


@pytest.fixture(scope="session")
def sim(sim_factory):
    """The simulator that the whole session shares."""
    return sim_factory()


@pytest.fixture
def scenario(sim):
    """Load a scenario before the test runs; returns the base URL.

    Call it with a dict from default_scenario() or small_scenario(); with
    no argument it loads the default scenario.
    """
    def load(doc=None):
        sim.load(default_scenario() if doc is None else doc)
        sim.clear_requests()
        return sim.url

    return load


# ---------------------------------------------------------------- scenarios

def stalled_large_scenario():
    """Bodies of about 4.6 MiB a service, past the size from which they
    are read one at a time; Financial sends 4.3 MiB at once, then a byte
    a second, and Inventory and Accounting start 0.3 s later, so that
    they wait behind it."""
    late = {"delay": 0.3}
    return {"scale": "30:1700", "services": {
        "Financial": {"fault": {"kind": "trickle", "after": 4500000}},
        "Inventory": late, "Accounting": late}}


def default_scenario(**services):
    """contrib/simulator/default.json, with service settings replaced.

    default_scenario(Payments={"fault": {"kind": "empty"}}) updates the
    keys given for each named service and keeps the rest.
    """
    with open(DEFAULT_SCENARIO) as f:
        doc = json.load(f)
    for name, keys in services.items():
        doc["services"][name].update(copy.deepcopy(keys))
    return doc


def worker_of(doc, service, name):
    """The worker dict called `name` in `service` of a scenario."""
    for w in doc["services"][service]["workers"]:
        if w["displayName"] == name:
            return w
    raise KeyError("%s/%s" % (service, name))


def worker(name, run_count=0, **keys):
    """One worker entry as the services write it (camelCase)."""
    w = {"displayName": name, "tenantBeingProcessed": None,
         "runCount": run_count}
    w.update(keys)
    return w


def small_scenario(workers, service="Payments", **keys):
    """A scenario with one service holding `workers`.

    `workers` holds worker() dicts or (name, runCount) pairs; further
    keyword arguments are service settings such as style or fault.
    """
    entries = [w if isinstance(w, dict) else worker(*w) for w in workers]
    svc = {"workers": entries}
    svc.update(keys)
    return {"services": {service: svc}}


def raw_scenario(body, service="Payments", **fault):
    """A scenario where `service` answers exactly `body` (str or bytes)."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    fault.update(kind="raw", base64=base64.b64encode(data).decode())
    return {"services": {service: {"fault": fault}}}


def workers_body(*workers):
    """A camelCase body whose workers are given as JSON text, so that
    literals such as 1.50 or 1e3 reach the plugin as written."""
    return '{"service": "Payments", "workers": [%s]}' % ", ".join(workers)


# ----------------------------------------------------------------- perfdata

PERF_NUM = r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
PERF_RANGE = re.compile(r"@?(?:~|%s)?(?::(?:%s)?)?" % (PERF_NUM, PERF_NUM))
PERF_ITEM = re.compile(
    r"'(?P<label>[^'=\s]+)'=(?P<value>U|%s)(?P<uom>[A-Za-z%%]*)"
    r"(?:;(?P<warn>[^;]*)(?:;(?P<crit>[^;]*)(?:;(?P<min>[^;]*)"
    r"(?:;(?P<max>[^;]*))?)?)?)?" % PERF_NUM)

Perf = collections.namedtuple("Perf", "label value uom warn crit min max")


def perf_split(text):
    """Split perfdata on spaces that are outside single quotes."""
    items = []
    cur = ""
    quoted = False
    for ch in text:
        if ch == "'":
            quoted = not quoted
        if ch == " " and not quoted:
            if cur:
                items.append(cur)
            cur = ""
        else:
            cur += ch
    assert not quoted, "unbalanced quote in perfdata: %r" % text[:200]
    if cur:
        items.append(cur)
    return items


def perf_parse(text):
    """Parse perfdata into a list of Perf; fail on any malformed item."""
    out = []
    for item in perf_split(text):
        m = PERF_ITEM.fullmatch(item)
        assert m, "malformed perfdata item %r" % item
        assert "::" not in m["label"], "'::' in label %r" % item
        for key in ("warn", "crit"):
            if m[key]:
                assert PERF_RANGE.fullmatch(m[key]), \
                    "bad %s range in %r" % (key, item)
        for key in ("min", "max"):
            if m[key]:
                assert re.fullmatch(PERF_NUM, m[key]), \
                    "bad %s in %r" % (key, item)
        out.append(Perf(m["label"], m["value"], m["uom"], m["warn"] or "",
                        m["crit"] or "", m["min"] or "", m["max"] or ""))
    return out


# ------------------------------------------------------------------ running

class Result(collections.namedtuple("Result", "code stdout stderr")):
    """What a plugin run gave; unpacks as (exit code, stdout, stderr).

    From -vv on the plugin may print debug lines before its status line;
    they are in .debug, and .lines starts at the status line.
    """

    debug = ()

    @property
    def lines(self):
        return self.stdout.split("\n")[len(self.debug):]

    @property
    def status(self):
        """The first line without its perfdata."""
        return self.lines[0].split(" | ", 1)[0]

    @property
    def long(self):
        """Everything after the first line."""
        return "\n".join(self.lines[1:])

    @property
    def perf(self):
        """The perfdata items of the first line, as a list of Perf."""
        parts = self.lines[0].split(" | ", 1)
        return perf_parse(parts[1]) if len(parts) == 2 else []

    @property
    def perf_by_label(self):
        return {p.label: p for p in self.perf}

    def row(self, name):
        """The long-output lines that mention `name`."""
        return [l for l in self.lines[1:] if name in l]


def check_status_output(r, label=LABEL):
    """The rules every status output of a check_sapera_* plugin keeps."""
    assert r.stdout.strip(), "no output"
    first = r.lines[0]
    assert first.count(" | ") <= 1, "more than one ' | ': %r" % first
    if " | " not in first:
        assert "|" not in first, "stray '|' in %r" % first
    else:
        assert "|" not in first.split(" | ", 1)[0], "'|' in %r" % first
    for line in r.lines[1:]:
        assert "|" not in line, "'|' after the first line: %r" % line
    m = re.match(r"%s (OK|WARNING|CRITICAL|UNKNOWN)\b" % label, first)
    assert m, "%r does not start with a status" % first[:120]
    assert m.group(1) == STATES[r.code], "%s with exit code %d" % (
        m.group(1), r.code)
    r.perf  # parses, or fails the test


def check_json_output(r, label=LABEL):
    """--output-format json: one JSON document whose state is the exit
    code's; it is in r.json afterwards."""
    try:
        r.json = json.loads(r.stdout)
    except ValueError as e:
        pytest.fail("output is not JSON (%s): %r" % (e, r.stdout[:300]))
    doc = r.json
    assert isinstance(doc, dict), "JSON output is not an object"
    assert doc.get("state") == STATES[r.code], "state %r, exit code %d" % (
        doc.get("state"), r.code)
    assert doc.get("exit_code") == r.code
    assert doc.get("summary", "").startswith(
        "%s %s" % (label, STATES[r.code]))


def verbosity(args):
    """How many -v the command line holds."""
    n = 0
    for a in args:
        if a == "--verbose":
            n += 1
        elif re.fullmatch(r"-v+", a):
            n += len(a) - 1
    return n


def output_format(args):
    """The --output-format the command line asks for."""
    fmt = "text"
    for i, a in enumerate(args):
        if a.startswith("--output-format="):
            fmt = a.split("=", 1)[1]
        elif a == "--output-format" and i + 1 < len(args):
            fmt = args[i + 1]
    return fmt


def split_debug(r, label):
    """From -vv on, the lines before the status line are debug lines; each
    says where it comes from ("[Service] ...")."""
    lines = r.stdout.split("\n")
    for i, line in enumerate(lines):
        if line.startswith(label + " "):
            break
        assert line.startswith("["), "debug line without its origin: " \
            "%r" % line[:200]
    else:
        pytest.fail("no status line in %r" % r.stdout[-500:])
    r.debug = tuple(lines[:i])


def check_wrapper_stderr(r, args):
    """Under a wrapper: exit code 99 is its error report; otherwise
    stderr may hold the wrapper's own lines and nothing else."""
    if r.code == WRAPPER_FAILED:
        pytest.fail("%s reported errors for %s:\n%s" % (
            WRAPPER[0], " ".join(args), r.stderr[-6000:]))
    other = [l for l in r.stderr.splitlines()
             if not WRAPPER_LINE.fullmatch(l)]
    assert not other, "stderr: %r" % "\n".join(other)[:500]


def run(*args, plugin="check_sapera_workers", timeout=30, env=None,
        status_line=True):
    """Run a check_sapera_* plugin with `args` in a clean environment.

    Returns a Result (code, stdout, stderr), with .elapsed and .raw (the
    stdout bytes). Every run must exit 0..3 with nothing on stderr and
    some valid UTF-8 on stdout; unless status_line is false (--help,
    --version), the output must also follow check_status_output(), or
    check_json_output() with --output-format json.
    """
    label = LABELS[plugin]
    clean = {"LC_ALL": "C"}
    clean.update({k: os.environ[k] for k in PASSED_ENV if k in os.environ})
    clean.update(env or {})
    cmd = [*WRAPPER, os.path.join(PLUGIN_DIR, plugin), *args]
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, env=clean,
                           timeout=timeout * SLOWDOWN,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail("%s %s did not finish within %s s" % (
            plugin, " ".join(args), timeout * SLOWDOWN))
    r = Result(p.returncode, p.stdout.decode("utf-8", "replace"),
               p.stderr.decode("utf-8", "replace"))
    r.elapsed = time.monotonic() - start
    r.raw = p.stdout
    if WRAPPER:
        check_wrapper_stderr(r, args)
    else:
        assert r.stderr == "", "stderr: %r" % r.stderr[:500]
    assert 0 <= r.code <= 3, "exit code %d" % r.code
    assert r.stdout, "stdout is empty"
    try:
        p.stdout.decode("utf-8")
    except UnicodeDecodeError as e:
        pytest.fail("stdout is not valid UTF-8: %s" % e)
    if not status_line:
        return r
    if output_format(args) == "json":
        check_json_output(r, label)
        return r
    if verbosity(args) >= 2:
        split_debug(r, label)
    check_status_output(r, label)
    return r


def closed_port():
    """A loopback port that nothing listens on (bound, then closed)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def pytest_sessionstart(session):
    for plugin in LABELS:
        path = os.path.join(PLUGIN_DIR, plugin)
        if not os.access(path, os.X_OK):
            pytest.exit("%s is not built; run make first" % path, 2)


def no_locale(why):
    """Skip by hand; in CI, which installs the locales, fail instead."""
    if os.environ.get("CI"):
        pytest.fail(why + " (install-deps.sh installs locales)")
    pytest.skip(why)


@pytest.fixture(scope="session")
def de_locale(tmp_path_factory):
    """Environment for a German UTF-8 locale, or skip if there is none.

    An installed de_DE.UTF-8 is used as is; else one is compiled with
    localedef into a temporary LOCPATH.
    """
    try:
        names = subprocess.run(["locale", "-a"], capture_output=True,
                               text=True).stdout.split()
    except OSError:
        names = []
    for name in names:
        if name.lower().replace("-", "") == "de_de.utf8":
            return {"LC_ALL": name}
    path = tmp_path_factory.mktemp("locale")
    try:
        p = subprocess.run(["localedef", "-i", "de_DE", "-f", "UTF-8",
                            str(path / "de_DE.UTF-8")],
                           capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        no_locale("no de_DE.UTF-8 locale and no localedef")
    if not (path / "de_DE.UTF-8").is_dir():
        no_locale("no de_DE.UTF-8 locale: %s" % p.stderr[-200:])
    # With LOCPATH set, glibc's newlocale() leaks its path list when
    # libp11-kit (pulled in by libcurl) starts up; LeakSanitizer builds
    # would report that on stderr, so it is suppressed here.
    supp = path / "lsan.supp"
    supp.write_text("leak:libp11-kit.so\nleak:__argz_add_sep\n")
    lsan = os.environ.get("LSAN_OPTIONS", "")
    lsan = (lsan + ":" if lsan else "") + \
        "suppressions=%s:print_suppressions=0" % supp
    return {"LC_ALL": "de_DE.UTF-8", "LOCPATH": str(path),
            "LSAN_OPTIONS": lsan}


# ------------------------------------------------- marks, wrapper and TAP

def pytest_configure(config):
    config.addinivalue_line(
        "markers", "timing: measures elapsed time or relies on a deadline "
        "of a few seconds; skipped under SAPERA_PLUGIN_WRAPPER")
    config.addinivalue_line(
        "markers", "large: reads tens of MiB of JSON, which takes minutes "
        "under valgrind; skipped under SAPERA_PLUGIN_WRAPPER")
    if os.environ.get("SAPERA_TAP") == "1":
        config.pluginmanager.register(TapReporter(config), "sapera-tap")


def pytest_collection_modifyitems(config, items):
    if not WRAPPER:
        return
    for item in items:
        for mark in ("timing", "large"):
            if mark in item.keywords:
                item.add_marker(pytest.mark.skip(
                    reason="%s test under %s" % (mark, WRAPPER[0])))


class TapReporter:
    """TAP for automake's test driver, one line per test.

    A test is "not ok" if any of its phases (setup, call, teardown)
    failed, "ok ... # SKIP reason" if it was skipped. The lines go
    through the terminal reporter so that output capture keeps them.
    """

    def __init__(self, config):
        self.config = config
        self.count = 0
        self.outcomes = {}

    def write(self, line):
        tr = self.config.pluginmanager.getplugin("terminalreporter")
        if tr is None:
            sys.stdout.write(line + "\n")
            return
        # A TAP line must start its own line: end any progress output.
        tw = getattr(tr, "_tw", None)
        if tw is not None and tw.width_of_current_line:
            tw.line()
        tr.write_line(line)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_report_teststatus(self, report, config):
        """No progress letters, which would share lines with TAP."""
        outcome = yield
        status = outcome.get_result()
        if status and status[1]:
            outcome.force_result((status[0], "", status[2]))

    def emit(self, ok, nodeid, directive=""):
        self.count += 1
        # A '#' in the description would start a TAP directive.
        desc = nodeid.replace("\\", "\\\\").replace("#", "\\#")
        self.write("%s %d - %s%s" % ("ok" if ok else "not ok", self.count,
                                     desc, directive))

    def pytest_collectreport(self, report):
        if report.failed:
            self.emit(False, report.nodeid or "collection")

    def pytest_runtest_logreport(self, report):
        seen = self.outcomes.setdefault(report.nodeid, [])
        seen.append(report)

    def pytest_runtest_logfinish(self, nodeid, location):
        reports = self.outcomes.pop(nodeid, [])
        failed = [r for r in reports if r.failed]
        skipped = [r for r in reports if r.skipped]
        if failed:
            self.emit(False, nodeid)
        elif skipped:
            r = skipped[0]
            if hasattr(r, "wasxfail"):
                self.emit(False, nodeid, " # TODO %s" % (r.wasxfail or
                                                          "xfail"))
            else:
                reason = r.longrepr[2] if isinstance(r.longrepr, tuple) \
                    else str(r.longrepr or "")
                reason = reason.removeprefix("Skipped: ")
                reason = " ".join(reason.split())
                self.emit(True, nodeid, " # SKIP %s" % reason)
        else:
            self.emit(True, nodeid)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session):
        self.write("1..%d" % self.count)
