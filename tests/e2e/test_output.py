"""What check_sapera_workers prints: --problems-only, --max-rows and the
default size cap, --some-perfdata, --perfdata, --output-format json and
--expect-worker.

With -w 10 -c 20 the default scenario has three problem rows:
Communication/EmailStatusWorker 23 (critical), Inventory/StockUpdateWorker
12 and WebShop/WebShopOrderImportWorker 14 (warning); 36 rows in all.
"""

import re

import pytest

from conftest import (SERVICES, STATES, closed_port, default_scenario,
                      raw_scenario, run, small_scenario, worker, workers_body)

ROWS = 36
PROBLEMS = ("EmailStatusWorker", "StockUpdateWorker",
            "WebShopOrderImportWorker")
TOTALS = {"total_backlog", "active_workers", "services_answered"}


def row_lines(r):
    """Long-output lines that are rows: they start with a service."""
    return [l for l in r.lines[1:] if l.split(" ", 1)[0] in SERVICES]


def row_labels(r):
    return [p.label for p in r.perf if "/" in p.label]


def all_labels():
    return {"%s/%s" % (service, w["displayName"])
            for service, svc in default_scenario()["services"].items()
            for w in svc["workers"]}


# ------------------------------------------------------- --problems-only

def test_problems_only_hides_ok_rows(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "10", "-c", "20", "--problems-only")
    assert r.code == 2
    rows = row_lines(r)
    assert len(rows) == len(PROBLEMS)
    for name in PROBLEMS:
        assert len(r.row(name)) == 1
    assert not [l for l in rows if re.search(r"\sOK(\s|$)", l)]
    assert "PaymentCaptureWorker" not in r.long
    assert "33" in r.long  # how many OK rows were hidden


def test_problems_only_keeps_perfdata_and_state(scenario):
    url = scenario()
    args = ("--base-url", url, "-w", "10", "-c", "20")
    full = run(*args)
    problems = run(*args, "--problems-only")
    assert problems.code == full.code == 2
    assert problems.lines[0] == full.lines[0]
    assert set(row_labels(problems)) == all_labels()


def test_problems_only_with_nothing_wrong(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "50", "-c", "100", "--problems-only")
    assert r.code == 0
    assert row_lines(r) == []
    assert len(row_labels(r)) == ROWS


# ------------------------------------------------------------ --max-rows

def test_max_rows_caps_the_long_output(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "10", "-c", "20", "--max-rows", "5")
    assert r.code == 2
    assert len(row_lines(r)) == 5
    # The worst rows come first.
    for name in PROBLEMS:
        assert len(r.row(name)) == 1
    assert re.search(r"\b%d\b.*not shown" % (ROWS - 5), r.long)
    assert len(row_labels(r)) == ROWS


def test_max_rows_above_the_row_count_shows_all(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "50", "-c", "100", "--max-rows", "100")
    assert len(row_lines(r)) == ROWS
    assert "not shown" not in r.long


def test_max_rows_zero_shows_no_rows(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "10", "-c", "20", "--max-rows", "0")
    assert r.code == 2
    assert row_lines(r) == []
    assert re.search(r"\b%d\b.*not shown" % ROWS, r.long)


@pytest.mark.parametrize("value", ["-1", "abc", ""])
def test_max_rows_invalid(value):
    r = run("--base-url", "http://127.0.0.1:1", "--max-rows", value)
    assert r.code == 3
    assert "--max-rows" in r.status


def two_thousand_workers():
    return small_scenario([
        worker("Worker%04d" % i, i % 7,
               tenantBeingProcessed="shop%d.example.com" % i if i % 7
               else None)
        for i in range(2000)])


def test_default_long_output_stays_under_4_kib(scenario):
    url = scenario(two_thousand_workers())
    r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
    assert r.code == 0
    assert len(r.long.encode("utf-8")) <= 4096
    shown = len(row_lines(r))
    assert 0 < shown < 2000
    assert re.search(r"\b%d\b.*not shown" % (2000 - shown), r.long)
    assert len(row_labels(r)) == 2000


def test_default_cap_keeps_problems_first(scenario):
    doc = two_thousand_workers()
    doc["services"]["Payments"]["workers"][1999]["runCount"] = 500
    url = scenario(doc)
    r = run("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
    assert r.code == 2
    assert len(r.long.encode("utf-8")) <= 4096
    assert "CRITICAL" in row_lines(r)[0]
    assert "Worker1999" in row_lines(r)[0]


# -------------------------------------------------------- --some-perfdata

SOME = "Inventory/ReorderSuggestionWorker"


@pytest.mark.parametrize("mode, value", [
    (None, "U"), ("unknown", "U"), ("value", "3"), ("omit", None)])
def test_some_perfdata(scenario, mode, value):
    url = scenario()
    args = ["--base-url", url, "-s", "Inventory", "--some-as", "3"]
    if mode:
        args += ["--some-perfdata", mode]
    r = run(*args)
    assert r.code == 0
    perf = r.perf_by_label
    if value is None:
        assert SOME not in perf
        assert len(row_labels(r)) == 4
    else:
        assert perf[SOME].value == value
        assert len(row_labels(r)) == 5
    assert perf["Inventory/StockUpdateWorker"].value == "12"
    # The row itself is listed whatever the graph shows.
    assert len(r.row("ReorderSuggestionWorker")) == 1


def test_some_perfdata_invalid():
    r = run("--base-url", "http://127.0.0.1:1", "--some-perfdata", "bogus")
    assert r.code == 3
    assert "bogus" in r.status


# ------------------------------------------------------------- --perfdata

def test_perfdata_rows_is_the_default(scenario):
    url = scenario()
    default = run("--base-url", url, "-w", "50", "-c", "100")
    rows = run("--base-url", url, "-w", "50", "-c", "100",
               "--perfdata", "rows")
    assert default.lines[0] == rows.lines[0]
    assert set(row_labels(rows)) == all_labels()


def test_perfdata_totals(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "10", "-c", "20", "--perfdata", "totals")
    assert r.code == 2
    assert {p.label for p in r.perf} == TOTALS
    assert r.perf_by_label["total_backlog"].value == "78"
    assert r.perf_by_label["services_answered"].value == "9"


def test_perfdata_none(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "10", "-c", "20", "--perfdata", "none")
    assert r.code == 2
    assert r.perf == []
    assert "|" not in r.lines[0]
    assert "EmailStatusWorker" in r.status


# ------------------------------------------------------- --output-format

ROW_KEYS = {"service", "worker", "tenant", "value", "warn", "crit", "state",
            "reason"}
SERVICE_KEYS = {"service", "answered", "http_status", "seconds", "workers"}


def json_and_text(*args):
    return run(*args, "--output-format", "json"), run(*args)


def test_json_holds_every_row_and_service(scenario):
    url = scenario()
    j, t = json_and_text("--base-url", url, "-w", "10", "-c", "20")
    doc = j.json
    assert j.code == t.code == 2
    assert doc["state"] == "CRITICAL" and doc["exit_code"] == 2
    assert doc["summary"] == t.status
    for row in doc["rows"]:
        assert ROW_KEYS <= set(row), row
    labels = {"%s/%s" % (row["service"], row["worker"])
              for row in doc["rows"]}
    assert labels == all_labels()
    assert len(doc["rows"]) == ROWS
    for svc in doc["services"]:
        assert SERVICE_KEYS <= set(svc), svc
        assert svc["answered"] is True
        assert svc["http_status"] == 200
        assert isinstance(svc["seconds"], (int, float))
    counts = {s["service"]: s["workers"] for s in doc["services"]}
    assert counts == {name: len(svc["workers"]) for name, svc
                      in default_scenario()["services"].items()}


def test_json_rows_match_the_text_rows(scenario):
    url = scenario()
    j, t = json_and_text("--base-url", url, "-w", "10", "-c", "20")
    perf = t.perf_by_label
    for row in j.json["rows"]:
        label = "%s/%s" % (row["service"], row["worker"])
        p = perf[label]
        if p.value != "U":
            assert row["value"] == int(p.value), label
        assert row["warn"] == "10" and row["crit"] == "20"
        assert row["tenant"] is None
    states = {"%s/%s" % (r["service"], r["worker"]): r["state"]
              for r in j.json["rows"]}
    assert states["Communication/EmailStatusWorker"] == "CRITICAL"
    assert states["Inventory/StockUpdateWorker"] == "WARNING"
    assert states["Payments/PaymentCaptureWorker"] == "OK"
    assert STATES.index(j.json["state"]) == t.code


def test_json_unreachable_service(scenario):
    url = scenario()
    j, t = json_and_text(
        "--base-url", url, "-w", "50", "-c", "100",
        "--service-url", "Payments=http://127.0.0.1:%d/" % closed_port())
    assert j.code == t.code == 3
    svc = {s["service"]: s for s in j.json["services"]}
    assert svc["Payments"]["answered"] is False
    assert svc["Payments"]["http_status"] == 0
    assert svc["Payments"]["workers"] is None
    assert svc["Payments"]["reason"]
    assert svc["Financial"]["answered"] is True
    assert not [r for r in j.json["rows"] if r["service"] == "Payments"]


def test_json_bad_row_has_reason(scenario):
    url = scenario(raw_scenario(workers_body(
        '{"displayName": "BadWorker", "runCount": -3}',
        '{"displayName": "GoodWorker", "runCount": 2}')))
    j, t = json_and_text("--base-url", url, "-s", "Payments")
    assert j.code == t.code == 3
    rows = {r["worker"]: r for r in j.json["rows"]}
    assert rows["BadWorker"]["state"] == "UNKNOWN"
    assert "-3" in rows["BadWorker"]["reason"]
    assert rows["GoodWorker"]["state"] == "OK"
    assert rows["GoodWorker"]["reason"] is None
    assert rows["GoodWorker"]["value"] == 2


def test_json_with_hostile_names(scenario):
    names = ["it's", 'quote"d', "back\\slash", "new\nline", "ctl\x01",
             "pipe|x", "Kaf\u00e9 \U0001f600"]
    url = scenario(small_scenario([(n, 1) for n in names]))
    j, t = json_and_text("--base-url", url, "-s", "Payments")
    assert j.code == t.code == 0
    assert len(j.json["rows"]) == len(names)
    shown = {r["worker"] for r in j.json["rows"]}
    assert "Kaf\u00e9 \U0001f600" in shown
    assert "it's" in shown


def test_json_stays_json_at_vv(scenario):
    url = scenario()
    r = run("--base-url", url, "-s", "Payments", "-vv",
            "--output-format", "json")
    assert r.json["state"] == "OK"


def test_output_format_invalid():
    r = run("--base-url", "http://127.0.0.1:1", "--output-format", "xml")
    assert r.code == 3
    assert "xml" in r.status


# -------------------------------------------------------- --expect-worker

def test_expected_worker_missing_is_critical(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "50", "-c", "100",
            "--expect-worker", "Payments/PaymentMissingWorker")
    assert r.code == 2
    assert "Payments/PaymentMissingWorker" in r.status
    assert "expected worker missing" in r.status
    assert len(row_labels(r)) == ROWS


def test_expected_worker_present(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "50", "-c", "100",
            "--expect-worker", "Financial/SyncSalesPricesWorker",
            "--expect-worker", "payments/paymentcapture*")
    assert r.code == 0


def test_expected_worker_glob_matching_nothing(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "50", "-c", "100",
            "--expect-worker", "Pos/*Nothing*")
    assert r.code == 2
    assert "expected worker missing" in r.status


def test_expected_worker_of_unreachable_service_is_not_missing(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "50", "-c", "100",
            "--expect-worker", "Payments/PaymentCaptureWorker",
            "--service-url", "Payments=http://127.0.0.1:%d/" % closed_port())
    assert r.code == 3
    assert "Payments" in r.status
    assert "expected worker missing" not in r.status


def test_expected_worker_in_json(scenario):
    url = scenario()
    r = run("--base-url", url, "--expect-worker", "Payments/Gone",
            "--output-format", "json")
    assert r.json["state"] == "CRITICAL"
    gone = [row for row in r.json["rows"] if row["worker"] == "Gone"]
    assert len(gone) == 1
    assert gone[0]["state"] == "CRITICAL"
    assert "expected worker missing" in (gone[0]["reason"] or "")
