"""check_sapera_services: does every service answer the status API, how
fast, and with how many workers."""

import pytest

from conftest import (SERVICES, closed_port, default_scenario, run,
                      stalled_large_scenario)

PLUGIN = "check_sapera_services"


def services(*args, **kw):
    return run(*args, plugin=PLUGIN, **kw)


def worker_counts():
    return {name: len(svc["workers"])
            for name, svc in default_scenario()["services"].items()}


def test_all_nine_answer_ok_with_time_and_workers(scenario):
    url = scenario()
    r = services("--base-url", url)
    assert r.code == 0
    assert "9 of 9 services" in r.status
    perf = r.perf_by_label
    assert perf["services_answered"].value == "9"
    for name, count in worker_counts().items():
        time = perf["%s/time" % name]
        assert time.uom == "s"
        assert 0 <= float(time.value) < 5
        assert perf["%s/workers" % name].value == str(count)
    assert len(r.perf) == 1 + 2 * len(SERVICES)


def test_each_service_has_a_row(scenario):
    url = scenario()
    r = services("--base-url", url, "-v")
    for name in SERVICES:
        assert len(r.row(name)) >= 1


def test_selected_services_only(scenario, sim):
    url = scenario()
    r = services("--base-url", url, "-s", "pos,WEBSHOP")
    assert r.code == 0
    assert {p.label.split("/")[0] for p in r.perf if "/" in p.label} == {
        "Pos", "WebShop"}
    assert sorted(q["path"] for q in sim.requests()) == [
        "/pos/api/workers/status", "/webshop/api/workers/status"]


# ------------------------------------------------------- response time

@pytest.mark.timing
def test_slow_service_breaks_warning_seconds(scenario):
    url = scenario(default_scenario(Pos={"delay": 0.6}))
    r = services("--base-url", url, "-w", "0.4", "-c", "5")
    assert r.code == 1
    assert "Pos" in r.status
    assert "warn 0.4" in r.status
    assert "Financial" not in r.status
    pos = r.perf_by_label["Pos/time"]
    assert float(pos.value) >= 0.6
    assert (pos.warn, pos.crit) == ("0.4", "5")


@pytest.mark.timing
def test_slow_service_breaks_critical_seconds(scenario):
    url = scenario(default_scenario(Pos={"delay": 0.6}))
    r = services("--base-url", url, "-w", "0.3", "-c", "0.4")
    assert r.code == 2
    assert "Pos" in r.status
    assert "crit 0.4" in r.status


@pytest.mark.large
@pytest.mark.timing
def test_time_waiting_for_another_body_is_not_the_services(scenario):
    # Financial stalls in mid-body, so the others' large bodies wait for
    # it until half of -t: 2 s that are the plugin's, not theirs.
    url = scenario(stalled_large_scenario())
    r = services("--base-url", url, "-s", "Financial,Inventory,Accounting",
                 "-w", "1", "-c", "1.5", "-t", "4", "-vv")
    assert "Financial still not read at half the timeout" in r.stdout
    assert r.perf_by_label["services_answered"].value == "2"
    for name in ("Inventory", "Accounting"):
        assert float(r.perf_by_label["%s/time" % name].value) < 1
        assert name not in r.status


def test_fast_services_are_within_seconds(scenario):
    url = scenario()
    r = services("--base-url", url, "-w", "4", "-c", "8")
    assert r.code == 0
    assert r.perf_by_label["Payments/time"].warn == "4"


# -------------------------------------------------- services that fail

FAILING = {
    "refused": (None, ["Payments"]),
    "http-500": ({"kind": "status", "status": 500}, ["Payments", "500"]),
    "http-404": ({"kind": "status", "status": 404}, ["Payments", "404"]),
    "html-page": ({"kind": "html"}, ["Payments", "html"]),
    "truncated": ({"kind": "truncate"}, ["Payments"]),
    "garbage": ({"kind": "garbage"}, ["Payments"]),
    "workers-not-array": ({"kind": "raw", "body": '{"workers": 3}'},
                          ["Payments", "workers"]),
}


def failing_run(scenario, fault, *args):
    if fault is None:
        url = scenario()
        args += ("--service-url",
                 "Payments=http://127.0.0.1:%d/" % closed_port())
    else:
        url = scenario(default_scenario(Payments={"fault": fault}))
    return services("--base-url", url, *args)


@pytest.mark.parametrize("fault, words", FAILING.values(),
                         ids=FAILING.keys())
def test_failing_service_is_critical(scenario, fault, words):
    r = failing_run(scenario, fault)
    assert r.code == 2
    for word in words:
        assert word.lower() in r.status.lower()
    assert r.perf_by_label["services_answered"].value == "8"
    assert r.perf_by_label["Financial/workers"].value == "4"
    assert r.perf_by_label["Payments/workers"].value == "U"


@pytest.mark.parametrize("fault, words", FAILING.values(),
                         ids=FAILING.keys())
def test_unreachable_state_warning(scenario, fault, words):
    r = failing_run(scenario, fault, "--unreachable-state", "warning")
    assert r.code == 1
    assert "Payments" in r.status


@pytest.mark.parametrize("status", [401, 403])
def test_rejected_credentials_are_named(scenario, status):
    url = scenario(default_scenario(
        Payments={"fault": {"kind": "status", "status": status}}))
    r = services("--base-url", url)
    assert r.code == 2
    assert "Payments" in r.status
    assert str(status) in r.status
    assert "credentials rejected" in r.status


@pytest.mark.timing
def test_slow_answer_past_the_deadline(scenario):
    # Here a service that does not answer is the problem itself, late
    # or unreachable alike; -t's STATE still decides when given.
    url = scenario(default_scenario(Payments={"fault": {"kind": "hang"}}))
    r = services("--base-url", url, "-t", "1")
    assert r.code == 2
    assert "Payments" in r.status
    assert r.perf_by_label["Financial/workers"].value == "4"
    r = services("--base-url", url, "-t", "1:warning")
    assert r.code == 1


# -------------------------------------------------------- worker count

def test_min_workers_names_the_service(scenario):
    # Actors and Reports list 3 workers each, the others 4 or 5.
    url = scenario()
    r = services("--base-url", url, "--min-workers", "4")
    assert r.code == 1
    assert "Actors" in r.status
    assert "Reports" in r.status
    assert "a worker disappeared" in r.status
    assert "Financial" not in r.status
    assert r.perf_by_label["Actors/workers"].value == "3"


def test_min_workers_met(scenario):
    url = scenario()
    r = services("--base-url", url, "--min-workers", "3")
    assert r.code == 0


def test_worker_gone_from_one_service(scenario):
    doc = default_scenario()
    del doc["services"]["Financial"]["workers"][0]
    url = scenario(doc)
    r = services("--base-url", url, "--min-workers", "4", "-s", "Financial")
    assert r.code == 1
    assert "Financial" in r.status
    assert "a worker disappeared" in r.status
    assert r.perf_by_label["Financial/workers"].value == "3"


def test_help_names_the_plugin():
    r = services("--help", status_line=False)
    assert r.code == 3
    assert "check_sapera_services" in r.stdout
    assert "--min-workers" in r.stdout


# ------------------------------------------------ timeouts and perfdata

@pytest.mark.parametrize("mode,labels", [
    ("none", set()),
    ("totals", {"services_answered"}),
    ("rows", {"services_answered"} |
     {"%s/%s" % (s, k) for s in SERVICES for k in ("time", "workers")}),
])
def test_perfdata_modes(scenario, mode, labels):
    url = scenario()
    r = services("--base-url", url, "--perfdata", mode)
    assert r.code == 0
    assert {p.label for p in r.perf} == labels
