"""Which services and workers are checked: -s, --worker, --exclude-worker."""

import pytest

from conftest import run

WORKER_ROWS = 36


def services_in_perfdata(r):
    return {p.label.split("/")[0] for p in r.perf if "/" in p.label}


def workers_in_perfdata(r):
    return [p.label for p in r.perf if "/" in p.label]


def test_worker_glob_is_case_insensitive(scenario):
    url = scenario()
    r = run("--base-url", url, "--worker", "email*", "-w", "50", "-c", "100")
    assert r.code == 0
    assert "2 workers" in r.status
    assert sorted(workers_in_perfdata(r)) == [
        "Communication/EmailSendingWorker", "Communication/EmailStatusWorker"]


def test_worker_is_repeatable(scenario):
    url = scenario()
    r = run("--base-url", url, "--worker", "EmailStatusWorker",
            "--worker", "*SETTLEMENT*", "-w", "50", "-c", "100")
    assert sorted(workers_in_perfdata(r)) == [
        "Communication/EmailStatusWorker", "Payments/PaymentSettlementWorker",
        "Pos/PosSettlementWorker"]


def test_exclude_worker_glob_is_case_insensitive(scenario):
    url = scenario()
    r = run("--base-url", url, "--exclude-worker", "*SYNC*",
            "-w", "50", "-c", "100")
    assert r.code == 0
    names = workers_in_perfdata(r)
    assert names
    assert not [n for n in names if "sync" in n.lower()]
    assert len(names) == WORKER_ROWS - 7


def test_excluded_worker_is_not_judged(scenario):
    url = scenario()
    r = run("--base-url", url, "--exclude-worker", "EmailStatusWorker",
            "-w", "20", "-c", "100")
    assert r.code == 0


def test_service_list_is_case_insensitive_and_repeatable(scenario):
    url = scenario()
    r = run("--base-url", url, "-s", "pos,WEBSHOP", "-s", "reports",
            "-w", "50", "-c", "100")
    assert r.code == 0
    assert "11 workers in 3 services" in r.status
    assert services_in_perfdata(r) == {"Pos", "WebShop", "Reports"}


def test_only_selected_services_are_fetched(scenario, sim):
    url = scenario()
    run("--base-url", url, "-s", "Financial", "-w", "50", "-c", "100")
    assert [q["path"] for q in sim.requests()] == [
        "/financial/api/workers/status"]


def test_worker_filter_matching_nothing_is_unknown(scenario):
    url = scenario()
    r = run("--base-url", url, "--worker", "NoSuchWorker*",
            "-w", "50", "-c", "100")
    assert r.code == 3


def test_exclude_filter_leaving_nothing_is_unknown(scenario):
    url = scenario()
    r = run("--base-url", url, "--exclude-worker", "*",
            "-w", "50", "-c", "100")
    assert r.code == 3


def test_unknown_service_is_unknown(scenario):
    url = scenario()
    r = run("--base-url", url, "-s", "Financial,Bogus")
    assert r.code == 3
    assert "Bogus" in r.status


# ------------------------------------------------------------ --extra-opts

def ini_file(tmp_path, *lines):
    path = tmp_path / "sapera.ini"
    path.write_text("[check_sapera_workers]\n" + "\n".join(lines) + "\n")
    path.chmod(0o600)
    return "--extra-opts=@%s" % path


def test_extra_opts_supply_what_argv_leaves_out(scenario, tmp_path):
    url = scenario()
    ini = ini_file(tmp_path, "base-url = " + url, "service = Communication",
                   "worker = *Email*", "warning = 1")
    r = run(ini)
    assert r.code == 1
    assert services_in_perfdata(r) == {"Communication"}
    assert len(workers_in_perfdata(r)) == 2


def test_argv_replaces_repeatable_options_of_the_file(scenario, tmp_path):
    # The file's -s and --override would add to the command line's, and
    # its override, coming first, would win: argv must replace them.
    url = scenario()
    ini = ini_file(tmp_path, "base-url = " + url, "service = Communication",
                   "s = Reports", "override = Pos/*=1,2")
    r = run(ini, "-s", "Pos", "--override", "Pos/*=100,200")
    assert r.code == 0
    assert services_in_perfdata(r) == {"Pos"}
    assert all(p.warn == "100" for p in r.perf if "/" in p.label)


def test_argv_base_url_replaces_hostname_of_the_file(scenario, tmp_path):
    url = scenario()
    ini = ini_file(tmp_path, "hostname = sapera.invalid", "port = 1")
    r = run(ini, "--base-url", url, "-s", "Pos")
    assert r.code == 0
    assert services_in_perfdata(r) == {"Pos"}


def test_file_options_stay_when_argv_gives_others(scenario, tmp_path):
    url = scenario()
    ini = ini_file(tmp_path, "base-url = " + url, "critical = 1")
    r = run(ini, "-s", "Communication")
    assert r.code == 2


# ------------------------------------------------ selections that are typos

@pytest.mark.parametrize("plugin", ["check_sapera_workers",
                                    "check_sapera_tenants",
                                    "check_sapera_services"])
@pytest.mark.parametrize("services", ["", ",", " , "])
def test_empty_service_list_is_unknown(scenario, plugin, services):
    # An unset variable in a monitoring core gives -s '': that checks
    # nothing and must not pass as OK.
    url = scenario()
    r = run("--base-url", url, "-s", services, plugin=plugin)
    assert r.code == 3
    assert "no service selected" in r.status


@pytest.mark.parametrize("template,words", [
    ("{base}/{bogus}/api", ["unknown placeholder", "{bogus}"]),
    ("{base}/api/workers/status", ["needs {service}"]),
])
def test_url_template_that_cannot_tell_services_apart(scenario, template,
                                                      words):
    url = scenario()
    r = run("--base-url", url, "--url-template", template)
    assert r.code == 3
    for w in words:
        assert w in r.status


def test_url_template_with_display_spelling(scenario, sim):
    url = scenario()
    r = run("--base-url", url, "-s", "WebShop", "--url-template",
            "{base}/{Service}/api/workers/status")
    assert [q["path"] for q in sim.requests()] == [
        "/WebShop/api/workers/status"]
    assert r.code in (0, 3)


def test_expected_worker_outside_the_selection_is_a_usage_error(scenario):
    url = scenario()
    r = run("--base-url", url, "-s", "Pos",
            "--expect-worker", "Financial/SyncSalesPricesWorker")
    assert r.code == 3
    assert "not among the services selected" in r.status
