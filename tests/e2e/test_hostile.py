"""Hostile services: one table of everything a service or the network
can throw at check_sapera_workers, and where credentials may go.

Each row of HOSTILE is (id, setup, extra args, exit code, words): setup
prepares the simulator and returns the arguments that point the plugin
at it; every run is for Payments with -w 50 -c 100 plus the extra args,
and the first line must hold each of the words (any letter case; a
tuple of words means one of them). On
top of run()'s checks, every row must keep its perfdata and its status
on the first line: unique labels, no control characters there, and no
perfdata or second status line further down.
"""

import base64
import json
import os
import re
import subprocess

import pytest

from conftest import (LABELS, WRAPPER, closed_port, raw_scenario,
                      run, small_scenario, worker, workers_body)

BASE = ("-s", "Payments", "-w", "50", "-c", "100")
PLAIN = small_scenario([("PlainWorker", 1), ("BusyWorker", 3)])
STATUS_PATH = "/%s/api/workers/status"


# ----------------------------------------------------------------- setups

class Env:
    """What a setup may use: the shared simulator, and on demand a
    second one that speaks HTTPS with a self-signed certificate."""

    def __init__(self, sim, request):
        self.sim = sim
        self.url = sim.url
        self.request = request

    def load(self, doc):
        self.sim.load(doc)
        self.sim.clear_requests()

    @property
    def tls(self):
        return self.request.getfixturevalue("tls_sim")


def serve(doc):
    """Setup: the shared simulator serves `doc`."""
    def setup(env):
        env.load(doc)
        return ["--base-url", env.url]
    return setup


def serve_raw(body, **fault):
    return serve(raw_scenario(body, **fault))


def fault(**f):
    return serve(small_scenario([("PlainWorker", 1)], fault=f))


def refused(env):
    env.load(PLAIN)
    return ["--base-url", env.url, "--service-url",
            "Payments=http://127.0.0.1:%d%s" % (closed_port(),
                                                 STATUS_PATH % "payments")]


def dns_failure(env):
    # .invalid never resolves (RFC 6761). Where the resolver hangs
    # instead of failing, -t 3 ends the wait and the deadline is named.
    env.load(PLAIN)
    return ["--base-url", env.url, "-t", "3", "--service-url",
            "Payments=http://sapera-check.invalid%s" % (
                STATUS_PATH % "payments")]


def tls(*extra):
    def setup(env):
        sim, cert = env.tls
        sim.load(PLAIN)
        return ["--base-url", sim.url] + [
            cert if a == "CERT" else a for a in extra]
    return setup


def redirected_to_real_path(env):
    # Payments is asked at Financial's path, which redirects to the real
    # Payments path; the answer there names Payments.
    doc = small_scenario([("PlainWorker", 1)])
    doc["services"]["Financial"] = {"fault": {
        "kind": "redirect", "status": 302,
        "location": STATUS_PATH % "payments"}}
    env.load(doc)
    return ["--base-url", env.url, "--service-url",
            "Payments=%s%s" % (env.url, STATUS_PATH % "financial")]


def redirect_to_other_host(env):
    env.load(small_scenario([("PlainWorker", 1)], fault={
        "kind": "redirect", "status": 302,
        "location": "http://localhost:%s%s" % (
            env.url.rsplit(":", 1)[1], STATUS_PATH % "payments")}))
    return ["--base-url", env.url]


def in_two_services(*workers):
    doc = small_scenario(workers)
    doc["services"]["Financial"] = {"workers": [
        w if isinstance(w, dict) else worker(*w) for w in workers]}
    return serve(doc)


def named(name):
    """Payments with a worker called `name` at 60 beside PlainWorker."""
    return serve(small_scenario([(name, 60), ("PlainWorker", 1)]))


def huge_body(n=100000):
    items = ",".join('{"displayName":"Worker%06d","tenantBeingProcessed":'
                     '%s,"runCount":%d}' % (
                         i, '"shop%d.example.com"' % i if i % 5 else "null",
                         i % 5) for i in range(n))
    return '{"service":"Payments","workers":[%s]}' % items


def bad_count(text):
    return serve_raw(workers_body(
        '{"displayName": "BadWorker", "runCount": %s}' % text,
        '{"displayName": "PlainWorker", "runCount": 1}'))


NULLS = ('{"service": null, "workers": [{"displayName": null, '
         '"tenantBeingProcessed": null, "runCount": null, "tenants": '
         '[{"name": null, "domain": null, "runCount": null, '
         '"processing": null}]}, {"displayName": "NullWorker", '
         '"tenantBeingProcessed": null, "runCount": null, '
         '"tenants": null}]}')

# How a service that misses the -t deadline may be described.
LATE = ("within", "timeout", "timed out")
ONE_WORKER = workers_body('{"displayName": "PlainWorker", "runCount": 1}')
BIG = 2 ** 63


# ------------------------------------------------------------------ table

HOSTILE = [
    # The network
    ("refused", refused, [], 3, ["Payments", "connect"]),
    ("dns-failure", dns_failure, [], 3, ["Payments", ("resolve", *LATE)]),
    ("hang-before-headers", fault(kind="hang"), ["-t", "1"], 3,
     ["Payments", LATE]),
    ("trickle-past-deadline", fault(kind="trickle", interval=0.2),
     ["-t", "1"], 3, ["Payments", LATE]),
    ("closed-without-answer", fault(kind="close"), [], 3, ["Payments"]),
    ("connection-reset", fault(kind="close", reset=True), [], 3,
     ["Payments"]),
    ("cut-short", fault(kind="short"), [], 3, ["Payments"]),
    # TLS
    ("tls-self-signed", tls(), [], 3, ["Payments", "TLS"]),
    ("tls-ca-file", tls("--ca-file", "CERT"), [], 0, ["2 workers"]),
    ("tls-insecure", tls("-k"), [], 0, ["2 workers"]),
    # Redirects
    ("301-without-location", fault(kind="status", status=301), [], 3,
     ["Payments", "301", "nowhere"]),
    ("301-with-location", fault(kind="redirect", status=301,
                                location="/moved/payments"), [], 3,
     ["Payments", "301", "/moved/payments", "not followed"]),
    ("302-without-location", fault(kind="status", status=302), [], 3,
     ["Payments", "302", "nowhere"]),
    ("302-reported", fault(kind="redirect", status=302,
                           location="/moved/payments"), [], 3,
     ["Payments", "302", "/moved/payments", "not followed"]),
    ("302-followed", redirected_to_real_path, ["--follow-redirects"], 0,
     ["1 worker"]),
    ("302-not-followed-by-default", redirected_to_real_path, [], 3,
     ["Payments", "302", "not followed"]),
    ("redirect-loop", fault(kind="redirect", loop=True),
     ["--follow-redirects"], 3, ["Payments", "redirects"]),
    ("redirect-other-host", redirect_to_other_host, ["--follow-redirects"],
     3, ["Payments", "another scheme, host or port"]),
    ("redirect-other-scheme", fault(kind="redirect", status=302,
                                    location="ftp://127.0.0.1/payments"),
     ["--follow-redirects"], 3,
     ["Payments", "another scheme, host or port", "ftp://"]),
    # HTTP status
    ("http-401", fault(kind="status", status=401), [], 3,
     ["Payments", "401", "credentials rejected"]),
    ("http-403", fault(kind="status", status=403), [], 3,
     ["Payments", "403", "credentials rejected"]),
    ("http-404", fault(kind="status", status=404), [], 3, ["Payments", "404"]),
    ("http-500", fault(kind="status", status=500), [], 3, ["Payments", "500"]),
    ("http-503-json-error",
     fault(kind="status", status=503, body='{"error": "maintenance"}',
           contentType="application/json"), [], 3,
     ["Payments", "503", "maintenance"]),
    ("http-401-json-message",
     fault(kind="status", status=401,
           body='{"title": "Token expired"}',
           contentType="application/json"), [], 3,
     ["Payments", "401", "credentials rejected", "Token expired"]),
    ("http-500-json-escapes",
     fault(kind="status", status=500,
           body='{"message": "Lager \\u00e5pent\\u001b[2J\\nline2"}',
           contentType="application/json"), [], 3,
     ["Payments", "500", "Lager \u00e5pent?[2J?line2"]),
    ("http-503-json-message",
     fault(kind="status", status=503,
           body='{"message": "Down for upgrade", "status": 503}'), [], 3,
     ["Payments", "503", "Down for upgrade"]),
    # Bodies
    ("html-page", fault(kind="html"), [], 3, ["Payments", "HTML"]),
    ("empty-body", fault(kind="empty"), [], 3, ["Payments", "empty"]),
    ("truncated-json", fault(kind="truncate"), [], 3,
     ["Payments", "truncated"]),
    ("json-then-garbage", fault(kind="garbage"), [], 3, ["Payments"]),
    ("two-json-documents", serve_raw(ONE_WORKER + " " + ONE_WORKER), [], 3,
     ["Payments"]),
    ("utf8-bom", serve_raw(b"\xef\xbb\xbf" + ONE_WORKER.encode()), [], 0,
     ["1 worker"]),
    ("gzip-header-plain-body",
     serve_raw(ONE_WORKER, contentEncoding="gzip"), [], 3, ["Payments"]),
    ("bare-null", serve_raw("null"), [], 3, ["Payments"]),
    ("bare-string", serve_raw('"workers"'), [], 3, ["Payments"]),
    ("bare-number", serve_raw("42"), [], 3, ["Payments"]),
    ("workers-missing", serve_raw('{"service": "Payments"}'), [], 3,
     ["Payments", "workers"]),
    ("workers-string", serve_raw('{"workers": "PlainWorker"}'), [], 3,
     ["Payments", "workers"]),
    ("workers-object", serve_raw('{"workers": {"displayName": "A"}}'), [],
     3, ["Payments", "workers"]),
    ("workers-null", serve_raw('{"workers": null}'), [], 3,
     ["Payments", "workers"]),
    ("worker-not-object", serve_raw(workers_body(
        '"PlainWorker"', '{"displayName": "Other", "runCount": 1}')), [], 3,
     ["Payments"]),
    ("answer-for-another-service",
     serve_raw('{"service": "Financial", "workers": []}'), [], 3,
     ["Payments", "Financial"]),
    ("null-everywhere", serve_raw(NULLS), [], 3, ["Payments"]),
    ("nesting-in-unknown-key", serve_raw(workers_body(
        '{"displayName": "Nested", "runCount": 1, "extra": %s}' % (
            "[" * 20 + "]" * 20))), [], 0, ["1 worker"]),
    ("nesting-100000-deep", serve_raw(workers_body(
        '{"displayName": "Deep", "runCount": 1, "extra": %s}' % (
            "[" * 100000 + "]" * 100000))), [], 3, ["Payments", "nested"]),
    # Run counts
    ("count-object", bad_count('{"n": 1}'), [], 3,
     ["Payments/BadWorker"]),
    ("count-array", bad_count("[1]"), [], 3, ["Payments/BadWorker"]),
    ("count-negative", bad_count("-7"), [], 3, ["Payments/BadWorker", "-7"]),
    ("count-fraction", bad_count("2.5"), [], 3,
     ["Payments/BadWorker", "2.5"]),
    ("count-2-to-the-63", bad_count(str(BIG)), [], 3,
     ["Payments/BadWorker", str(BIG)]),
    ("count-2-to-the-64", bad_count(str(2 ** 64)), [], 3,
     ["Payments/BadWorker", str(2 ** 64)]),
    ("count-largest", bad_count(str(BIG - 1)), [], 2,
     ["Payments/BadWorker", str(BIG - 1)]),
    ("count-sum-past-2-to-the-63", serve_raw(workers_body(
        '{"displayName": "A", "runCount": %d}' % (BIG - 1),
        '{"displayName": "B", "runCount": %d}' % (BIG - 1))), [], 2,
     ["Payments/A", "Payments/B"]),
    ("count-nan-word", bad_count('"NaN"'), [], 3, ["Payments/BadWorker"]),
    # Names
    ("duplicates-in-a-service", serve(small_scenario(
        [("Twin", 1), ("Twin", 2), ("twin", 3)])), [], 0, ["3 workers"]),
    ("duplicates-across-services", in_two_services(("Twin", 1), ("Twin", 60)),
     ["-s", "Financial"], 1, ["Payments/Twin", "Financial/Twin"]),
    ("name-quote", named("it's 'quoted'"), [], 1, ["60 (warn 50)"]),
    ("name-equals", named("a=b=c"), [], 1, ["60 (warn 50)"]),
    ("name-pipe", named("pipe|worker"), [], 1, ["60 (warn 50)"]),
    ("name-spaces", named("  spaced  out  "), [], 1, ["60 (warn 50)"]),
    ("name-newlines", named("new\nline\r\nagain"), [], 1, ["60 (warn 50)"]),
    ("name-control", named("ctl\x00\x01\x07\x1b[31m\x7fred"), [], 1,
     ["60 (warn 50)"]),
    ("name-perfdata-lookalike", named("x'=1;2;3;4; 'y"), [], 1,
     ["60 (warn 50)"]),
    ("name-invalid-utf8", serve_raw(
        b'{"workers": [{"displayName": "bad\xff\xfe\xc3\xe2\x82name", '
        b'"runCount": 60}, {"displayName": "PlainWorker", "runCount": 1}]}'),
     [], 1, ["60 (warn 50)"]),
    ("name-lone-surrogate", serve_raw(workers_body(
        '{"displayName": "half\\ud83dname", "runCount": 60}',
        '{"displayName": "PlainWorker", "runCount": 1}')), [], 1,
     ["60 (warn 50)"]),
    ("name-5000-chars", named("N" * 5000), [], 1, ["60 (warn 50)"]),
    ("name-5000-multibyte", named("\u00e6" * 5000), [], 1,
     ["60 (warn 50)"]),
    # Size
    ("100000-workers", serve_raw(huge_body()), [], 0,
     ["100000 workers"]),
]

def assert_first_line_holds_everything(r):
    """Status and perfdata stay on the first line whatever the names."""
    first = r.lines[0]
    assert not re.search(r"[\x00-\x1f\x7f]", first), \
        "control character in %r" % first[:300]
    labels = [p.label for p in r.perf]
    assert len(labels) == len(set(labels)), "labels repeat"
    assert "services_answered" in labels
    for line in r.lines[1:]:
        assert "'services_answered'=" not in line, \
            "perfdata after the first line: %r" % line[:200]
        assert not line.startswith(LABELS["check_sapera_workers"]), \
            "a second status line: %r" % line[:200]


@pytest.fixture
def env(sim, request):
    return Env(sim, request)


@pytest.mark.parametrize("setup, args, code, words",
                         [row[1:] for row in HOSTILE],
                         ids=[row[0] for row in HOSTILE])
def test_hostile(env, setup, args, code, words):
    target = setup(env)
    r = run(*target, *BASE, *args)
    assert r.code == code, r.stdout[:1000]
    status = r.status.lower()
    for word in words:
        choices = word if isinstance(word, tuple) else (word,)
        assert any(w.lower() in status for w in choices), \
            (word, r.status[:500])
    assert_first_line_holds_everything(r)
    if not WRAPPER:
        assert r.elapsed < 10  # the plugin's default -t


def test_table_ids_are_unique():
    ids = [row[0] for row in HOSTILE]
    assert len(ids) == len(set(ids))


# ------------------------------------------------------------ TLS server

@pytest.fixture(scope="session")
def tls_sim(sim_factory, tmp_path_factory):
    """A second simulator serving HTTPS with a fresh self-signed
    certificate for 127.0.0.1; returns (simulator, certificate path)."""
    d = tmp_path_factory.mktemp("tls")
    cert, key = str(d / "cert.pem"), str(d / "key.pem")
    try:
        p = subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
             "-keyout", key, "-out", cert, "-days", "2",
             "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
            capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        pytest.skip("cannot make a certificate: %s" % e)
    if p.returncode != 0 or not os.path.exists(cert):
        pytest.skip("openssl req failed: %r" % p.stderr[-300:])
    sim = sim_factory("--tls-cert", cert, "--tls-key", key)
    sim.trust(cert)
    return sim, cert


# ----------------------------------------------------------- credentials

PLUGINS = sorted(LABELS)
TOKEN = "tok-4f9c1e7a-SECRET"


def auth_headers(sim):
    return [q["headers"].get("Authorization") for q in sim.requests()]


def assert_secret_hidden(r, *secrets):
    for s in secrets:
        assert s not in r.stdout, "%r printed" % s
        assert s not in r.stderr
    # -vvv did print the request headers, so hiding was tested.
    assert "> GET " in r.stdout or "GET /" in r.stdout


@pytest.mark.parametrize("plugin", PLUGINS)
def test_token_file_is_sent_and_never_printed(scenario, sim, tmp_path,
                                              plugin):
    url = scenario()
    path = tmp_path / "token"
    path.write_text(TOKEN + "\n")
    path.chmod(0o600)
    r = run("--base-url", url, "-s", "Payments", "--token-file", str(path),
            "-vvv", plugin=plugin)
    assert r.code == 0
    assert auth_headers(sim) == ["Bearer " + TOKEN]
    assert_secret_hidden(r, TOKEN)


@pytest.mark.parametrize("plugin", PLUGINS)
def test_sapera_token_is_sent_and_never_printed(scenario, sim, plugin):
    url = scenario()
    r = run("--base-url", url, "-s", "Payments,Pos", "-vvv",
            env={"SAPERA_TOKEN": TOKEN}, plugin=plugin)
    assert r.code == 0
    assert auth_headers(sim) == ["Bearer " + TOKEN] * 2
    assert_secret_hidden(r, TOKEN)


def test_token_not_printed_when_rejected(scenario, sim):
    url = scenario(small_scenario([], fault={"kind": "status",
                                             "status": 401}))
    r = run("--base-url", url, "-s", "Payments", "-vvv",
            env={"SAPERA_TOKEN": TOKEN})
    assert r.code == 3
    assert "credentials rejected" in r.status
    assert auth_headers(sim) == ["Bearer " + TOKEN]
    assert_secret_hidden(r, TOKEN)


def test_auth_file_is_basic_auth_and_never_printed(scenario, sim, tmp_path):
    url = scenario()
    path = tmp_path / "auth"
    path.write_text("monitor:pa55-W0RD-x\n")
    path.chmod(0o600)
    r = run("--base-url", url, "-s", "Payments", "--auth-file", str(path),
            "-vvv")
    assert r.code == 0
    want = "Basic " + base64.b64encode(b"monitor:pa55-W0RD-x").decode()
    assert auth_headers(sim) == [want]
    assert_secret_hidden(r, "pa55-W0RD-x", want.split()[1])


SECRET_HEADERS = {
    "Authorization": "Bearer hdr-secret-1",
    "X-Api-Key": "hdr-secret-2",
    "X-Auth-Token": "hdr-secret-3",
    "Cookie": "session=hdr-secret-4",
    "X-Client-Secret": "hdr-secret-5",
    "X-Password": "hdr-secret-6",
    "Proxy-Authorization": "Basic hdr-secret-7",
}


def test_secret_looking_headers_are_hidden(scenario, sim):
    url = scenario()
    args = []
    for name, value in SECRET_HEADERS.items():
        args += ["--header", "%s: %s" % (name, value)]
    args += ["--header", "X-Plain-Note: visible-value"]
    r = run("--base-url", url, "-s", "Payments", "-vvv", *args)
    assert r.code == 0
    sent = sim.requests()[0]["headers"]
    for name, value in SECRET_HEADERS.items():
        if name != "Proxy-Authorization":  # curl keeps it for proxies
            assert sent.get(name) == value, name
    assert sent.get("X-Plain-Note") == "visible-value"
    for value in SECRET_HEADERS.values():
        assert value.split()[-1].split("=")[-1] not in r.stdout
    # The plugin cannot tell which headers of a site carry secrets.
    assert "visible-value" not in r.stdout
    assert "X-Plain-Note: <hidden>" in r.stdout


def test_password_in_url_is_hidden(scenario, sim):
    url = scenario()
    host = url.split("://", 1)[1]
    r = run("--base-url", "http://monitor:url-pa55@%s" % host,
            "-s", "Payments", "-vvv")
    assert r.code == 0
    assert auth_headers(sim) == [
        "Basic " + base64.b64encode(b"monitor:url-pa55").decode()]
    assert "url-pa55" not in r.stdout


@pytest.mark.parametrize("verbosity", ["", "-v", "-vv", "-vvv",
                                       "--output-format=json"])
def test_password_in_url_is_hidden_in_redirects(scenario, sim, verbosity):
    # libcurl resolves a relative Location against the URL asked,
    # user:password included; no message may repeat it.
    url = scenario(small_scenario([("PlainWorker", 1)], fault={
        "kind": "redirect", "status": 302, "location": "/moved/payments"}))
    host = url.split("://", 1)[1]
    args = ["--base-url", "http://monitor:url-pa55@%s" % host,
            "-s", "Payments"] + ([verbosity] if verbosity else [])
    r = run(*args)
    assert r.code == 3
    assert "url-pa55" not in r.stdout
    assert "/moved/payments" in r.stdout
    # Followed, the hop is named at -vv and the answer there is a 404.
    r = run(*args, "--follow-redirects")
    assert r.code == 3
    assert "url-pa55" not in r.stdout
    assert "404" in r.stdout


def test_query_values_are_hidden(scenario, sim):
    url = scenario(PLAIN)
    r = run("-s", "Payments", "-vvv", "--service-url",
            "Payments=%s%s?api_key=qs-secret-1&tenant=all" % (
                url, STATUS_PATH % "payments"))
    assert r.code == 0
    assert sim.requests()[0]["path"].endswith("api_key=qs-secret-1&"
                                              "tenant=all")
    assert "qs-secret-1" not in r.stdout
    assert "api_key=***" in r.stdout


def test_deadline_covers_every_redirect(scenario, sim):
    # Each hop answers after 0.4 s; libcurl alone would give each hop
    # the whole of -t, and the plugin's alarm would end the check.
    url = scenario(small_scenario([("PlainWorker", 1)], delay=0.4, fault={
        "kind": "redirect", "loop": True}))
    r = run("--base-url", url, "-s", "Payments", "-t", "1",
            "--follow-redirects", "--max-redirects", "20")
    assert r.code == 3
    assert r.elapsed < 2.5
    assert "plugin timed out" not in r.status
    assert "Payments" in r.status
    assert "within 1.000 s" in r.status or "timed out" in r.status


def test_mistyped_option_value_is_not_echoed(scenario, tmp_path):
    url = scenario(PLAIN)
    ini = tmp_path / "sapera.ini"
    ini.write_text("[check_sapera_workers]\npasword = pw-SECRET-9\n")
    for args in (["--extra-opts=@%s" % ini],
                 ["--pasword=pw-SECRET-9"]):
        r = run("--base-url", url, *args)
        assert r.code == 3
        assert "pw-SECRET-9" not in r.stdout
        assert "--pasword" in r.stdout


@pytest.fixture
def echo_server():
    """A server that answers 500 quoting the Authorization it was sent,
    in the body and in a header, as some frameworks' error pages do."""
    import http.server
    import threading

    class Echo(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            auth = self.headers.get("Authorization", "")
            said = " ".join([auth, self.headers.get("X-Api-Key", ""),
                             self.path])
            body = json.dumps({"message": "invalid credentials: " +
                               said}).encode()
            self.send_response(500)
            self.send_header("Content-Type", "application/json")
            self.send_header("X-Echo", auth)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%d" % server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("verbosity", ["", "-v", "-vv", "-vvv",
                                       "--output-format=json"])
def test_secret_echoed_by_the_server_is_hidden(echo_server, tmp_path,
                                               verbosity):
    token = tmp_path / "token"
    token.write_text(TOKEN + "\n")
    token.chmod(0o600)
    auth = tmp_path / "auth"
    auth.write_text("monitor:pa55-W0RD-x\n")
    auth.chmod(0o600)
    basic = base64.b64encode(b"monitor:pa55-W0RD-x").decode()
    extra = [verbosity] if verbosity else []
    for cred in (["--token-file", str(token)], ["--auth-file", str(auth)]):
        r = run("--base-url", echo_server, "-s", "Payments", *cred, *extra)
        assert r.code == 3
        assert "invalid credentials" in r.stdout
        for secret in (TOKEN, "pa55-W0RD-x", basic):
            assert secret not in r.stdout, (cred, secret)


@pytest.mark.parametrize("kind", ["fifo", "directory", "missing"])
@pytest.mark.parametrize("option", ["--token-file", "--auth-file"])
def test_credential_file_that_is_no_file(scenario, tmp_path, kind, option):
    # A FIFO with no writer would block the open past -t.
    url = scenario(PLAIN)
    path = tmp_path / "cred"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    r = run("--base-url", url, "-s", "Payments", option, str(path),
            "-t", "2", timeout=10)
    assert r.code == 3
    assert r.elapsed < 2
    assert str(path) in r.status
    want = "cannot read" if kind == "missing" else "not a regular file"
    assert want in r.status


@pytest.mark.parametrize("option", ["--ca-file", "--client-cert",
                                    "--client-key"])
def test_unreadable_tls_file_is_a_usage_error(scenario, tmp_path, option):
    # Over http libcurl never opens it; the typo must not pass unseen.
    url = scenario(PLAIN)
    r = run("--base-url", url, "-s", "Payments", option,
            str(tmp_path / "missing.pem"))
    assert r.code == 3
    assert option in r.status and "cannot read" in r.status



def leaked(secret, text, run=8):
    """Whether any run of `run` bytes of secret, as sent or as the
    output would clean or escape it, stands in text."""
    forms = {secret, secret.replace("|", "?"),
             json.dumps(secret)[1:-1]}
    for form in forms:
        for i in range(max(1, len(form) - run + 1)):
            if form[i:i + run] in text:
                return True
    return False


def echo_case(tmp_path, url, kind):
    """(arguments, secrets) for one way of sending a credential."""
    def secret_file(name, text):
        path = tmp_path / name
        path.write_text(text + "\n")
        path.chmod(0o600)
        return str(path)

    host = url.split("://", 1)[1]
    long_token = "0123456789abcdef" * 4
    pw = 'p|ss"w0rd\\x-Long'
    if kind == "long-token":
        return ["--base-url", url, "--token-file",
                secret_file("t", long_token)], [long_token]
    if kind == "odd-password":
        return ["--base-url", url, "--auth-file",
                secret_file("a", "admin:" + pw)], [pw]
    if kind == "bearer-header":
        return ["--base-url", url, "--header",
                "Authorization: Bearer abcdSECRET42xyz"], ["abcdSECRET42xyz"]
    if kind == "many-urls":
        args = ["--header", "X-Api-Key: SECRETKEY1-abcdef"]
        for name in ("Financial", "Inventory", "Accounting", "Actors",
                     "Communication", "Pos", "Reports", "WebShop",
                     "Payments"):
            args += ["--service-url", "%s=http://u:pw-%s-Q7z9x@%s/%s" % (
                name, name[:3].lower(), host, name.lower())]
        return args, ["SECRETKEY1-abcdef", "pw-pay-Q7z9x"]
    if kind == "escaped-url-password":
        return ["--base-url", "http://u:se%%63ret-9xyz@%s" % host],\
            ["secret-9xyz", "se%63ret-9xyz"]
    if kind == "query-token":
        return ["--service-url", "Payments=%s/p?api_key=qs-SECRET-77a" % url],\
            ["qs-SECRET-77a"]
    raise KeyError(kind)


@pytest.mark.parametrize("verbosity", ["", "-vvv", "--output-format=json"])
@pytest.mark.parametrize("kind", ["long-token", "odd-password",
                                  "bearer-header", "many-urls",
                                  "escaped-url-password", "query-token"])
def test_echoed_credentials_are_hidden_in_every_form(echo_server, tmp_path,
                                                     kind, verbosity):
    # Cut after 80 bytes, cleaned ('|' -> '?'), JSON-escaped, sent only
    # in part ("Bearer X" echoed as X), one of many: never shown.
    args, secrets = echo_case(tmp_path, echo_server, kind)
    extra = [verbosity] if verbosity else []
    r = run(*args, "-s", "Payments", *extra)
    assert r.code == 3
    assert "invalid credentials" in r.stdout
    for secret in secrets:
        assert not leaked(secret, r.stdout), (kind, secret)


@pytest.mark.parametrize("option", ["--token=tok-SECRET-3x",
                                    "--auth=admin:hunter22x",
                                    "--token-f=tok-SECRET-3x"])
def test_secret_file_options_must_be_written_in_full(option):
    # getopt would take an abbreviation; the error about the "file"
    # would then show what was most likely the secret itself.
    r = run("--base-url", "http://127.0.0.1:1", option)
    assert r.code == 3
    assert "in full" in r.status
    assert "SECRET" not in r.stdout and "hunter22" not in r.stdout
