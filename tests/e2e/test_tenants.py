"""check_sapera_tenants: one row per worker and tenant, tenant filters,
three-part overrides, sums per tenant, workers without tenants, names
and perfdata.

Default scenario figures used here (tenant runCount per worker):
Communication/EmailStatusWorker shop1 11, shop2 9, butikk-nord 3;
Inventory/ReorderSuggestionWorker and Communication/SmsSendingWorker
send no tenants array.
"""

import pytest

from conftest import default_scenario, raw_scenario, run, small_scenario

PLUGIN = "check_sapera_tenants"
TOTALS = {"total_backlog", "active_tenant_rows", "services_answered"}
NO_TENANTS = ("Inventory/ReorderSuggestionWorker",
              "Communication/SmsSendingWorker")


def tenants(*args, **kw):
    return run(*args, plugin=PLUGIN, **kw)


def tenant_rows(doc, keep=lambda t: True):
    """SERVICE/WORKER/DOMAIN -> runCount for the scenario's tenant rows."""
    rows = {}
    for service, svc in doc["services"].items():
        for w in svc["workers"]:
            for t in w.get("tenants") or []:
                if keep(t):
                    label = "%s/%s/%s" % (service, w["displayName"],
                                          t["domain"])
                    rows[label] = t["runCount"]
    return rows


def row_perf(r):
    """Perfdata of the rows (labels with a '/'), label -> value."""
    return {p.label: p.value for p in r.perf if "/" in p.label}


# ------------------------------------------------------------------ rows

def test_one_row_per_worker_and_tenant(scenario):
    url = scenario()
    r = tenants("--base-url", url, "-w", "50", "-c", "100",
                "--perfdata", "rows")
    assert r.code == 0
    want = tenant_rows(default_scenario())
    assert len(want) == 32
    assert "32 tenant rows in 9 services" in r.status
    got = row_perf(r)
    assert set(got) == set(want)
    assert got["Communication/EmailStatusWorker/shop1.example.com"] == "11"
    assert got["Communication/EmailStatusWorker/butikk-nord.example.no"] \
        == "3"
    assert got["WebShop/WebShopProductSyncWorker/"
               "sportshuset-vest.example.no"] == "U"


def test_tenant_row_breaks_threshold(scenario):
    url = scenario()
    r = tenants("--base-url", url, "-w", "10", "-c", "100")
    assert r.code == 1
    assert "Communication/EmailStatusWorker/shop1.example.com 11 (warn 10)" \
        in r.status
    # The worker's own 23 is not a tenant row.
    assert " 23 " not in r.status


def test_tenant_without_domain_is_known_by_its_name(scenario):
    url = scenario(small_scenario([
        {"displayName": "W", "runCount": None, "tenants": [
            {"name": "Nameless Domain AS", "domain": None,
             "runCount": 60, "processing": True}]}]))
    r = tenants("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
    assert r.code == 1
    assert "Payments/W/Nameless Domain AS 60 (warn 50)" in r.status


# --------------------------------------------------------------- filters

def domains_in(r):
    return {label.split("/", 2)[2] for label in row_perf(r)}


@pytest.mark.parametrize("glob", ["*.EXAMPLE.NO", "*.example.no",
                                  "*.Example.No"])
def test_tenant_matches_domain_in_any_letter_case(scenario, glob):
    url = scenario()
    r = tenants("--base-url", url, "--tenant", glob, "--perfdata", "rows")
    assert r.code == 0
    want = tenant_rows(default_scenario(),
                       lambda t: t["domain"].endswith(".example.no"))
    assert set(row_perf(r)) == set(want)
    assert "%d tenant rows" % len(want) in r.status


@pytest.mark.parametrize("glob", ["shop one as", "SHOP ONE*", "*One AS"])
def test_tenant_matches_name_in_any_letter_case(scenario, glob):
    url = scenario()
    r = tenants("--base-url", url, "--tenant", glob, "--perfdata", "rows")
    assert r.code == 0
    assert domains_in(r) == {"shop1.example.com"}


def test_tenant_is_repeatable_by_name_and_domain(scenario):
    url = scenario()
    r = tenants("--base-url", url, "--tenant", "shop two as",
                "--tenant", "KAFE-SENTRUM.*", "--perfdata", "rows")
    assert domains_in(r) == {"shop2.example.com", "kafe-sentrum.example.no"}


def test_tenant_name_with_non_ascii_letters_in_any_case(scenario):
    # "Kafé Sentrum AS" is the name of kafe-sentrum.example.no.
    url = scenario()
    r = tenants("--base-url", url, "--tenant", "KAFÉ SENTRUM AS",
                "--perfdata", "rows", env={"LC_ALL": "C.UTF-8"})
    assert domains_in(r) == {"kafe-sentrum.example.no"}


def test_exclude_tenant_by_domain_and_by_name(scenario):
    url = scenario()
    r = tenants("--base-url", url, "--exclude-tenant", "SHOP1.EXAMPLE.COM",
                "--exclude-tenant", "shop two*", "--perfdata", "rows")
    assert r.code == 0
    assert domains_in(r) == {"butikk-nord.example.no",
                             "kafe-sentrum.example.no",
                             "sportshuset-vest.example.no"}


def test_excluded_tenant_is_not_judged(scenario):
    url = scenario()
    r = tenants("--base-url", url, "-w", "10", "-c", "100",
                "--exclude-tenant", "Shop One AS")
    assert r.code == 0


# ------------------------------------------------------------- overrides

def test_override_with_three_parts(scenario):
    url = scenario()
    r = tenants("--base-url", url, "-s", "Communication",
                "-w", "50", "-c", "100",
                "--override", "Communication/EmailStatusWorker/SHOP1*=5,10")
    assert r.code == 2
    assert "Communication/EmailStatusWorker/shop1.example.com 11 (crit 10)" \
        in r.status
    # shop2 (9) keeps -w 50 -c 100.
    assert "shop2" not in r.status


def test_override_with_three_parts_matches_tenant_name(scenario):
    url = scenario()
    r = tenants("--base-url", url, "-s", "Communication",
                "-w", "50", "-c", "100",
                "--override", "*/*/shop two as=5,100")
    assert r.code == 1
    assert "Communication/EmailStatusWorker/shop2.example.com 9 (warn 5)" \
        in r.status


def test_override_with_two_parts_covers_every_tenant(scenario):
    url = scenario()
    r = tenants("--base-url", url, "-s", "Communication",
                "-w", "50", "-c", "100",
                "--override", "Communication/EmailStatus*=8,100")
    assert r.code == 1
    assert "shop1.example.com 11 (warn 8)" in r.status
    assert "shop2.example.com 9 (warn 8)" in r.status


def test_first_matching_override_wins(scenario):
    url = scenario()
    r = tenants("--base-url", url, "-s", "Communication",
                "-w", "50", "-c", "100",
                "--override", "Communication/EmailStatusWorker/shop1*=5,10",
                "--override", "Communication/*=8,100")
    assert r.code == 2
    assert "shop1.example.com 11 (crit 10)" in r.status
    assert "shop2.example.com 9 (warn 8)" in r.status


# ------------------------------------------------------------ per tenant

# Alpha: 5 + 7 = 12; Beta: 2 + "some" + 4, at least 6; Gamma: 0.
# InventoryWorker sends no tenants and counts for none of them.
def sums_scenario():
    def t(domain, count, name=None):
        return {"name": name or domain.split(".")[0].title() + " AS",
                "domain": domain, "runCount": count,
                "processing": count != 0}
    return {"services": {
        "Financial": {"workers": [
            {"displayName": "FinWorker", "tenantBeingProcessed": None,
             "runCount": 7,
             "tenants": [t("alpha.example", 5), t("beta.example", 2)]}]},
        "Payments": {"workers": [
            {"displayName": "PayWorker", "tenantBeingProcessed": None,
             "runCount": "some",
             "tenants": [t("alpha.example", 7), t("beta.example", "some"),
                         t("gamma.example", 0)]},
            {"displayName": "PayOther", "tenantBeingProcessed": None,
             "runCount": 4, "tenants": [t("beta.example", 4)]}]},
        "Inventory": {"workers": [
            {"displayName": "InventoryWorker",
             "tenantBeingProcessed": "alpha.example", "runCount": 9}]},
    }}


SUMS_ARGS = ("-s", "Financial,Payments,Inventory", "--per-tenant")


def test_per_tenant_sums_over_workers_and_services(scenario):
    url = scenario(sums_scenario())
    r = tenants("--base-url", url, *SUMS_ARGS, "--perfdata", "rows")
    assert r.code == 0
    assert "3 tenant rows in 3 services" in r.status
    got = row_perf(r)
    assert got["tenant/alpha.example"] == "12"
    assert got["tenant/gamma.example"] == "0"
    assert set(got) == {"tenant/alpha.example", "tenant/beta.example",
                        "tenant/gamma.example"}
    assert r.perf_by_label["total_backlog"].value == "18"


def test_per_tenant_sum_with_some_is_at_least(scenario):
    url = scenario(sums_scenario())
    r = tenants("--base-url", url, *SUMS_ARGS)
    beta = r.row("beta.example")
    assert len(beta) == 1
    assert "at least 6" in beta[0]
    alpha = r.row("alpha.example")
    assert "12" in alpha[0] and "at least" not in alpha[0]


def test_per_tenant_sum_is_judged(scenario):
    url = scenario(sums_scenario())
    r = tenants("--base-url", url, *SUMS_ARGS, "-w", "10", "-c", "100")
    assert r.code == 1
    assert "alpha.example 12 (warn 10)" in r.status


def test_per_tenant_sum_in_json(scenario):
    url = scenario(sums_scenario())
    r = tenants("--base-url", url, *SUMS_ARGS, "--output-format", "json")
    rows = {row["tenant"]: row for row in r.json["rows"]
            if row.get("tenant")}
    assert rows["alpha.example"]["count"] == 12
    assert rows["alpha.example"]["at_least"] is False
    assert rows["beta.example"]["count"] == 6
    assert rows["beta.example"]["at_least"] is True
    assert rows["gamma.example"]["count"] == 0


def test_per_tenant_with_tenant_filter(scenario):
    url = scenario(sums_scenario())
    r = tenants("--base-url", url, *SUMS_ARGS, "--tenant", "ALPHA AS",
                "--perfdata", "rows")
    assert set(row_perf(r)) == {"tenant/alpha.example"}
    assert r.perf_by_label["tenant/alpha.example"].value == "12"


# ------------------------------------------- workers without per-tenant

def test_worker_without_tenants_is_listed_not_zero(scenario):
    url = scenario()
    r = tenants("--base-url", url, "-w", "50", "-c", "100",
                "--perfdata", "rows")
    assert r.code == 0
    assert "2 workers give no per-tenant figures" in r.status
    for name in NO_TENANTS:
        service, worker = name.split("/")
        lines = r.row(worker)
        assert len(lines) == 1
        assert "no per-tenant figures" in lines[0]
        assert not [l for l in row_perf(r) if l.startswith(name + "/")]
    # SmsSendingWorker's own 1 is not a tenant's figure.
    assert r.perf_by_label["total_backlog"].value == "77"


def test_worker_without_tenants_in_per_tenant_mode(scenario):
    url = scenario(sums_scenario())
    r = tenants("--base-url", url, *SUMS_ARGS)
    assert "1 worker gives no per-tenant figures" in r.status
    lines = r.row("InventoryWorker")
    assert len(lines) == 1
    assert "no per-tenant figures" in lines[0]
    # Its 9 for alpha.example is not added.
    assert "12" in r.row("alpha.example")[0]


def test_missing_tenants_state_warning(scenario):
    url = scenario()
    r = tenants("--base-url", url, "-w", "50", "-c", "100",
                "--missing-tenants-state", "warning")
    assert r.code == 1
    for name in NO_TENANTS:
        assert name in r.status
    assert "2 workers give no per-tenant figures" in r.status
    assert "WARNING" in r.row("SmsSendingWorker")[0]


def test_tenants_missing_or_null_give_no_figures(scenario):
    url = scenario(small_scenario([
        {"displayName": "NoKey", "runCount": 4},
        {"displayName": "NullList", "runCount": None, "tenants": None},
        {"displayName": "Has", "runCount": 2, "tenants": [
            {"name": "A", "domain": "a.example", "runCount": 2}]}]))
    args = ("--base-url", url, "-s", "Payments", "--perfdata", "rows")
    r = tenants(*args)
    assert "2 workers give no per-tenant figures" in r.status
    assert set(row_perf(r)) == {"Payments/Has/a.example"}
    j = tenants(*args, "--output-format", "json")
    rows = {row["worker"]: row for row in j.json["rows"]}
    for name in ("NoKey", "NullList"):
        assert rows[name]["no_tenants"] is True
        assert rows[name]["tenant"] is None
    assert rows["NoKey"]["count"] == 4  # its own figure, not a tenant's
    assert rows["NullList"]["count"] is None


def test_empty_tenants_array_is_not_missing(scenario):
    url = scenario(small_scenario([
        {"displayName": "Idle", "runCount": 0, "tenants": []},
        {"displayName": "Busy", "runCount": 2, "tenants": [
            {"name": "A", "domain": "a.example", "runCount": 2}]}]))
    r = tenants("--base-url", url, "-s", "Payments",
                "--missing-tenants-state", "warning")
    assert r.code == 0
    assert "no per-tenant figures" not in r.stdout


# ------------------------------------------------------------------ names

UNICODE_BODY = (
    '{"service": "Payments", "workers": [{"displayName": "W", '
    '"runCount": null, "tenants": ['
    '{"name": "Bl\\u00e5b\\u00e6r \\ud83d\\ude00 AS", "domain": null, '
    '"runCount": 60, "processing": true},'
    '{"name": "x", "domain": "d\\u00e6.example", "runCount": 2}]}]}')


def test_unicode_escapes_in_tenant_names_are_decoded(scenario):
    url = scenario(raw_scenario(UNICODE_BODY))
    r = tenants("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100",
                "--perfdata", "rows")
    assert r.code == 1
    assert "Payments/W/Bl\u00e5b\u00e6r \U0001f600 AS 60 (warn 50)" \
        in r.status
    assert r.row("d\u00e6.example")
    assert "\\u" not in r.stdout
    r.raw.decode("utf-8")
    labels = [p.label for p in r.perf if p.label.startswith("Payments/")]
    assert len(labels) == len(set(labels)) == 2


def test_unicode_tenant_name_matches_glob(scenario):
    url = scenario(raw_scenario(UNICODE_BODY))
    r = tenants("--base-url", url, "-s", "Payments", "--tenant", "bl\u00e5*",
                "-w", "50", "-c", "100", "--perfdata", "rows")
    assert r.code == 1
    assert len(row_perf(r)) == 1
    assert "Bl\u00e5b\u00e6r" in r.status


# --------------------------------------------------------------- perfdata

def test_perfdata_defaults_to_totals(scenario):
    url = scenario()
    r = tenants("--base-url", url, "-w", "50", "-c", "100")
    assert {p.label for p in r.perf} == TOTALS
    assert r.perf_by_label["services_answered"].value == "9"
    assert r.perf_by_label["active_tenant_rows"].value == "18"


def test_perfdata_rows_has_a_label_per_row(scenario):
    url = scenario()
    r = tenants("--base-url", url, "-s", "Financial", "-w", "50", "-c", "100",
                "--perfdata", "rows")
    rows = {p.label: p for p in r.perf if p.label not in TOTALS}
    assert set(rows) == set(tenant_rows(
        {"services": {"Financial": default_scenario()["services"]
                      ["Financial"]}}))
    one = rows["Financial/SyncSalesPricesWorker/shop1.example.com"]
    assert (one.value, one.warn, one.crit) == ("4", "50", "100")


def test_perfdata_none(scenario):
    url = scenario()
    r = tenants("--base-url", url, "--perfdata", "none")
    assert r.perf == []


# ----------------------------------------------------------- expectations

def test_expected_worker_missing_is_critical(scenario):
    url = scenario()
    r = tenants("--base-url", url, "-w", "50", "-c", "100",
                "--expect-worker", "Payments/NoSuchWorker",
                "--expect-worker", "Financial/SyncSales*")
    assert r.code == 2
    assert "Payments/NoSuchWorker" in r.status
    assert "expected worker missing" in r.status
    assert "SyncSales" not in r.status


def test_expected_worker_present_is_ok(scenario):
    url = scenario()
    r = tenants("--base-url", url, "-w", "50", "-c", "100",
                "--expect-worker", "financial/syncsalespricesworker")
    assert r.code == 0


@pytest.mark.parametrize("globs", [["--tenant", "nomatch"],
                                   ["--exclude-tenant", "*"],
                                   ["--tenant", "nomatch", "--per-tenant"]])
def test_tenant_globs_that_match_nothing_are_unknown(scenario, globs):
    # Workers without per-tenant figures are listed whatever the globs
    # say; they must not make a typo look like a quiet system.
    url = scenario()
    r = tenants("--base-url", url, *globs)
    assert r.code == 3
    assert "no tenant rows match" in r.status


@pytest.mark.parametrize("value", ['{"domain": "a", "runCount": 900}',
                                   '"a.example"', "17"])
def test_tenants_of_a_wrong_type_are_unknown(scenario, value):
    body = ('{"workers": [{"displayName": "G", "runCount": 900, '
            '"tenants": %s}, {"displayName": "H", "runCount": 1}]}' % value)
    url = scenario(raw_scenario(body))
    r = tenants("--base-url", url, "-s", "Payments", "-w", "50", "-c", "100")
    assert r.code == 3
    assert "Payments/G" in r.status
    assert "tenants is" in r.status
