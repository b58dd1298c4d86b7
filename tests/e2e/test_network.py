"""Services that cannot be reached or are slow, and fetching all nine at
the same time."""

import pytest

from conftest import closed_port, default_scenario, run


def test_refused_service_is_unknown_naming_it(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "50", "-c", "100",
            "--service-url", "Payments=http://127.0.0.1:%d/" % closed_port())
    assert r.code == 3
    assert "Payments" in r.status
    assert "EmailStatusWorker" in r.long
    assert "PosTransactionUploadWorker" in r.long
    assert r.perf_by_label["Communication/EmailStatusWorker"].value == "23"
    assert r.perf_by_label["services_answered"].value == "8"


def test_refused_service_does_not_hide_a_critical_worker(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "10", "-c", "20",
            "--service-url", "Payments=http://127.0.0.1:%d/" % closed_port())
    assert r.code == 2
    assert "Communication/EmailStatusWorker 23 (crit 20)" in r.status
    assert "Payments" in r.long


def test_unreachable_state_critical(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "50", "-c", "100",
            "--unreachable-state", "critical",
            "--service-url", "Payments=http://127.0.0.1:%d/" % closed_port())
    assert r.code == 2
    assert "Payments" in r.status


@pytest.mark.timing
def test_slow_service_times_out_alone(scenario):
    url = scenario(default_scenario(Pos={"delay": 4}))
    r = run("--base-url", url, "-w", "50", "-c", "100", "-t", "1")
    assert r.code == 3
    assert "Pos" in r.status
    assert 0.9 <= r.elapsed < 2.8
    assert "EmailStatusWorker" in r.long
    assert r.perf_by_label["Communication/EmailStatusWorker"].value == "23"
    assert "Pos/PosSettlementWorker" not in r.perf_by_label


@pytest.mark.timing
def test_timeout_state_critical(scenario):
    url = scenario(default_scenario(Pos={"delay": 4}))
    r = run("--base-url", url, "-w", "50", "-c", "100", "-t", "2:critical")
    assert r.code == 2
    assert "Pos" in r.status
    assert r.elapsed < 3.8


@pytest.mark.timing
@pytest.mark.parametrize("fault", [
    {"kind": "trickle", "interval": 0.2},
    {"kind": "hang"},
], ids=["trickle", "hang"])
def test_answer_not_finished_by_the_deadline(scenario, fault):
    url = scenario(default_scenario(Payments={"fault": fault}))
    r = run("--base-url", url, "-w", "50", "-c", "100", "-t", "1")
    assert r.code == 3
    assert "Payments" in r.status
    assert r.elapsed < 2.8
    assert "EmailStatusWorker" in r.long


@pytest.mark.timing
def test_services_are_fetched_at_the_same_time(scenario):
    doc = default_scenario(**{name: {"delay": 1.5}
                              for name in default_scenario()["services"]})
    url = scenario(doc)
    r = run("--base-url", url, "-w", "50", "-c", "100", "-t", "5")
    assert r.code == 0
    assert "36 workers in 9 services" in r.status
    assert r.elapsed < 4


def test_nothing_answers():
    r = run("--base-url", "http://127.0.0.1:%d" % closed_port(),
            "-w", "50", "-c", "100")
    assert r.code == 3
    assert r.perf_by_label["services_answered"].value == "0"
