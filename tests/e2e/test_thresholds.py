"""Thresholds: -w/-c, "some", --override and bad ranges.

Default scenario figures used here: Communication/EmailStatusWorker 23,
EmailSendingWorker 2, Inventory/StockUpdateWorker 12,
WebShop/WebShopOrderImportWorker 14, Pos/PosTransactionUploadWorker 5,
Inventory/ReorderSuggestionWorker "some".
"""

import pytest

from conftest import run

REORDER = ("--worker", "ReorderSuggestionWorker")


def test_some_counts_as_one_by_default(scenario):
    url = scenario()
    r = run("--base-url", url, *REORDER, "-w", "0", "-c", "100")
    assert r.code == 1
    assert "Inventory/ReorderSuggestionWorker" in r.status


def test_some_is_within_a_range_that_holds_one(scenario):
    url = scenario()
    r = run("--base-url", url, *REORDER, "-w", "1", "-c", "2")
    assert r.code == 0


def test_some_as_n(scenario):
    url = scenario()
    r = run("--base-url", url, *REORDER, "-w", "10", "-c", "20",
            "--some-as", "30")
    assert r.code == 2
    assert "Inventory/ReorderSuggestionWorker" in r.status
    assert "crit 20" in r.status


def test_some_is_u_in_perfdata(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "50", "-c", "100")
    assert r.perf_by_label["Inventory/ReorderSuggestionWorker"].value == "U"
    assert r.perf_by_label["WebShop/WebShopProductSyncWorker"].value == "U"


def test_first_matching_override_wins(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "50", "-c", "100",
            "--override", "Communication/*=30,40",
            "--override", "*/EmailStatus*=1,2")
    assert r.code == 0
    r = run("--base-url", url, "-w", "50", "-c", "100",
            "--override", "*/EmailStatus*=1,2",
            "--override", "Communication/*=30,40")
    assert r.code == 2
    assert "Communication/EmailStatusWorker 23 (crit 2)" in r.status


def test_override_glob_in_service_part(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "10", "-c", "20",
            "--override", "*/EmailStatusWorker=30,40")
    assert r.code == 1
    assert "EmailStatusWorker" not in r.status
    assert r.perf_by_label["Communication/EmailStatusWorker"].crit == "40"


def test_override_glob_in_worker_part(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "10", "-c", "20",
            "--override", "Communication/*=30,40")
    assert r.code == 1
    assert "Communication" not in r.status
    assert r.perf_by_label["Communication/SmsSendingWorker"].warn == "30"


def test_override_worker_glob_picks_matching_workers(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "50", "-c", "100",
            "--override", "*/*Import*=1,2")
    assert r.code == 2
    assert "WebShop/WebShopOrderImportWorker 14 (crit 2)" in r.status
    assert "more" not in r.status
    assert r.perf_by_label["Inventory/InventoryCountImportWorker"].crit == "2"
    assert r.perf_by_label["Inventory/StockUpdateWorker"].crit == "100"


def test_override_empty_warn_means_none(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "10", "-c", "20",
            "--override", "Communication/EmailStatusWorker=,30")
    assert r.code == 1
    assert "EmailStatusWorker" not in r.status
    p = r.perf_by_label["Communication/EmailStatusWorker"]
    assert (p.warn, p.crit) == ("", "30")


def test_override_empty_crit_means_none(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "50", "-c", "20",
            "--override", "Communication/EmailStatusWorker=10,")
    assert r.code == 1
    assert "Communication/EmailStatusWorker 23 (warn 10)" in r.status
    p = r.perf_by_label["Communication/EmailStatusWorker"]
    assert (p.warn, p.crit) == ("10", "")


def test_rows_without_override_fall_back_to_w_and_c(scenario):
    url = scenario()
    r = run("--base-url", url, "-w", "10", "-c", "20",
            "--override", "Pos/*=1,2")
    assert r.code == 2
    assert "Pos/PosTransactionUploadWorker 5 (crit 2)" in r.status
    assert "Communication/EmailStatusWorker 23 (crit 20)" in r.status


@pytest.mark.parametrize("args, bad", [
    (("-w", "20:10"), "20:10"),
    (("-c", "abc"), "abc"),
    (("-w", "1", "-c", "@"), "@"),
    (("--override", "foo"), "foo"),
    (("--override", "Financial/*=abc,1"), "abc"),
    (("--override", "Financial/*"), "Financial/*"),
    (("--override", "Nosuch/SomeWorker=1,2"), "Nosuch"),
    (("--some-as", "x"), "x"),
    (("-t", "abc"), "abc"),
    (("--unreachable-state", "bogus"), "bogus"),
], ids=lambda v: " ".join(v) if isinstance(v, tuple) else None)
def test_invalid_argument_is_unknown_naming_it(scenario, args, bad):
    url = scenario()
    r = run("--base-url", url, *args)
    assert r.code == 3
    assert bad in r.status
