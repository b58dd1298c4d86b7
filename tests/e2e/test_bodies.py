"""What the services send: body styles, run counts, broken bodies and
answers, hostile worker names, large services."""

import base64
import gzip
import re

import pytest

from conftest import (default_scenario, raw_scenario, run, small_scenario,
                      stalled_large_scenario, worker, worker_of,
                      workers_body)

OTHER_ROWS = ("Financial/SyncSalesPricesWorker",
              "Communication/EmailStatusWorker",
              "WebShop/WebShopStockSyncWorker")


def assert_others_evaluated(r):
    """The eight services other than Payments still gave their rows."""
    labels = r.perf_by_label
    for name in OTHER_ROWS:
        assert name in labels
        assert name.split("/")[1] in r.long
    assert labels["Communication/EmailStatusWorker"].value == "23"
    assert not [l for l in labels if l.startswith("Payments/")]


# ------------------------------------------------------------ body styles

@pytest.mark.parametrize("style", ["camel", "pascal", "array"])
def test_body_style_is_read(scenario, style):
    url = scenario(small_scenario([("BusyWorker", 60), ("IdleWorker", 0)],
                                  style=style))
    r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
    assert r.code == 1
    assert "Payments/BusyWorker 60 (warn 50)" in r.status
    assert r.perf_by_label["Payments/IdleWorker"].value == "0"


def test_gzip_body_is_read(scenario):
    url = scenario(small_scenario([("BusyWorker", 60)], gzip=True))
    r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
    assert r.code == 1
    assert "Payments/BusyWorker 60" in r.status


def test_keys_match_in_any_letter_case(scenario):
    url = scenario(raw_scenario(
        '{"SERVICE": "payments", "WORKERS": ['
        '{"displayname": "LowerWorker", "RUNCOUNT": 60}]}'))
    r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
    assert r.code == 1
    assert "Payments/LowerWorker 60 (warn 50)" in r.status


def test_byte_order_mark_is_skipped(scenario):
    body = b"\xef\xbb\xbf" + workers_body(
        '{"displayName": "BomWorker", "runCount": 60}').encode()
    url = scenario(raw_scenario(body))
    r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
    assert r.code == 1
    assert "Payments/BomWorker 60 (warn 50)" in r.status


def test_escapes_in_names_are_decoded(scenario):
    url = scenario(raw_scenario(workers_body(
        '{"displayName": "Caf\\u00e9\\ud83d\\ude00\\"q\\\\b\\/s", '
        '"runCount": 60}')))
    r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
    assert r.code == 1
    assert "Payments/Caf\u00e9\U0001f600\"q\\b/s 60 (warn 50)" in r.status


def test_missing_run_count_is_sum_of_tenants(scenario):
    doc = default_scenario()
    w = worker_of(doc, "Financial", "SyncSalesPricesWorker")
    del w["runCount"]
    for tenant, count in zip(w["tenants"], (40, 30, 5)):
        tenant["runCount"] = count
    url = scenario(doc)
    r = run("--base-url", url, "-w", "50", "-c", "100")
    assert r.code == 1
    assert "Financial/SyncSalesPricesWorker 75 (warn 50)" in r.status
    assert r.perf_by_label["Financial/SyncSalesPricesWorker"].value == "75"


# ------------------------------------------------- broken bodies, answers

BROKEN = {
    "html-page": ({"kind": "html"}, ["html"]),
    "truncated-json": ({"kind": "truncate"}, ["truncated"]),
    "json-then-garbage": ({"kind": "garbage"}, []),
    "empty-body": ({"kind": "empty"}, ["empty"]),
    "workers-not-array": (
        {"kind": "raw", "body": '{"workers": "x"}'}, ["workers"]),
    "bare-string": ({"kind": "raw", "body": '"workers"'}, []),
    "cut-connection": ({"kind": "short"}, []),
    "http-500": ({"kind": "status", "status": 500}, ["500"]),
    "http-503-json-error": (
        {"kind": "status", "status": 503,
         "body": '{"error":"maintenance"}',
         "contentType": "application/json"}, ["503", "maintenance"]),
    "http-404": ({"kind": "status", "status": 404}, ["404"]),
    "http-401": ({"kind": "status", "status": 401},
                 ["401", "credentials rejected"]),
    "http-403": ({"kind": "status", "status": 403},
                 ["403", "credentials rejected"]),
    "http-302": ({"kind": "redirect", "status": 302,
                  "location": "http://elsewhere.example/moved"},
                 ["302", "http://elsewhere.example/moved"]),
    "closed-without-answer": ({"kind": "close"}, []),
    "connection-reset": ({"kind": "close", "reset": True}, []),
}


@pytest.mark.parametrize("fault, words", BROKEN.values(), ids=BROKEN.keys())
def test_broken_answer_is_unknown_naming_the_service(scenario, fault, words):
    url = scenario(default_scenario(Payments={"fault": fault}))
    r = run("--base-url", url, "-w", "50", "-c", "100", "-t", "5")
    assert r.code == 3
    assert "Payments" in r.status
    for word in words:
        assert word.lower() in r.status.lower()
    assert_others_evaluated(r)


def test_answer_for_another_service_is_refused(scenario):
    url = scenario(raw_scenario(
        '{"service": "Financial", "workers": []}'))
    r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
    assert r.code == 3
    assert "Payments" in r.status
    assert "Financial" in r.status


def test_body_over_max_body_size(scenario):
    url = scenario()
    r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100",
            "--max-body-size", "300")
    assert r.code == 3
    assert "Payments" in r.status
    assert "300" in r.status


def test_redirect_is_not_followed(scenario, sim):
    fault = {"kind": "redirect", "status": 302,
             "location": "/financial/api/workers/status"}
    url = scenario(default_scenario(Payments={"fault": fault}))
    r = run("--base-url", url, "-w", "50", "-c", "100")
    assert r.code == 3
    assert "/financial/api/workers/status" in r.status
    paths = [q["path"] for q in sim.requests()]
    assert paths.count("/financial/api/workers/status") == 1


def test_broken_answer_with_unreachable_state_critical(scenario):
    url = scenario(default_scenario(Payments={"fault": {"kind": "html"}}))
    r = run("--base-url", url, "-w", "50", "-c", "100",
            "--unreachable-state", "critical")
    assert r.code == 2
    assert "Payments" in r.status


# --------------------------------------------------- worker-level faults

# The run count as sent, and the text of it the reason must quote.
BAD_COUNTS = {
    "negative": ("-3", "-3"),
    "fraction": ("1.5", "1.5"),
    "fraction-with-zero": ("1.50", "1.50"),
    "exponent": ("1e3", "1e3"),
    "too-big": ("99999999999999999999", "99999999999999999999"),
    "object": ("{}", "{}"),
    "array": ("[]", "[]"),
    "boolean": ("true", "true"),
    "word": ('"abc"', "abc"),
    "empty-string": ('""', '""'),
    "digits-and-letters": ('"12abc"', "12abc"),
}


def bad_and_good(count):
    return workers_body(
        '{"displayName": "BadWorker", "runCount": %s}' % count,
        '{"displayName": "GoodWorker", "runCount": 2}',
        '{"displayName": "BusyWorker", "runCount": 30}')


@pytest.mark.parametrize("count, shown", BAD_COUNTS.values(),
                         ids=BAD_COUNTS.keys())
def test_bad_run_count_makes_that_worker_unknown(scenario, count, shown):
    url = scenario(raw_scenario(bad_and_good(count)))
    r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
    assert r.code == 3
    assert "Payments/BadWorker" in r.status
    assert shown in r.stdout
    assert "UNKNOWN" in r.row("BadWorker")[0]
    assert "OK" in r.row("GoodWorker")[0]
    assert r.perf_by_label["Payments/GoodWorker"].value == "2"
    assert r.perf_by_label["Payments/BusyWorker"].value == "30"


@pytest.mark.parametrize("count, value", [
    ("12.0", "12"),
    ('"12"', "12"),
    ('" 12 "', "12"),
    ("-0", "0"),
    ('"SOME"', "U"),
], ids=["point-zero", "digit-string", "padded-string", "minus-zero",
        "some-upper-case"])
def test_run_count_spellings_that_read(scenario, count, value):
    url = scenario(raw_scenario(bad_and_good(count)))
    r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
    assert r.code == 0
    assert r.perf_by_label["Payments/BadWorker"].value == value


@pytest.mark.parametrize("entry", [
    '{"displayName": "NoCount"}',
    '{"displayName": "NoCount", "runCount": null}',
], ids=["missing", "null"])
def test_unknown_run_count_is_ok_and_u_by_default(scenario, entry):
    url = scenario(raw_scenario(workers_body(entry)))
    r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
    assert r.code == 0
    assert r.perf_by_label["Payments/NoCount"].value == "U"


def test_unknown_count_state(scenario):
    url = scenario(raw_scenario(workers_body(
        '{"displayName": "NoCount", "runCount": null}',
        '{"displayName": "GoodWorker", "runCount": 2}')))
    r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100",
            "--unknown-count-state", "critical")
    assert r.code == 2
    assert "Payments/NoCount" in r.status


def test_tenant_some_makes_the_sum_some(scenario):
    url = scenario(raw_scenario(workers_body(
        '{"displayName": "Summed", "runCount": null, "tenants": ['
        '{"domain": "a.example", "runCount": 2},'
        '{"domain": "b.example", "runCount": "some"}]}')))
    r = run("--base-url", url, "-s", "Payments", "-w", "0", "-c", "100",
            "--some-as", "5")
    assert r.code == 1
    assert "Payments/Summed" in r.status
    assert r.perf_by_label["Payments/Summed"].value == "U"


def test_invalid_tenant_count_makes_the_worker_unknown(scenario):
    url = scenario(raw_scenario(workers_body(
        '{"displayName": "Summed", "tenants": ['
        '{"domain": "a.example", "runCount": 2},'
        '{"domain": "b.example", "runCount": -1}]}',
        '{"displayName": "GoodWorker", "runCount": 2}')))
    r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
    assert r.code == 3
    assert "Payments/Summed" in r.status
    assert "-1" in r.stdout
    assert "OK" in r.row("GoodWorker")[0]


def test_own_run_count_is_judged_whatever_its_tenants_hold(scenario):
    # The worker's own figure stands; its tenants are not read for it.
    url = scenario(raw_scenario(workers_body(
        '{"displayName": "Counted", "runCount": 7, "tenants": ['
        '{"domain": "a.example", "runCount": -1}, "junk", 5,'
        '{"domain": {"x": 1}, "runCount": "many"}]}')))
    r = run("--base-url", url, "-s", "Payments", "-w", "5", "-c", "100",
            "-vv")
    assert r.code == 1
    assert "Payments/Counted 7 (warn 5)" in r.status
    assert r.perf_by_label["Payments/Counted"].value == "7"
    assert "1 workers, 4 tenant entries" in r.stdout


@pytest.mark.parametrize("entry", [
    {"runCount": 3},
    {"displayName": "", "runCount": 3},
    {"displayName": None, "runCount": 3},
    {"displayName": 42, "runCount": 3},
], ids=["missing", "empty", "null", "number"])
def test_worker_without_a_usable_name_is_unknown(scenario, entry):
    url = scenario(small_scenario([entry, ("PlainWorker", 1)]))
    r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
    assert r.code == 3
    assert "Payments" in r.status
    assert "displayName" in r.stdout
    assert "OK" in r.row("PlainWorker")[0]
    assert r.perf_by_label["Payments/PlainWorker"].value == "1"


def test_bad_run_count_beside_a_critical_worker(scenario):
    url = scenario(small_scenario([("BadWorker", "abc"), ("BusyWorker", 300)]))
    r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
    assert r.code == 2
    assert r.status.index("BusyWorker") < r.status.index("BadWorker")


# ------------------------------------------------------- hostile names

HOSTILE = {
    "quote": "it's a 'worker'",
    "equals": "a=b",
    "pipe": "pipe|worker",
    "spaces": "worker with  spaces",
    "newline": "new\nline",
    "carriage-return": "carriage\rreturn",
    "tab": "tab\tworker",
    "control": "ctl\x01\x7f\x1b[31mred",
    "double-colon": "a::b",
    "long": "L" * 2000,
    "non-ascii": "Kafé–Ø 漢字 Worker",
}


def assert_clean_first_line(r, nworkers):
    """A one-line status with perfdata for every worker, labels unique."""
    labels = [p.label for p in r.perf if "/" in p.label]
    assert len(labels) == nworkers
    assert len(set(labels)) == nworkers
    assert not re.search(r"[\x00-\x1f\x7f]", r.lines[0])


@pytest.mark.parametrize("name", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_worker_name(scenario, name):
    url = scenario(small_scenario([(name, 60), ("PlainWorker", 1)]))
    r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
    assert r.code == 1
    assert "60 (warn 50)" in r.status
    assert_clean_first_line(r, 2)
    assert "Payments/PlainWorker" in r.perf_by_label
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", r.stdout)


def test_hostile_names_all_together(scenario):
    names = list(HOSTILE.values())
    url = scenario(small_scenario([(n, 60) for n in names]))
    r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
    assert r.code == 1
    assert_clean_first_line(r, len(names))


def test_invalid_utf8_in_worker_name(scenario):
    body = (b'{"service":"Payments","workers":['
            b'{"displayName":"bad\xff\xfe\xc3name","runCount":60},'
            b'{"displayName":"PlainWorker","runCount":1}]}')
    url = scenario(raw_scenario(body))
    r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
    assert r.code == 1
    assert "60 (warn 50)" in r.status
    assert_clean_first_line(r, 2)
    r.raw.decode("utf-8")  # what the plugin prints is valid UTF-8


def test_duplicate_worker_names_get_numbered_labels(scenario):
    url = scenario(small_scenario([("Twin", 1), ("Twin", 2), ("Twin", 3)]))
    r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
    assert r.code == 0
    perf = r.perf_by_label
    assert perf["Payments/Twin"].value == "1"
    assert perf["Payments/Twin#2"].value == "2"
    assert perf["Payments/Twin#3"].value == "3"


def test_labels_stay_unique_when_cleaned_names_collide(scenario):
    names = ["a=b", "a_b", "a b", "a'b", "Twin", "Twin", "Twin#2",
             "Kafé", "Kafè", "x::y", "x__y"]
    url = scenario(small_scenario([(n, 1) for n in names]))
    r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
    assert r.code == 0
    assert_clean_first_line(r, len(names))



def test_colliding_labels_keep_their_numbers_in_any_order(scenario):
    # "Kafé" and "Kafè" both clean to "Kaf__": which one is "#2" must not
    # depend on the order the service lists them in, or graphs swap.
    names = [("Kafé", 3), ("Kafè", 4), ("a|b", 1), ("a=b", 2)]
    seen = []
    for order in (names, names[::-1], names[1:] + names[:1]):
        url = scenario(small_scenario(order))
        r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
        assert r.code == 0
        seen.append({p.label: p.value for p in r.perf if "/" in p.label})
    assert seen[0] == seen[1] == seen[2]
    assert len(seen[0]) == 4

# --------------------------------------------------------------- size

def test_two_thousand_workers_in_one_service(scenario):
    workers = [worker("Worker%04d" % i, i % 7,
                      tenantBeingProcessed="shop%d.example.com" % i
                      if i % 7 else None)
               for i in range(2000)]
    workers[1234]["runCount"] = 500
    url = scenario(small_scenario(workers))
    r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
    assert r.code == 2
    assert "Payments/Worker1234 500 (crit 100)" in r.status
    assert r.status.index("Payments/Worker1234") == r.status.index("Payments/")
    labels = [p.label for p in r.perf if "/" in p.label]
    assert len(labels) == len(set(labels)) == 2000
    assert r.perf_by_label["Payments/Worker0006"].value == "6"


def test_two_thousand_workers_all_ok(scenario):
    url = scenario(small_scenario([("Worker%04d" % i, i % 7)
                                   for i in range(2000)]))
    r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
    assert r.code == 0
    assert "2000 workers in 1 service" in r.status


@pytest.mark.large
def test_large_bodies_are_read_one_at_a_time(scenario):
    # About 4.6 MiB a service: past the size from which bodies wait
    # their turn instead of all being held at once.
    url = scenario({"scale": "30:1700", "services": {}})
    three = ["Financial", "Inventory", "Accounting"]
    r = run("--base-url", url, "-s", ",".join(three), "-vv")
    assert r.code == 0
    assert r.stdout.count("waits for") == 2
    assert r.stdout.count("reading on") == 2
    assert r.perf_by_label["services_answered"].value == "3"
    # Each worker reads as it does when its service is fetched alone.
    for name in three:
        alone = run("--base-url", url, "-s", name)
        figures = {p.label: p.value for p in alone.perf if "/" in p.label}
        assert len(figures) == 30
        for label, value in figures.items():
            assert r.perf_by_label[label].value == value


@pytest.mark.timing
def test_a_stalled_large_body_holds_the_others_half_the_timeout(scenario):
    # The others wait for Financial, but only until half of -t.
    url = scenario(stalled_large_scenario())
    r = run("--base-url", url, "-s", "Financial,Inventory,Accounting",
            "-t", "4", "-vv")
    assert "waits for Financial" in r.stdout
    assert "Financial still not read at half the timeout" in r.stdout
    assert r.perf_by_label["services_answered"].value == "2"
    assert "Financial: no complete answer within 4" in r.status
    assert r.elapsed < 6


@pytest.mark.large
def test_a_waiting_body_past_max_body_size_is_refused(scenario, sim):
    # Financial's 4.6 MiB is read, its last byte late; meanwhile the
    # others arrive gzip-compressed, so small on the wire that libcurl
    # holds all of their 6 MB when it pauses them.  When they go on,
    # that is refused within curl_easy_pause(): they must end as too
    # large, not pass as complete bodies cut short.
    url = scenario({"scale": "30:1700", "services": {}})
    status, body = sim._request("GET", "/financial/api/workers/status")
    assert status == 200
    services = {"Financial": {"fault": {
        "kind": "trickle", "after": len(body) - 1, "interval": 0.3}}}
    for name in ("Inventory", "Accounting"):
        text = ('{"service": "%s", "workers": [{"displayName": "W", '
                '"runCount": 1}], "pad": "%s"}' % (name, "x" * 6000000))
        services[name] = {"delay": 0.1, "fault": {
            "kind": "raw", "contentEncoding": "gzip",
            "base64": base64.b64encode(
                gzip.compress(text.encode())).decode()}}
    url = scenario({"scale": "30:1700", "services": services})
    r = run("--base-url", url, "-s", "Financial,Inventory,Accounting",
            "--max-body-size", "5M", "-t", "10", "-vv")
    assert "waits for Financial" in r.stdout
    assert r.perf_by_label["services_answered"].value == "1"
    for name in ("Inventory", "Accounting"):
        assert "%s: response larger than 5242880 bytes" % name in r.status
    assert "truncated" not in r.stdout
