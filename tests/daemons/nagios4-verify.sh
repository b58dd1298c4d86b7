#!/bin/sh
# nagios4 -v accepts contrib/nagios/sapera.cfg together with
# contrib/nagios/example-services.cfg, without errors or warnings.
#
# A minimal nagios.cfg in a temporary directory reads our two files and
# the few objects of the stock sample configuration that the examples
# use: the time period 24x7, a contact in the contact group admins and
# the host check command check-host-alive.  $USER1$ points at the build
# tree's plugins, and nagios_user is the current user, since Nagios
# reads the object files after dropping privileges.  Exit status is the
# verdict; the output of nagios4 -v is printed only on failure.
set -u

NAME=nagios4-verify
. "$(dirname "$0")/common.sh"

command -v nagios4 >/dev/null 2>&1 ||
	fail "nagios4 not found; install tests/daemons/packages.txt"

cat >"$tmp/minimal.cfg" <<'CFG'
define timeperiod {
    timeperiod_name 24x7
    alias           Always
    sunday          00:00-24:00
    monday          00:00-24:00
    tuesday         00:00-24:00
    wednesday       00:00-24:00
    thursday        00:00-24:00
    friday          00:00-24:00
    saturday        00:00-24:00
}

define command {
    command_name    notify-none
    command_line    /bin/true
}

define command {
    command_name    check-host-alive
    command_line    $USER1$/check_ping -H '$HOSTADDRESS$' -w 3000.0,80% -c 5000.0,100% -p 5
}

define contact {
    contact_name                    nagiosadmin
    alias                           Nagios Admin
    host_notification_period        24x7
    service_notification_period     24x7
    host_notification_options       n
    service_notification_options    n
    host_notification_commands      notify-none
    service_notification_commands   notify-none
}

define contactgroup {
    contactgroup_name   admins
    alias               Administrators
    members             nagiosadmin
}
CFG

printf '$USER1$=%s/plugins\n' "$builddir" >"$tmp/resource.cfg"
cat >"$tmp/nagios.cfg" <<CFG
nagios_user=$(id -un)
nagios_group=$(id -gn)
log_file=$tmp/nagios.log
resource_file=$tmp/resource.cfg
illegal_macro_output_chars=\`~\$&|'"<>
cfg_file=$tmp/minimal.cfg
cfg_file=$srcdir/contrib/nagios/sapera.cfg
cfg_file=$srcdir/contrib/nagios/example-services.cfg
CFG

nagios4 -v "$tmp/nagios.cfg" >"$tmp/log" 2>&1 ||
	fail "nagios4 -v refused the configuration"
grep '^Total Warnings: *0$' "$tmp/log" >/dev/null ||
	fail "nagios4 -v warned"
grep '^Total Errors: *0$' "$tmp/log" >/dev/null ||
	fail "nagios4 -v found errors"
for want in 'Checked 5 services' 'Checked 1 hosts' 'Checked 10 commands'; do
	grep "$want\\." "$tmp/log" >/dev/null ||
		fail "want '$want' from nagios4 -v"
done
exit 0
