#!/usr/bin/env python3
"""End to end through a real Icinga 2: check_sapera_workers runs through
the shipped CheckCommand (contrib/icinga2/sapera.conf) against the
simulator, and the result Icinga stored must be what the plugin printed.

A throwaway Icinga 2 instance runs on loopback with its configuration,
state, cache, spool, log and run directories and its self-signed API
certificate all under one temporary directory; nothing under /etc or
/var/lib/icinga2 is read or written.  The test forces a check through
the REST API (POST /v1/actions/reschedule-check), waits for the result
and reads it back (GET /v1/objects/services).  It then runs the exact
command line Icinga ran and compares exit state, plugin output and every
perfdata label and value as Icinga parsed them: Icinga drops perfdata
it cannot parse, so a missing or changed item fails.

Two cases: the default scenario, and a scenario whose worker names hold
a quote, '=', spaces and non-ASCII letters.

Exit status is the verdict.  On failure the reason and the daemon's log
go to stderr; the temporary directory, the daemon and the simulator are
removed in every case.

Environment: SAPERA_BUILDDIR (where plugins/ was built) and
SAPERA_SRCDIR (the source tree); both default to the tree this file is
in.
"""

import base64
import ctypes
import json
import math
import os
import grp
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.environ.get("SAPERA_SRCDIR") or os.path.dirname(
    os.path.dirname(HERE))
BUILDDIR = os.environ.get("SAPERA_BUILDDIR") or SRCDIR

SIMULATOR = os.path.join(SRCDIR, "contrib", "simulator", "sapera-sim")
COMMANDS = os.path.join(SRCDIR, "contrib", "icinga2", "sapera.conf")
PLUGIN = os.path.join(BUILDDIR, "plugins", "check_sapera_workers")

NODE = "sapera-e2e"
HOST = "sapera-sim"
SERVICE = "workers"
API_USER = "e2e"
API_PASSWORD = "e2e-" + base64.b16encode(os.urandom(8)).decode()

# How long one step may take; the whole test stays near a minute.
START_TIMEOUT = 30
CHECK_TIMEOUT = 20

OVERRIDES = ["WebShop/*Import*=100,500", "Communication/Email*=500,2000"]

# Worker names that perfdata labels and output must survive: quotes,
# '=', spaces, non-ASCII letters, and two names that the plugin's label
# rules map to the same label.
HOSTILE = {
    "services": {
        "Financial": {"workers": [
            {"displayName": "O'Brien = \"Sync\" Wörker ✓", "runCount": 7},
            {"displayName": "a=b c'd", "runCount": 150},
            {"displayName": "Kafé Økonomi Ärende", "runCount": "some"},
            {"displayName": "Null Worker", "runCount": None},
        ]},
        "WebShop": {"workers": [
            {"displayName": "Import 'Orders' =>", "runCount": 120},
            {"displayName": "名前 worker", "runCount": 0},
            {"displayName": "名後 worker", "runCount": 3},
        ]},
    }
}


class Failure(Exception):
    """The verdict: what came back differs from what was expected."""


def die_with_parent():
    """Have Linux stop a child if this script is killed."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start(argv, log):
    """Start argv in its own process group, output into the file log."""
    with open(log, "ab") as out:
        return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT,
                                start_new_session=True,
                                preexec_fn=die_with_parent)


def stop(proc):
    """SIGTERM the process we started, then SIGKILL what is left of its
    process group.  Only the leader gets SIGTERM: Icinga's main process
    hands the signal on to its workers, and a SIGTERM to all of them at
    once sometimes leaves it waiting for ever."""
    if proc is None:
        return
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        pass


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def icinga2_binary():
    """icinga2, also when /usr/sbin is not on PATH."""
    path = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
    found = shutil.which("icinga2", path=path)
    if not found:
        raise Failure("icinga2 not found; install tests/daemons/"
                      "packages.txt")
    return found


class Instance:
    """A throwaway Icinga 2 under tmp: config, certificate, daemon, API."""

    def __init__(self, tmp, base_url):
        self.tmp = tmp
        self.base_url = base_url
        self.binary = icinga2_binary()
        self.port = free_port()
        self.log = os.path.join(tmp, "icinga2.log")
        self.proc = None
        self.dirs = {name: os.path.join(tmp, name.lower())
                     for name in ("DataDir", "LogDir", "CacheDir",
                                  "SpoolDir", "InitRunDir")}
        self.ctx = None

    def defines(self):
        """-D options that keep every path of the daemon under tmp."""
        user = pwd.getpwuid(os.getuid()).pw_name
        group = grp.getgrgid(os.getgid()).gr_name
        out = ["-D%s=%s" % kv for kv in sorted(self.dirs.items())]
        return out + ["-DRunAsUser=" + user, "-DRunAsGroup=" + group]

    def write_config(self):
        """The whole configuration: ITL, our commands, one host/service."""
        conf = os.path.join(self.tmp, "icinga2.conf")
        text = """
const PluginDir = %(plugindir)s
const NodeName = %(node)s
const ZoneName = NodeName

include <itl>
include <plugins>
include %(commands)s

object Endpoint NodeName { }
object Zone ZoneName { endpoints = [ NodeName ] }

object ApiListener "api" {
	bind_host = "127.0.0.1"
	bind_port = %(port)d
}

object ApiUser %(user)s {
	password = %(password)s
	permissions = [ "*" ]
}

object CheckerComponent "checker" { }

object Host %(host)s {
	check_command = "dummy"
	enable_active_checks = false
	address = "127.0.0.1"
	vars.sapera_base_url = %(base)s
}

object Service %(service)s {
	host_name = %(host)s
	check_command = "sapera_workers"
	check_interval = 1h
	retry_interval = 1h
	max_check_attempts = 1
	vars.sapera_workers_warning = 50
	vars.sapera_workers_critical = 100
	vars.sapera_workers_override = %(overrides)s
}
""" % {
            "plugindir": json.dumps(os.path.join(BUILDDIR, "plugins")),
            "node": json.dumps(NODE),
            "commands": json.dumps(COMMANDS),
            "port": self.port,
            "user": json.dumps(API_USER),
            "password": json.dumps(API_PASSWORD),
            "host": json.dumps(HOST),
            "base": json.dumps(self.base_url),
            "service": json.dumps(SERVICE),
            "overrides": json.dumps(OVERRIDES),
        }
        with open(conf, "w", encoding="utf-8") as f:
            f.write(text)
        return conf

    def make_certificate(self):
        """A self-signed certificate for NODE that is its own CA."""
        certs = os.path.join(self.dirs["DataDir"], "certs")
        os.makedirs(certs)
        crt = os.path.join(certs, NODE + ".crt")
        key = os.path.join(certs, NODE + ".key")
        run = subprocess.run([self.binary, "pki", "new-cert", "--cn", NODE,
                              "--key", key, "--cert", crt] + self.defines(),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             timeout=60)
        if run.returncode != 0 or not os.path.exists(crt):
            raise Failure("icinga2 pki new-cert failed:\n" +
                          run.stdout.decode(errors="replace"))
        shutil.copy(crt, os.path.join(certs, "ca.crt"))
        self.ctx = ssl.create_default_context(
            cafile=os.path.join(certs, "ca.crt"))
        self.ctx.check_hostname = False

    def start(self):
        """Write config and certificate, start the daemon, wait for API."""
        for path in self.dirs.values():
            os.makedirs(path, exist_ok=True)
        conf = self.write_config()
        self.make_certificate()
        self.proc = start([self.binary, "daemon", "-c", conf] +
                          self.defines(), self.log)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Failure("icinga2 exited with %d at start" %
                              self.proc.returncode)
            try:
                self.api("GET", "/v1/status/IcingaApplication")
                return
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        raise Failure("the Icinga 2 API did not answer within %ds" %
                      START_TIMEOUT)

    def stop(self):
        stop(self.proc)

    def api(self, method, path, body=None):
        """One REST API call; the decoded JSON answer."""
        auth = base64.b64encode(
            ("%s:%s" % (API_USER, API_PASSWORD)).encode()).decode()
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            "https://127.0.0.1:%d%s" % (self.port, path), data=data,
            method=method,
            headers={"Accept": "application/json",
                     "Content-Type": "application/json",
                     "Authorization": "Basic " + auth})
        with urllib.request.urlopen(req, context=self.ctx, timeout=10) as r:
            return json.loads(r.read().decode("utf-8"))

    def check_now(self):
        """Force the service's check; return its new last_check_result."""
        name = urllib.parse.quote("%s!%s" % (HOST, SERVICE))
        asked = time.time()
        answer = self.api("POST", "/v1/actions/reschedule-check", {
            "type": "Service",
            "filter": "host.name == %s && service.name == %s" % (
                json.dumps(HOST), json.dumps(SERVICE)),
            "force": True})
        codes = [r.get("code") for r in answer.get("results", [])]
        if codes != [200]:
            raise Failure("reschedule-check answered %r" % answer)
        deadline = time.monotonic() + CHECK_TIMEOUT
        while time.monotonic() < deadline:
            answer = self.api("GET", "/v1/objects/services?service=%s"
                              "&attrs=last_check_result" % name)
            result = answer["results"][0]["attrs"]["last_check_result"]
            if result and result.get("execution_start", 0) >= asked:
                return result
            time.sleep(0.2)
        raise Failure("no check result within %ds of reschedule-check" %
                      CHECK_TIMEOUT)

    def parsed_perfdata(self):
        """The service's stored perfdata as Icinga's own parser reads it
        (parse_performance_data, as the perfdata writers use it); an item
        it refuses stays a string with the reason."""
        script = """
var r = get_service(%s, %s).last_check_result
r.performance_data.map(function(p) {
	try {
		return parse_performance_data(p)
	} except {
		return "refused: " + p
	}
})
""" % (json.dumps(HOST), json.dumps(SERVICE))
        answer = self.api("POST", "/v1/console/execute-script",
                          {"command": script, "session": NODE})
        results = answer.get("results") or [{}]
        if results[0].get("code") != 200:
            raise Failure("console answered %r" % answer)
        return results[0]["result"]


def split_output(stdout):
    """Text and perfdata of plugin output, as the plugin guidelines say:
    text before the first '|' of a line, perfdata after it."""
    text = []
    perf = []
    for line in stdout.split("\n"):
        head, bar, tail = line.partition("|")
        text.append(head if bar else line)
        if bar:
            perf.append(tail)
    while text and text[-1] == "":
        text.pop()
    return "\n".join(text), " ".join(perf).strip()


def parse_perfdata(perf):
    """'label'=value[UOM];warn;crit;min;max items, quotes undone."""
    items = []
    i = 0
    while i < len(perf):
        if perf[i] == " ":
            i += 1
            continue
        if perf[i] == "'":
            label = []
            i += 1
            while i < len(perf):
                if perf.startswith("''", i):
                    label.append("'")
                    i += 2
                elif perf[i] == "'":
                    i += 1
                    break
                else:
                    label.append(perf[i])
                    i += 1
            label = "".join(label)
        else:
            eq = perf.index("=", i)
            label = perf[i:eq]
            i = eq
        if perf[i] != "=":
            raise Failure("perfdata without '=' after %r" % label)
        end = perf.find(" ", i)
        end = len(perf) if end < 0 else end
        fields = perf[i + 1:end].split(";")
        i = end
        items.append((label, fields))
    return items


def number(text):
    """A perfdata number, or None for empty and U."""
    if text in ("", "U"):
        return None
    return float(text)


def stored_form(label, fields):
    """How Icinga stores a perfdata item it split off the output: quotes
    dropped, put back only around a label with a space."""
    quoted = "'%s'" % label if " " in label else label
    return quoted + "=" + ";".join(fields)


def compare_item(label, fields, got):
    """One plugin perfdata item against Icinga's parse of it.  A U value
    may be refused: Icinga 2.13's parser takes numbers only ("Can't
    convert 'U' to a floating point number"), so its perfdata writers
    drop such items; returns True for that case."""
    raw = fields[0]
    if raw == "U" and got == "refused: " + stored_form(label, fields):
        return True
    digits = raw if raw == "U" else raw.rstrip("abcdefghijklmnopqrstuvwxyz%"
                                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    unit = raw[len(digits):]
    if unit not in ("", "s"):
        raise Failure("%s: unit %r is not covered by this test" %
                      (label, unit))
    if not isinstance(got, dict):
        raise Failure("%s: Icinga's parser refused %r" % (label, got))
    if got.get("label") != label:
        raise Failure("label %r came back as %r" % (label, got.get("label")))
    want = number(digits)
    value = got.get("value")
    if want is None:
        if value is not None and not (isinstance(value, float) and
                                      math.isnan(value)):
            raise Failure("%s: U came back as %r" % (label, value))
    elif value is None or abs(value - want) > 1e-9 * max(1, abs(want)):
        raise Failure("%s: value %s came back as %r" % (label, raw, value))
    for index, key in ((1, "warn"), (2, "crit"), (3, "min"), (4, "max")):
        want = number(fields[index]) if len(fields) > index else None
        if got.get(key) != want:
            raise Failure("%s: %s %r came back as %r" % (
                label, key, fields[index] if len(fields) > index else "",
                got.get(key)))
    return False


def compare(result, parsed, case):
    """Icinga's check result and its parse of the stored perfdata against
    a direct run of the same command; returns the direct run's output,
    exit code and the number of U items Icinga's parser refused."""
    argv = result.get("command")
    if not isinstance(argv, list) or argv[0] != PLUGIN:
        raise Failure("%s: Icinga ran %r, not %s" % (case, argv, PLUGIN))
    if "-H" in argv or "--base-url" not in argv:
        raise Failure("%s: want --base-url and no -H: %r" % (case, argv))
    if argv.count("--override") != len(OVERRIDES):
        raise Failure("%s: --override not repeated: %r" % (case, argv))
    if argv[argv.index("-t") + 1] != "30":
        raise Failure("%s: want -t 30: %r" % (case, argv))

    direct = subprocess.run(argv, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, timeout=60)
    stdout = direct.stdout.decode("utf-8")
    text, perf = split_output(stdout)
    want = parse_perfdata(perf)
    stored = result.get("performance_data") or []

    if result.get("exit_status") != direct.returncode:
        raise Failure("%s: exit status %r in Icinga, %d directly" % (
            case, result.get("exit_status"), direct.returncode))
    if result.get("output") != text:
        raise Failure("%s: output differs.\nIcinga:\n%s\ndirect:\n%s" % (
            case, result.get("output"), text))
    if stored != [stored_form(label, fields) for label, fields in want]:
        raise Failure("%s: perfdata split differently.\ndirect: %s\n"
                      "Icinga: %s" % (case, perf,
                                      json.dumps(stored, ensure_ascii=False)))
    if len(parsed) != len(want):
        raise Failure("%s: %d perfdata items, %d parsed by Icinga" % (
            case, len(want), len(parsed)))
    refused = 0
    for (label, fields), item in zip(want, parsed):
        try:
            refused += compare_item(label, fields, item)
        except Failure as e:
            raise Failure("%s: %s" % (case, e))
    return stdout, direct.returncode, refused


def put_scenario(base, scenario):
    """Replace the simulator's scenario."""
    req = urllib.request.Request(base + "/_sim/scenario", method="PUT",
                                 data=json.dumps(scenario).encode())
    with urllib.request.urlopen(req, timeout=10) as r:
        if r.status != 204:
            raise Failure("PUT /_sim/scenario answered %d" % r.status)


def start_simulator(tmp):
    """sapera-sim on a free port; its process and base URL."""
    ready = os.path.join(tmp, "sim.ready")
    proc = start([sys.executable, SIMULATOR, "--port", "0",
                  "--ready-file", ready], os.path.join(tmp, "sim.log"))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and proc.poll() is None:
        if os.path.exists(ready):
            with open(ready) as f:
                base = f.read().strip()
            if base:
                return proc, base
        time.sleep(0.05)
    stop(proc)
    raise Failure("the simulator did not start; exit status %r" %
                  proc.returncode)


def note_refused(case, count):
    """Say how many U items Icinga's own parser refused."""
    if count:
        print("icinga2-e2e: %s: %d perfdata items with value U stored "
              "intact but refused by Icinga's parser" % (case, count))


def run(tmp):
    """The test proper; raises Failure."""
    if not os.access(PLUGIN, os.X_OK):
        raise Failure("%s is not built" % PLUGIN)
    sim, base = start_simulator(tmp)
    icinga = None
    try:
        icinga = Instance(tmp, base)
        icinga.start()

        stdout, code, refused = compare(
            icinga.check_now(), icinga.parsed_perfdata(), "default scenario")
        note_refused("default scenario", refused)
        if code != 0 or not stdout.startswith("SAPERA WORKERS OK - 36 "):
            raise Failure("default scenario: want OK with 36 workers:\n" +
                          stdout)

        put_scenario(base, HOSTILE)
        stdout, code, refused = compare(
            icinga.check_now(), icinga.parsed_perfdata(), "hostile names")
        note_refused("hostile names", refused)
        if code != 2:
            raise Failure("hostile names: want CRITICAL:\n" + stdout)
        for name in ("O'Brien = \"Sync\" Wörker ✓", "名前 worker"):
            if name not in stdout:
                raise Failure("hostile names: %r not in the output:\n%s" %
                              (name, stdout))
    finally:
        if icinga:
            icinga.stop()
        stop(sim)


def main():
    tmp = tempfile.mkdtemp(prefix="sapera-icinga2-e2e.")
    started = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        run(tmp)
    except (Failure, OSError, urllib.error.URLError, ValueError,
            KeyError, subprocess.SubprocessError) as e:
        print("icinga2-e2e: %s" % e, file=sys.stderr)
        log = os.path.join(tmp, "icinga2.log")
        if os.path.exists(log):
            with open(log, errors="replace") as f:
                lines = f.readlines()
            print("icinga2-e2e: last lines of the Icinga 2 log:",
                  file=sys.stderr)
            sys.stderr.writelines(lines[-40:])
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("icinga2-e2e: passed in %.1f s" % (time.monotonic() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
