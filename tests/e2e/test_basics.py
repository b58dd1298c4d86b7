"""check_sapera_workers on the default scenario: states, the status line,
the standard options and what is sent to the services."""

import re

from conftest import SERVICES, default_scenario, run


def test_default_scenario_is_ok(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "50", "-c", "100")
    assert r.code == 0
    assert "36 workers in 9 services" in r.status


def test_default_scenario_perfdata_has_every_worker(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "50", "-c", "100")
    want = sorted("%s/%s" % (service, w["displayName"])
                  for service, svc in default_scenario()["services"].items()
                  for w in svc["workers"])
    assert sorted(p.label for p in r.perf if "/" in p.label) == want
    email = r.perf_by_label["Communication/EmailStatusWorker"]
    assert (email.value, email.warn, email.crit) == ("23", "50", "100")


def test_warning(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "20", "-c", "100")
    assert r.code == 1
    assert "Communication/EmailStatusWorker 23 (warn 20)" in r.status


def test_critical(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "10", "-c", "20")
    assert r.code == 2
    assert "Communication/EmailStatusWorker 23 (crit 20)" in r.status


def test_worst_row_is_listed_first(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "10", "-c", "20")
    crit = r.status.index("Communication/EmailStatusWorker 23 (crit 20)")
    stock = r.status.index("Inventory/StockUpdateWorker 12 (warn 10)")
    shop = r.status.index("WebShop/WebShopOrderImportWorker 14 (warn 10)")
    assert crit < stock and crit < shop


def test_more_than_three_bad_rows_are_summed_up(scenario):
    url = scenario()
    # Four rows break -w 5: 7, 12, 14 and 23.
    r = run("--base-url", url, "-w", "5", "-c", "100")
    assert r.code == 1
    assert "+1 more" in r.status
    assert len(re.findall(r"\(warn 5\)", r.status)) == 3


def test_three_bad_rows_need_no_summary(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "10", "-c", "100")
    assert r.code == 1
    assert "more" not in r.status
    assert len(re.findall(r"\(warn 10\)", r.status)) == 3


def test_help_short():
    r = run("-h", status_line=False)
    assert r.code == 3
    assert "check_sapera_workers" in r.stdout
    assert "Usage" in r.stdout


def test_help_long():
    r = run("--help", status_line=False)
    assert r.code == 3
    assert "check_sapera_workers" in r.stdout
    assert "--override" in r.stdout


def test_version():
    r = run("-V", status_line=False)
    assert r.code == 3
    assert "check_sapera_workers" in r.stdout
    assert "libcurl" in r.stdout


def test_bad_option_is_unknown_with_usage():
    r = run("--no-such-option")
    assert r.code == 3
    assert "--no-such-option" in r.status
    assert "Usage" in r.long


def test_no_address_is_unknown():
    r = run("-w", "10")
    assert r.code == 3


def test_accept_header_is_json(scenario, sim):
    url = scenario()
    run("--base-url", url, "-w", "50", "-c", "100")
    reqs = sim.requests()
    assert len(reqs) == len(SERVICES)
    for req in reqs:
        assert req["method"] == "GET"
        assert req["headers"].get("Accept") == "application/json"


def test_each_service_is_asked_at_its_path(scenario, sim):
    url = scenario()
    run("--base-url", url, "-w", "50", "-c", "100")
    paths = sorted(req["path"] for req in sim.requests())
    assert paths == sorted("/%s/api/workers/status" % s.lower()
                           for s in SERVICES)


def test_german_locale_gives_the_same_output(scenario, de_locale):
    url = scenario()
    args = ("--base-url", url, "-w", "10.5", "-c", "20.5")
    c = run(*args)
    de = run(*args, env=de_locale)
    assert c.code == de.code == 2
    assert "(crit 20.5)" in c.status
    assert c.stdout == de.stdout
