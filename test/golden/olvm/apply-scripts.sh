#### engine: apply script
[ -e /run/vprov ] || [ -L /run/vprov ] || mkdir -m 0700 /run/vprov 2>/dev/null
if [ -L /run/vprov ] || [ ! -d /run/vprov ] || [ "$(stat -c %u /run/vprov)" != 0 ]; then echo '@@vprov:locked@@'; echo "/run/vprov is not vprov's: $(ls -ld /run/vprov 2>&1) (a directory owned by root, not a symlink, expected): vprov takes no apply lock there"; exit 0; fi
chmod 0700 /run/vprov; if [ -f /run/vprov/lock ]; then chmod 0600 /run/vprov/lock; fi
{
trap '' PIPE HUP
VPROV_RUN=abc123
if ! command -v flock >/dev/null 2>&1; then echo '@@vprov:locked@@'; echo 'flock (util-linux) is not installed: vprov cannot take the apply lock'; exit 0; fi
if ! flock -w 120 9; then vprov_holder=$(cat /run/vprov/lock.owner 2>/dev/null); echo '@@vprov:locked@@'; echo "locked by ${vprov_holder:-a holder that is not a vprov run in progress (/run/vprov/lock.owner is empty)} (waited 120 s for /run/vprov/lock)"; exit 0; fi
printf '%s\n' 'controller/4242 (ops, run abc123) since 2026-01-01T00:00:00.000Z' > /run/vprov/lock.owner; trap ': > /run/vprov/lock.owner' EXIT
vprov_facts=$( {
echo '@@vprov:host@@'
if [ -d /run/systemd/system ]; then echo systemd=yes; else echo systemd=no; fi
if [ -f '/etc/vprov/host.json' ]; then printf record=; { base64 -w0 < '/etc/vprov/host.json' || printf '%s' '!unreadable'; }; echo; else echo record=absent; fi
if [ -f /var/lib/vprov/last-apply.json ]; then echo applied_before=yes; fi
echo '@@vprov:firewall@@'
{
VPROV_FIREWALLD=1; vprov_fwd_unit=; vprov_fwd_inst=
if { command -v firewall-cmd || command -v firewalld; } >/dev/null 2>&1; then vprov_fwd_inst=1; fi
if { vprov_fwd_p=; for vprov_fwd_c in /proc/[0-9]*/comm; do IFS= read -r vprov_fwd_n < "$vprov_fwd_c" && [ "$vprov_fwd_n" = firewalld ] && { vprov_fwd_p=1; break; }; done 2>/dev/null; [ -n "$vprov_fwd_p" ]; } || { [ -n "$vprov_fwd_inst" ] && pidof -x firewalld >/dev/null 2>&1; }; then echo firewalld=running
else
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then vprov_fwd_unit=$(systemctl is-active firewalld.service 2>/dev/null); fi
  case $vprov_fwd_unit in
    active|activating|reloading|deactivating) echo firewalld=running ;;
    *) VPROV_FIREWALLD=; echo firewalld=no
      if [ -z "$vprov_fwd_inst" ]; then echo 'firewalld_state=not installed'
      elif [ -z "$vprov_fwd_unit" ]; then echo 'firewalld_state=no firewalld process'
      else echo "firewalld_state=firewalld.service: $vprov_fwd_unit"; if [ "$vprov_fwd_unit" = failed ]; then echo "firewalld_log=$(journalctl -u firewalld.service -n 5 --no-pager -o cat 2>/dev/null | base64 -w0)"; fi; fi ;;
  esac
fi
if command -v nft >/dev/null 2>&1; then echo nft=yes
  if out=$(nft -s -j list ruleset 2>&1); then echo "ruleset=$(printf '%s' "$out" | base64 -w0)"; else echo "ruleset_error=$(printf '%s' "$out" | base64 -w0)"; fi
else echo nft=no; fi
if [ -f '/etc/vprov/vprov.nft' ]; then printf persisted=; { base64 -w0 < '/etc/vprov/vprov.nft' || printf '%s' '!unreadable'; }; echo; else echo persisted=absent; fi
if [ -f '/etc/systemd/system/vprov-nftables.service' ]; then printf unit=; { base64 -w0 < '/etc/systemd/system/vprov-nftables.service' || printf '%s' '!unreadable'; }; echo; else echo unit=absent; fi
if [ -f '/etc/systemd/system/nftables.service.d/50-vprov.conf' ]; then printf dropin=; { base64 -w0 < '/etc/systemd/system/nftables.service.d/50-vprov.conf' || printf '%s' '!unreadable'; }; echo; else echo dropin=absent; fi
for f in /etc/firewalld/ipsets/vprov-*.xml /etc/firewalld/policies/vprov-*.xml; do [ -f "$f" ] && echo "file:$f=$({ base64 -w0 < "$f" || printf '%s' '!unreadable'; })"; done
if [ -n "$VPROV_FIREWALLD" ]; then
vprov_firewalld_wait() {
  vprov_fwd_end=$(( $(date +%s) + 90 ))
  while :; do
    firewall-cmd --state >/dev/null 2>&1; vprov_fwd_rc=$?
    [ "$vprov_fwd_rc" = 0 ] && return 0
    # 126/127: firewall-cmd cannot run at all (its interpreter is gone): no wait helps, the caller's own error says why
    case $vprov_fwd_rc in 126|127) vprov_fwd_why=; return 1 ;; esac
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
      vprov_fwd_unit=$(systemctl is-active firewalld.service 2>/dev/null)
      case $vprov_fwd_unit in active|activating|reloading|deactivating) ;; *)
        vprov_fwd_why="firewalld.service is ${vprov_fwd_unit:-unknown}; last log lines: $(journalctl -u firewalld.service -n 5 --no-pager -o cat 2>/dev/null | tr '\n' ' ')"; return 1 ;;
      esac
    elif ! { { vprov_fwd_p=; for vprov_fwd_c in /proc/[0-9]*/comm; do IFS= read -r vprov_fwd_n < "$vprov_fwd_c" && [ "$vprov_fwd_n" = firewalld ] && { vprov_fwd_p=1; break; }; done 2>/dev/null; [ -n "$vprov_fwd_p" ]; } || pidof -x firewalld >/dev/null 2>&1; }; then
      vprov_fwd_why='no firewalld process is running'; return 1
    fi
    if [ "$(date +%s)" -ge "$vprov_fwd_end" ]; then
      vprov_fwd_why="firewalld runs${vprov_fwd_unit:+ (firewalld.service: $vprov_fwd_unit)} but did not answer on D-Bus within 90 s: $(firewall-cmd --state 2>&1 | tr '\n' ' ')"
      # Seen on Debian bookworm's policy: dbus-daemon denies firewalld's replies to an admin shell (a USER_AVC).
      [ "$(getenforce 2>/dev/null)" = Enforcing ] && vprov_fwd_why="$vprov_fwd_why (SELinux is enforcing: look for firewalld_t send_msg denials with ausearch -m USER_AVC; docs/resources.md)"
      return 1
    fi
    sleep 1
  done
}
vprov_untrusted() {
  case $1 in /*) ;; *) echo "$1 is not an absolute path"; return ;; esac
  vprov_tr_real=$(readlink -f -- "$1") || { echo "$1 cannot be resolved"; return; }
  vprov_tr_list=
  for vprov_tr_p in "$1" "$vprov_tr_real"; do
    while :; do
      if [ -e "$vprov_tr_p" ] || [ -L "$vprov_tr_p" ]; then vprov_tr_list="$vprov_tr_list $vprov_tr_p"; fi
      [ "$vprov_tr_p" = / ] && break
      vprov_tr_p=${vprov_tr_p%/*}; [ -n "$vprov_tr_p" ] || vprov_tr_p=/
    done
  done
  stat -c '%u %f %n' -- $vprov_tr_list 2>&1 | while read -r vprov_tr_u vprov_tr_f vprov_tr_n; do
    case $vprov_tr_f in *[!0-9a-f]*|'') echo "$vprov_tr_u $vprov_tr_f $vprov_tr_n"; break ;; esac
    vprov_tr_m=$(( 0x$vprov_tr_f ))
    if [ "$vprov_tr_u" != 0 ] || { [ $(( vprov_tr_m & 61440 )) != 40960 ] && [ $(( vprov_tr_m & 18 )) != 0 ]; }; then
      echo "$vprov_tr_n (owner uid $vprov_tr_u, mode $(printf '%o' $(( vprov_tr_m & 4095 ))))"; break
    fi
  done
}
vprov_fwd_cmd=$(command -v firewall-cmd || echo /usr/bin/firewall-cmd)
py=$(sed -n '1{s/^#![[:space:]]*//;s/[[:space:]][[:space:]]*/ /g;p;}' "$vprov_fwd_cmd" 2>/dev/null); py=${py%% *}
case $py in */env) py=$(sed -n '1{s/^#![[:space:]]*//;s/[[:space:]][[:space:]]*/ /g;p;}' "$vprov_fwd_cmd" | cut -d' ' -f2); py=$(command -v "$py") ;; '') py=$(command -v python3) ;; esac
vprov_fwd_code='aW1wb3J0IHN5czsgc3lzLnBhdGhbOl0gPSBbcCBmb3IgcCBpbiBzeXMucGF0aCBpZiBwIG5vdCBpbiAoIiIsICIuIildCmltcG9ydCBqc29uLCBkYnVzCmZyb20gZmlyZXdhbGwuY29uZmlnIGltcG9ydCBWRVJTSU9OCkIgPSAib3JnLmZlZG9yYXByb2plY3QuRmlyZXdhbGxEMSIKdHJ5OgogICAgbyA9IGRidXMuU3lzdGVtQnVzKCkuZ2V0X29iamVjdChCLCAiL29yZy9mZWRvcmFwcm9qZWN0L0ZpcmV3YWxsRDEiLCBpbnRyb3NwZWN0PUZhbHNlKQogICAgcHJvcCA9IGxhbWJkYSBuYW1lOiBvLkdldChCLCBuYW1lLCBkYnVzX2ludGVyZmFjZT0ib3JnLmZyZWVkZXNrdG9wLkRCdXMuUHJvcGVydGllcyIpCiAgICBzdGF0ZSA9IHN0cihwcm9wKCJzdGF0ZSIpKQpleGNlcHQgZGJ1cy5leGNlcHRpb25zLkRCdXNFeGNlcHRpb24gYXMgZToKICAgIHJhaXNlIFN5c3RlbUV4aXQoImZpcmV3YWxsZCBkb2VzIG5vdCBhbnN3ZXIgb24gRC1CdXMgKCVzOiAlcykiICUgKGUuZ2V0X2RidXNfbmFtZSgpLCBlLmdldF9kYnVzX21lc3NhZ2UoKSkpCmlmIHN0YXRlICE9ICJSVU5OSU5HIjoKICAgIHJhaXNlIFN5c3RlbUV4aXQoImZpcmV3YWxsZCBhbnN3ZXJzIGJ1dCBpcyBub3QgcnVubmluZyB5ZXQgKHN0YXRlICVzKSIgJSBzdGF0ZSkKdmVyc2lvbiA9IFZFUlNJT04Kc3RycyA9IGxhbWJkYSB4czogW3N0cih4KSBmb3IgeCBpbiB4c10Kb3V0ID0geyJ2ZXJzaW9uIjogdmVyc2lvbiwgImlwc2V0cyI6IHt9LCAicG9saWNpZXMiOiB7fX0KaXBzZXQgPSBkYnVzLkludGVyZmFjZShvLCBCICsgIi5pcHNldCIpCmZvciBuIGluIGlwc2V0LmdldElQU2V0cygpOgogICAgaWYgbi5zdGFydHN3aXRoKCJ2cHJvdi0iKToKICAgICAgICBzID0gaXBzZXQuZ2V0SVBTZXRTZXR0aW5ncyhuKQogICAgICAgIG91dFsiaXBzZXRzIl1bc3RyKG4pXSA9IHsidHlwZSI6IHN0cihzWzNdKSwgImZhbWlseSI6IHN0cihzWzRdLmdldCgiZmFtaWx5IiwgImluZXQiKSksICJlbnRyaWVzIjogc3RycyhzWzVdKX0KIyBwb2xpY2llcyBleGlzdCBmcm9tIDAuOS4wIChvbGRlciBvbmVzIGFyZSByZWZ1c2VkIGJ5IHZlcnNpb24pOyBhbnkgZXJyb3IgcmVhZGluZyB0aGVtIGlzIG9uZQppZiBbaW50KHgpIGlmIHguaXNkaWdpdCgpIGVsc2UgMCBmb3IgeCBpbiB2ZXJzaW9uLnNwbGl0KCIuIilbOjJdXSA+PSBbMCwgOV06CiAgICBwb2xpY3kgPSBkYnVzLkludGVyZmFjZShvLCBCICsgIi5wb2xpY3kiKQogICAgZm9yIHAgaW4gcG9saWN5LmdldFBvbGljaWVzKCk6CiAgICAgICAgaWYgcC5zdGFydHN3aXRoKCJ2cHJvdi0iKToKICAgICAgICAgICAgcyA9IHBvbGljeS5nZXRQb2xpY3lTZXR0aW5ncyhwKQogICAgICAgICAgICBvdXRbInBvbGljaWVzIl1bc3RyKHApXSA9IHsidGFyZ2V0Ijogc3RyKHMuZ2V0KCJ0YXJnZXQiLCAiQ09OVElOVUUiKSksICJwcmlvcml0eSI6IGludChzLmdldCgicHJpb3JpdHkiLCAtMSkpLCAiaW5ncmVzcyI6IHN0cnMocy5nZXQoImluZ3Jlc3Nfem9uZXMiLCBbXSkpLCAiZWdyZXNzIjogc3RycyhzLmdldCgiZWdyZXNzX3pvbmVzIiwgW10pKSwgInJ1bGVzIjogc3RycyhzLmdldCgicmljaF9ydWxlcyIsIFtdKSl9CiMgV2hhdCB0aGUgYWN0aXZlIHpvbmVzIChhbmQgdGhlIGRlZmF1bHQgem9uZSkgb3BlbiBiZXNpZGVzIHZwcm92J3MgcG9saWN5OiByZXBvcnRlZCwgbmV2ZXIgZWRpdGVkLgojIEEgem9uZSB0aGF0IGNhbm5vdCBiZSByZWFkIHNheXMgc287IGl0IG5ldmVyIGZhaWxzIHRoZSBwcm9iZSBvZiB2cHJvdidzIG93biBvYmplY3RzLgp0cnk6CiAgICB6b25lID0gZGJ1cy5JbnRlcmZhY2UobywgQiArICIuem9uZSIpCiAgICBuYW1lcyA9IHNldChzdHIoeikgZm9yIHogaW4gem9uZS5nZXRBY3RpdmVab25lcygpLmtleXMoKSkKICAgIG5hbWVzLmFkZChzdHIoZGJ1cy5JbnRlcmZhY2UobywgQikuZ2V0RGVmYXVsdFpvbmUoKSkpCiAgICBvdXRbInpvbmVzIl0gPSB7fQogICAgZm9yIHogaW4gc29ydGVkKG5hbWVzKToKICAgICAgICBzID0gem9uZS5nZXRab25lU2V0dGluZ3MyKHopCiAgICAgICAgb3V0WyJ6b25lcyJdW3pdID0geyJ0YXJnZXQiOiBzdHIocy5nZXQoInRhcmdldCIsICJkZWZhdWx0IikpLCAic2VydmljZXMiOiBzdHJzKHMuZ2V0KCJzZXJ2aWNlcyIsIFtdKSksICJwb3J0cyI6IFsiJXMvJXMiICUgKHN0cihwKSwgc3RyKHEpKSBmb3IgcCwgcSBpbiBzLmdldCgicG9ydHMiLCBbXSldLCAicmljaF9ydWxlcyI6IHN0cnMocy5nZXQoInJpY2hfcnVsZXMiLCBbXSkpLCAic291cmNlcyI6IHN0cnMocy5nZXQoInNvdXJjZXMiLCBbXSkpfQpleGNlcHQgZGJ1cy5leGNlcHRpb25zLkRCdXNFeGNlcHRpb24gYXMgZToKICAgIG91dFsiem9uZXNfZXJyb3IiXSA9ICIlczogJXMiICUgKGUuZ2V0X2RidXNfbmFtZSgpLCBlLmdldF9kYnVzX21lc3NhZ2UoKSkKcHJpbnQoanNvbi5kdW1wcyhvdXQpKQo='
vprov_fwd_probe() {
  out=$(printf '%s' "$vprov_fwd_code" | base64 -d | "$py" -I - 2>&1) && return 0
  case $out in *'nknown option'*-I*|*'nknown option: -I'*) out=$(printf '%s' "$vprov_fwd_code" | base64 -d | "$py" -E -s - 2>&1) ;; *) return 1 ;; esac
}
vprov_fwd_why=
vprov_fwd_bad=$(vprov_untrusted "$vprov_fwd_cmd"); [ -n "$vprov_fwd_bad" ] || vprov_fwd_bad=$(vprov_untrusted "$py")
if [ -n "$vprov_fwd_bad" ]; then echo "runtime_error=$(printf '%s' "firewall-cmd's interpreter $py (from $vprov_fwd_cmd) is not run as root: $vprov_fwd_bad; only root may be able to change it, firewall-cmd and every directory above them" | base64 -w0)"
elif vprov_fwd_probe || { vprov_firewalld_wait && vprov_fwd_probe; }; then echo "runtime=$(printf '%s' "$out" | base64 -w0)"
elif [ -n "$vprov_fwd_why" ]; then echo "runtime_error=$(printf '%s' "$vprov_fwd_why" | base64 -w0)"
else echo "runtime_error=$(printf '%s' "interpreter $py: $out" | base64 -w0)"; fi
fi
} 2>/dev/null
echo '@@vprov:account@@'
{
:
} 2>/dev/null
echo '@@vprov:sudoers@@'
{
:
} 2>/dev/null
echo '@@vprov:selinux@@'
{
:
} 2>/dev/null
echo '@@vprov:ipstack@@'
{
if [ -d /proc/sys/net/ipv6 ]; then read -r a < /proc/sys/net/ipv6/conf/all/disable_ipv6; read -r d < /proc/sys/net/ipv6/conf/default/disable_ipv6; echo "runtime=$a $d"; else echo runtime=absent; fi
read -r c < /proc/cmdline; case " $c " in *' ipv6.disable=1 '*) echo boot_disabled=yes ;; *) echo boot_disabled=no ;; esac
grep -HnE '^[[:space:]]*-?net[./]ipv6[./]conf[./](all|default)[./]disable_ipv6[[:space:]]*=' /etc/sysctl.conf /etc/sysctl.d/*.conf /run/sysctl.d/*.conf /usr/local/lib/sysctl.d/*.conf /usr/lib/sysctl.d/*.conf /lib/sysctl.d/*.conf 2>/dev/null | sed 's/^/line=/'
if [ -f '/etc/sysctl.d/zz-vprov-ipv6.conf' ]; then printf dropin=; { base64 -w0 < '/etc/sysctl.d/zz-vprov-ipv6.conf' || printf '%s' '!unreadable'; }; echo; else echo dropin=absent; fi
} 2>/dev/null
echo '@@vprov:end@@'
} 2>/dev/null )
vprov_sum=$(printf '%s' "$vprov_facts" | sha256sum)
if [ "$vprov_sum" != '16dc610945ee6a2095ab9a990b88aa58ed47b9afe0e6f2c40064946e43b2b9e6  -' ]; then echo '@@vprov:stale@@'; printf '%s\n' "$vprov_facts"; echo '@@vprov:sum@@'; printf '%s\n' "$vprov_sum"; exit 0; fi
echo '@@vprov:apply-firewall@@'
( set -e
{ [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; }
{ [ -d '/etc/systemd/system/nftables.service.d' ] || mkdir -p '/etc/systemd/system/nftables.service.d'; }
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiB0aGlzIHRhYmxlIGlzIHJlcGxhY2VkIGFzIGEgd2hvbGUsIGF0b21pY2FsbHksIG9uIGV2ZXJ5IGFwcGx5LgojIE9ubHkgdGFibGUgaW5ldCB2cHJvdiBpcyB2cHJvdidzOyBvdGhlciB0YWJsZXMgYXJlIG5ldmVyIGVkaXRlZC4KdGFibGUgaW5ldCB2cHJvdgpkZWxldGUgdGFibGUgaW5ldCB2cHJvdgp0YWJsZSBpbmV0IHZwcm92IHsKCXNldCBjb25zb2xlX2NsaWVudF92NCB7CgkJdHlwZSBpcHY0X2FkZHIKCQlmbGFncyBpbnRlcnZhbAoJCWVsZW1lbnRzID0geyAxMC4yMC4wLjAvMTYgfQoJfQoJc2V0IGRhdGFfd2FyZWhvdXNlX3Y0IHsKCQl0eXBlIGlwdjRfYWRkcgoJCWZsYWdzIGludGVydmFsCgkJZWxlbWVudHMgPSB7IDE5Mi4wLjIuNjAgfQoJfQoJc2V0IGV4dGVybmFsX3Y0IHsKCQl0eXBlIGlwdjRfYWRkcgoJCWZsYWdzIGludGVydmFsCgkJZWxlbWVudHMgPSB7IDEwLjk5LjAuMTAgfQoJfQoJc2V0IGt2bV9ob3N0X3Y0IHsKCQl0eXBlIGlwdjRfYWRkcgoJCWZsYWdzIGludGVydmFsCgkJZWxlbWVudHMgPSB7IDE5Mi4wLjIuNTEsIDE5Mi4wLjIuNTIgfQoJfQoJc2V0IGt2bV9ob3N0X3Y2IHsKCQl0eXBlIGlwdjZfYWRkcgoJCWZsYWdzIGludGVydmFsCgkJZWxlbWVudHMgPSB7IGZkMDA6NTA6OjUzIH0KCX0KCXNldCBwb3J0YWxfY2xpZW50X3Y0IHsKCQl0eXBlIGlwdjRfYWRkcgoJCWZsYWdzIGludGVydmFsCgkJZWxlbWVudHMgPSB7IDEwLjIwLjAuMC8xNiB9Cgl9CglzZXQgcmVzdF9jbGllbnRfdjQgewoJCXR5cGUgaXB2NF9hZGRyCgkJZmxhZ3MgaW50ZXJ2YWwKCQllbGVtZW50cyA9IHsgMTAuMzAuMC4wLzI0IH0KCX0KCWNoYWluIGlucHV0IHsKCQl0eXBlIGZpbHRlciBob29rIGlucHV0IHByaW9yaXR5IGZpbHRlcjsgcG9saWN5IGFjY2VwdDsKCQlpcCBzYWRkciBAY29uc29sZV9jbGllbnRfdjQgdGNwIGRwb3J0IDIyMjIgYWNjZXB0IGNvbW1lbnQgIm9sdm0vb2x2bS9lbmdpbmUtaG9zdC1maXJld2FsbC1yZXF1aXJlbWVudHMvNiIKCQlpcCBzYWRkciBAZGF0YV93YXJlaG91c2VfdjQgdGNwIGRwb3J0IDU0MzIgYWNjZXB0IGNvbW1lbnQgIm9sdm0vb2x2bS9lbmdpbmUtaG9zdC1maXJld2FsbC1yZXF1aXJlbWVudHMvOSIKCQlpcCBzYWRkciBAZGF0YV93YXJlaG91c2VfdjQgdWRwIGRwb3J0IDU0MzIgYWNjZXB0IGNvbW1lbnQgIm9sdm0vb2x2bS9lbmdpbmUtaG9zdC1maXJld2FsbC1yZXF1aXJlbWVudHMvMTAiCgkJaXAgc2FkZHIgQGV4dGVybmFsX3Y0IHRjcCBkcG9ydCB7IDIyLCA1NDMyIH0gYWNjZXB0IGNvbW1lbnQgIm9sdm0vb2x2bS9lbmdpbmUtaG9zdC1maXJld2FsbC1yZXF1aXJlbWVudHMvMTEgKzEiCgkJaXAgc2FkZHIgQGV4dGVybmFsX3Y0IHVkcCBkcG9ydCA1NDMyIGFjY2VwdCBjb21tZW50ICJvbHZtL29sdm0vZW5naW5lLWhvc3QtZmlyZXdhbGwtcmVxdWlyZW1lbnRzLzEyIgoJCWlwIHNhZGRyIEBrdm1faG9zdF92NCBtZXRhIGw0cHJvdG8gaWNtcCBhY2NlcHQgY29tbWVudCAib2x2bS9vbHZtL2VuZ2luZS1ob3N0LWZpcmV3YWxsLXJlcXVpcmVtZW50cy8xIgoJCWlwIHNhZGRyIEBrdm1faG9zdF92NCB0Y3AgZHBvcnQgeyA4MCwgNDQzIH0gYWNjZXB0IGNvbW1lbnQgIm9sdm0vb2x2bS9lbmdpbmUtaG9zdC1maXJld2FsbC1yZXF1aXJlbWVudHMvNCIKCQlpcDYgc2FkZHIgQGt2bV9ob3N0X3Y2IG1ldGEgbDRwcm90byBpcHY2LWljbXAgYWNjZXB0IGNvbW1lbnQgIm9sdm0vb2x2bS9lbmdpbmUtaG9zdC1maXJld2FsbC1yZXF1aXJlbWVudHMvMSIKCQlpcDYgc2FkZHIgQGt2bV9ob3N0X3Y2IHRjcCBkcG9ydCB7IDgwLCA0NDMgfSBhY2NlcHQgY29tbWVudCAib2x2bS9vbHZtL2VuZ2luZS1ob3N0LWZpcmV3YWxsLXJlcXVpcmVtZW50cy80IgoJCWlwIHNhZGRyIEBwb3J0YWxfY2xpZW50X3Y0IHRjcCBkcG9ydCB7IDgwLCA0NDMsIDYxMDAsIDU0MzIzIH0gYWNjZXB0IGNvbW1lbnQgIm9sdm0vb2x2bS9lbmdpbmUtaG9zdC1maXJld2FsbC1yZXF1aXJlbWVudHMvMTMgKzIiCgkJaXAgc2FkZHIgQHJlc3RfY2xpZW50X3Y0IHRjcCBkcG9ydCB7IDgwLCA0NDMgfSBhY2NlcHQgY29tbWVudCAib2x2bS9vbHZtL2VuZ2luZS1ob3N0LWZpcmV3YWxsLXJlcXVpcmVtZW50cy81IgoJfQp9Cg==' | base64 -d > '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
if ! out=$(nft -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new' 2>&1); then rm -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; echo "nft rejected the rendered table: $out" >&2; exit 3; fi
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiBsb2FkcyB0YWJsZSBpbmV0IHZwcm92IGF0IGJvb3QsIGFmdGVyIG5mdGFibGVzLnNlcnZpY2UgKHdob3NlCiMgL2V0Yy9uZnRhYmxlcy5jb25mIHN0YXJ0cyB3aXRoICJmbHVzaCBydWxlc2V0Iikgc28gdGhhdCBmbHVzaCBjYW5ub3QgZHJvcCBpdC4KIyBFdmVyeSBzdGFydCwgcmVzdGFydCBvciByZWxvYWQgb2YgbmZ0YWJsZXMuc2VydmljZSBmbHVzaGVzIHRoZSB3aG9sZSBydWxlc2V0OiBQYXJ0T2YKIyByZXN0YXJ0cyAoYW5kIHN0b3BzKSB0aGlzIHVuaXQgd2l0aCBpdCwgUmVsb2FkUHJvcGFnYXRlZEZyb20gcmVsb2FkcyBpdCwgYW5kCiMgV2FudGVkQnk9bmZ0YWJsZXMuc2VydmljZSBzdGFydHMgaXQgYWdhaW4gYWZ0ZXIgYSBzdG9wL3N0YXJ0LiBBIHN0YXJ0IG9mIG5mdGFibGVzLnNlcnZpY2UKIyB3aGlsZSBpdCB3YXMgaW5hY3RpdmUgKGFuZCB0aGlzIHVuaXQgYWN0aXZlKSBpcyBjb3ZlcmVkIGJ5IHZwcm92J3MgZHJvcC1pbiwKIyBuZnRhYmxlcy5zZXJ2aWNlLmQvNTAtdnByb3YuY29uZiwgd2hpY2ggcmVsb2FkcyB0aGlzIHVuaXQuCltVbml0XQpEZXNjcmlwdGlvbj12cHJvdiBmaXJld2FsbCB0YWJsZSAodGFibGUgaW5ldCB2cHJvdikKV2FudHM9bmV0d29yay1wcmUudGFyZ2V0CkJlZm9yZT1uZXR3b3JrLXByZS50YXJnZXQKQWZ0ZXI9bmZ0YWJsZXMuc2VydmljZQpQYXJ0T2Y9bmZ0YWJsZXMuc2VydmljZQpSZWxvYWRQcm9wYWdhdGVkRnJvbT1uZnRhYmxlcy5zZXJ2aWNlCgpbU2VydmljZV0KVHlwZT1vbmVzaG90ClJlbWFpbkFmdGVyRXhpdD15ZXMKRXhlY1N0YXJ0PS91c3Ivc2Jpbi9uZnQgLWYgL2V0Yy92cHJvdi92cHJvdi5uZnQKRXhlY1JlbG9hZD0vdXNyL3NiaW4vbmZ0IC1mIC9ldGMvdnByb3YvdnByb3YubmZ0CiMgIi0iOiB0aGUgdGFibGUgbWF5IGFscmVhZHkgYmUgZ29uZSAobmZ0YWJsZXMuc2VydmljZSBmbHVzaGVkIHRoZSBydWxlc2V0IGZpcnN0KS4KRXhlY1N0b3A9LS91c3Ivc2Jpbi9uZnQgZGVsZXRlIHRhYmxlIGluZXQgdnByb3YKCltJbnN0YWxsXQpXYW50ZWRCeT1tdWx0aS11c2VyLnRhcmdldCBuZnRhYmxlcy5zZXJ2aWNlCg==' | base64 -d > '/etc/systemd/system/vprov-nftables.service.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/systemd/system/vprov-nftables.service.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92IChyZW1vdmVkIHdpdGggdnByb3YtbmZ0YWJsZXMuc2VydmljZSkuIG5mdGFibGVzLnNlcnZpY2UncyBjb25maWcgc3RhcnRzIHdpdGgKIyAiZmx1c2ggcnVsZXNldCIuIFBhcnRPZj0gaW4gdnByb3YtbmZ0YWJsZXMuc2VydmljZSBjb3ZlcnMgYSByZXN0YXJ0IG9yIHN0b3Agb2YKIyBuZnRhYmxlcy5zZXJ2aWNlLCBidXQgbm90IGEgc3RhcnQgd2hpbGUgaXQgd2FzIGluYWN0aXZlIGFuZCB2cHJvdidzIHVuaXQgYWN0aXZlOiB0aGlzIHB1dHMKIyB0YWJsZSBpbmV0IHZwcm92IGJhY2sgdGhlbiAoYSByZWxvYWQgb2YgdnByb3YncyB1bml0LCBvbmx5IHdoZW4gdGhhdCB1bml0IGlzIGFjdGl2ZSkuCltTZXJ2aWNlXQpFeGVjU3RhcnRQb3N0PS0vdXNyL2Jpbi9zeXN0ZW1jdGwgLS1uby1ibG9jayB0cnktcmVsb2FkLW9yLXJlc3RhcnQgdnByb3YtbmZ0YWJsZXMuc2VydmljZQo=' | base64 -d > '/etc/systemd/system/nftables.service.d/50-vprov.conf.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/systemd/system/nftables.service.d/50-vprov.conf.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
mv -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new' /etc/vprov/vprov.nft
mv -f '/etc/systemd/system/vprov-nftables.service.'"${VPROV_RUN:-0}"'.vprov-new' /etc/systemd/system/vprov-nftables.service
mv -f '/etc/systemd/system/nftables.service.d/50-vprov.conf.'"${VPROV_RUN:-0}"'.vprov-new' /etc/systemd/system/nftables.service.d/50-vprov.conf
systemctl daemon-reload
systemctl enable --now vprov-nftables.service >/dev/null 2>&1
rm -f '/etc/firewalld/policies/vprov-in.xml'
) 2>&1
rc_firewall=$?
echo "rc=$rc_firewall"
echo '@@vprov:apply-ipstack@@'
( set -e
{ [ -d '/etc/sysctl.d' ] || mkdir -p '/etc/sysctl.d'; }
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiBJUHY2IHN0YXlzIGVuYWJsZWQgKHRoZSBwcm9kdWN0IGRvY3VtZW50cyByZXF1aXJlIGl0KS4KbmV0LmlwdjYuY29uZi5hbGwuZGlzYWJsZV9pcHY2ID0gMApuZXQuaXB2Ni5jb25mLmRlZmF1bHQuZGlzYWJsZV9pcHY2ID0gMAo=' | base64 -d > '/etc/sysctl.d/zz-vprov-ipv6.conf.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/sysctl.d/zz-vprov-ipv6.conf.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
chmod 0644 '/etc/sysctl.d/zz-vprov-ipv6.conf.'"${VPROV_RUN:-0}"'.vprov-new'
mv -f '/etc/sysctl.d/zz-vprov-ipv6.conf.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/sysctl.d/zz-vprov-ipv6.conf'
if ! out=$(echo 0 2>&1 > /proc/sys/net/ipv6/conf/all/disable_ipv6); then echo "cannot enable IPv6 at runtime: writing /proc/sys/net/ipv6/conf/all/disable_ipv6 failed: $out" >&2; exit 3; fi
if ! out=$(echo 0 2>&1 > /proc/sys/net/ipv6/conf/default/disable_ipv6); then echo "cannot enable IPv6 at runtime: writing /proc/sys/net/ipv6/conf/default/disable_ipv6 failed: $out" >&2; exit 3; fi
) 2>&1
rc_ipstack=$?
echo "rc=$rc_ipstack"
echo '@@vprov:record@@'
vprov_w=''
if [ "$rc_firewall" = 0 ]; then vprov_add='{"kind":"firewall-nftables","name":"table inet vprov","path":"/etc/vprov/vprov.nft"}'; else vprov_add=''; fi
[ -z "$vprov_add" ] || vprov_w="${vprov_w:+$vprov_w,}$vprov_add"
( umask 077; { [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; } && printf '%s%s%s\n' '{"version":1,"site":"olvm","controller":"ops@controller","updated":"2026-01-01T00:00:00.000Z","runId":"abc123","written":[' "$vprov_w" ']}' > '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && chmod 600 '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/vprov/host.json' ) 2>/dev/null
vprov_record_rc=$?; [ "$vprov_record_rc" = 0 ] || rm -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new'; echo "record_rc=$vprov_record_rc"
{ { [ -d '/var/lib/vprov' ] || mkdir -p '/var/lib/vprov'; } && printf '{"runId":"abc123","time":"(now)","controller":"controller","user":"ops","pid":4242,"vprovVersion":"0.0.0","host":"engine","site":"olvm","changes":{"firewall":["+ table inet vprov","+ chain input hook input prio 0 policy accept","+ rule input: ip.saddr == @console_client_v4 && tcp.dport == 2222 accept # olvm/olvm/engine-host-firewall-requirements/6","+ rule input: ip.saddr == @data_warehouse_v4 && tcp.dport == 5432 accept # olvm/olvm/engine-host-firewall-requirements/9","+ rule input: ip.saddr == @data_warehouse_v4 && udp.dport == 5432 accept # olvm/olvm/engine-host-firewall-requirements/10","+ rule input: ip.saddr == @external_v4 && tcp.dport == 22,5432 accept # olvm/olvm/engine-host-firewall-requirements/11 +1","+ rule input: ip.saddr == @external_v4 && udp.dport == 5432 accept # olvm/olvm/engine-host-firewall-requirements/12","+ rule input: ip.saddr == @kvm_host_v4 && meta.l4proto == icmp accept # olvm/olvm/engine-host-firewall-requirements/1","+ rule input: ip.saddr == @kvm_host_v4 && tcp.dport == 80,443 accept # olvm/olvm/engine-host-firewall-requirements/4","+ rule input: ip.saddr == @portal_client_v4 && tcp.dport == 80,443,6100,54323 accept # olvm/olvm/engine-host-firewall-requirements/13 +2","+ rule input: ip.saddr == @rest_client_v4 && tcp.dport == 80,443 accept # olvm/olvm/engine-host-firewall-requirements/5","+ rule input: ip6.saddr == @kvm_host_v6 && meta.l4proto == ipv6-icmp accept # olvm/olvm/engine-host-firewall-requirements/1","+ rule input: ip6.saddr == @kvm_host_v6 && tcp.dport == 80,443 accept # olvm/olvm/engine-host-firewall-requirements/4","+ set console_client_v4 ipv4_addr flags interval { 10.20.0.0/16 }","+ set data_warehouse_v4 ipv4_addr flags interval { 192.0.2.60 }","+ set external_v4 ipv4_addr flags interval { 10.99.0.10 }","+ set kvm_host_v4 ipv4_addr flags interval { 192.0.2.51-192.0.2.52 }","+ set kvm_host_v6 ipv6_addr flags interval { fd00:50::53 }","+ set portal_client_v4 ipv4_addr flags interval { 10.20.0.0/16 }","+ set rest_client_v4 ipv4_addr flags interval { 10.30.0.0/24 }","+ /etc/systemd/system/vprov-nftables.service","+ /etc/systemd/system/nftables.service.d/50-vprov.conf","- /etc/firewalld/policies/vprov-in.xml (vprov'\''s firewalld object; this host'\''s backend is not firewalld)"],"ipstack":["+ /etc/sysctl.d/zz-vprov-ipv6.conf (net.ipv6.conf.all/default.disable_ipv6 = 0, read after /etc/sysctl.d/10-no-ipv6.conf:2)","~ net.ipv6.conf.all.disable_ipv6 1 → 0 (runtime)","~ net.ipv6.conf.default.disable_ipv6 1 → 0 (runtime)"]},"results":{"firewall":%d,"ipstack":%d}}\n' "$rc_firewall" "$rc_ipstack" > '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' /var/lib/vprov/last-apply.json; } 2>/dev/null || rm -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new'
case "$rc_firewall $rc_ipstack" in *[1-9]*) find /etc /var/lib/vprov -maxdepth 3 -name "*.$VPROV_RUN.vprov-new" -exec rm -f {} + 2>/dev/null ;; esac
echo '@@vprov:end@@'
echo '@@vprov:verify@@'
( {
vprov_facts_out=$( {
echo '@@vprov:host@@'
if [ -d /run/systemd/system ]; then echo systemd=yes; else echo systemd=no; fi
if [ -f '/etc/vprov/host.json' ]; then printf record=; { base64 -w0 < '/etc/vprov/host.json' || printf '%s' '!unreadable'; }; echo; else echo record=absent; fi
if [ -f /var/lib/vprov/last-apply.json ]; then echo applied_before=yes; fi
echo '@@vprov:firewall@@'
{
VPROV_FIREWALLD=1; vprov_fwd_unit=; vprov_fwd_inst=
if { command -v firewall-cmd || command -v firewalld; } >/dev/null 2>&1; then vprov_fwd_inst=1; fi
if { vprov_fwd_p=; for vprov_fwd_c in /proc/[0-9]*/comm; do IFS= read -r vprov_fwd_n < "$vprov_fwd_c" && [ "$vprov_fwd_n" = firewalld ] && { vprov_fwd_p=1; break; }; done 2>/dev/null; [ -n "$vprov_fwd_p" ]; } || { [ -n "$vprov_fwd_inst" ] && pidof -x firewalld >/dev/null 2>&1; }; then echo firewalld=running
else
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then vprov_fwd_unit=$(systemctl is-active firewalld.service 2>/dev/null); fi
  case $vprov_fwd_unit in
    active|activating|reloading|deactivating) echo firewalld=running ;;
    *) VPROV_FIREWALLD=; echo firewalld=no
      if [ -z "$vprov_fwd_inst" ]; then echo 'firewalld_state=not installed'
      elif [ -z "$vprov_fwd_unit" ]; then echo 'firewalld_state=no firewalld process'
      else echo "firewalld_state=firewalld.service: $vprov_fwd_unit"; if [ "$vprov_fwd_unit" = failed ]; then echo "firewalld_log=$(journalctl -u firewalld.service -n 5 --no-pager -o cat 2>/dev/null | base64 -w0)"; fi; fi ;;
  esac
fi
if command -v nft >/dev/null 2>&1; then echo nft=yes
  if out=$(nft -s -j list ruleset 2>&1); then echo "ruleset=$(printf '%s' "$out" | base64 -w0)"; else echo "ruleset_error=$(printf '%s' "$out" | base64 -w0)"; fi
else echo nft=no; fi
if [ -f '/etc/vprov/vprov.nft' ]; then printf persisted=; { base64 -w0 < '/etc/vprov/vprov.nft' || printf '%s' '!unreadable'; }; echo; else echo persisted=absent; fi
if [ -f '/etc/systemd/system/vprov-nftables.service' ]; then printf unit=; { base64 -w0 < '/etc/systemd/system/vprov-nftables.service' || printf '%s' '!unreadable'; }; echo; else echo unit=absent; fi
if [ -f '/etc/systemd/system/nftables.service.d/50-vprov.conf' ]; then printf dropin=; { base64 -w0 < '/etc/systemd/system/nftables.service.d/50-vprov.conf' || printf '%s' '!unreadable'; }; echo; else echo dropin=absent; fi
for f in /etc/firewalld/ipsets/vprov-*.xml /etc/firewalld/policies/vprov-*.xml; do [ -f "$f" ] && echo "file:$f=$({ base64 -w0 < "$f" || printf '%s' '!unreadable'; })"; done
if [ -n "$VPROV_FIREWALLD" ]; then
vprov_firewalld_wait() {
  vprov_fwd_end=$(( $(date +%s) + 90 ))
  while :; do
    firewall-cmd --state >/dev/null 2>&1; vprov_fwd_rc=$?
    [ "$vprov_fwd_rc" = 0 ] && return 0
    # 126/127: firewall-cmd cannot run at all (its interpreter is gone): no wait helps, the caller's own error says why
    case $vprov_fwd_rc in 126|127) vprov_fwd_why=; return 1 ;; esac
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
      vprov_fwd_unit=$(systemctl is-active firewalld.service 2>/dev/null)
      case $vprov_fwd_unit in active|activating|reloading|deactivating) ;; *)
        vprov_fwd_why="firewalld.service is ${vprov_fwd_unit:-unknown}; last log lines: $(journalctl -u firewalld.service -n 5 --no-pager -o cat 2>/dev/null | tr '\n' ' ')"; return 1 ;;
      esac
    elif ! { { vprov_fwd_p=; for vprov_fwd_c in /proc/[0-9]*/comm; do IFS= read -r vprov_fwd_n < "$vprov_fwd_c" && [ "$vprov_fwd_n" = firewalld ] && { vprov_fwd_p=1; break; }; done 2>/dev/null; [ -n "$vprov_fwd_p" ]; } || pidof -x firewalld >/dev/null 2>&1; }; then
      vprov_fwd_why='no firewalld process is running'; return 1
    fi
    if [ "$(date +%s)" -ge "$vprov_fwd_end" ]; then
      vprov_fwd_why="firewalld runs${vprov_fwd_unit:+ (firewalld.service: $vprov_fwd_unit)} but did not answer on D-Bus within 90 s: $(firewall-cmd --state 2>&1 | tr '\n' ' ')"
      # Seen on Debian bookworm's policy: dbus-daemon denies firewalld's replies to an admin shell (a USER_AVC).
      [ "$(getenforce 2>/dev/null)" = Enforcing ] && vprov_fwd_why="$vprov_fwd_why (SELinux is enforcing: look for firewalld_t send_msg denials with ausearch -m USER_AVC; docs/resources.md)"
      return 1
    fi
    sleep 1
  done
}
vprov_untrusted() {
  case $1 in /*) ;; *) echo "$1 is not an absolute path"; return ;; esac
  vprov_tr_real=$(readlink -f -- "$1") || { echo "$1 cannot be resolved"; return; }
  vprov_tr_list=
  for vprov_tr_p in "$1" "$vprov_tr_real"; do
    while :; do
      if [ -e "$vprov_tr_p" ] || [ -L "$vprov_tr_p" ]; then vprov_tr_list="$vprov_tr_list $vprov_tr_p"; fi
      [ "$vprov_tr_p" = / ] && break
      vprov_tr_p=${vprov_tr_p%/*}; [ -n "$vprov_tr_p" ] || vprov_tr_p=/
    done
  done
  stat -c '%u %f %n' -- $vprov_tr_list 2>&1 | while read -r vprov_tr_u vprov_tr_f vprov_tr_n; do
    case $vprov_tr_f in *[!0-9a-f]*|'') echo "$vprov_tr_u $vprov_tr_f $vprov_tr_n"; break ;; esac
    vprov_tr_m=$(( 0x$vprov_tr_f ))
    if [ "$vprov_tr_u" != 0 ] || { [ $(( vprov_tr_m & 61440 )) != 40960 ] && [ $(( vprov_tr_m & 18 )) != 0 ]; }; then
      echo "$vprov_tr_n (owner uid $vprov_tr_u, mode $(printf '%o' $(( vprov_tr_m & 4095 ))))"; break
    fi
  done
}
vprov_fwd_cmd=$(command -v firewall-cmd || echo /usr/bin/firewall-cmd)
py=$(sed -n '1{s/^#![[:space:]]*//;s/[[:space:]][[:space:]]*/ /g;p;}' "$vprov_fwd_cmd" 2>/dev/null); py=${py%% *}
case $py in */env) py=$(sed -n '1{s/^#![[:space:]]*//;s/[[:space:]][[:space:]]*/ /g;p;}' "$vprov_fwd_cmd" | cut -d' ' -f2); py=$(command -v "$py") ;; '') py=$(command -v python3) ;; esac
vprov_fwd_code='aW1wb3J0IHN5czsgc3lzLnBhdGhbOl0gPSBbcCBmb3IgcCBpbiBzeXMucGF0aCBpZiBwIG5vdCBpbiAoIiIsICIuIildCmltcG9ydCBqc29uLCBkYnVzCmZyb20gZmlyZXdhbGwuY29uZmlnIGltcG9ydCBWRVJTSU9OCkIgPSAib3JnLmZlZG9yYXByb2plY3QuRmlyZXdhbGxEMSIKdHJ5OgogICAgbyA9IGRidXMuU3lzdGVtQnVzKCkuZ2V0X29iamVjdChCLCAiL29yZy9mZWRvcmFwcm9qZWN0L0ZpcmV3YWxsRDEiLCBpbnRyb3NwZWN0PUZhbHNlKQogICAgcHJvcCA9IGxhbWJkYSBuYW1lOiBvLkdldChCLCBuYW1lLCBkYnVzX2ludGVyZmFjZT0ib3JnLmZyZWVkZXNrdG9wLkRCdXMuUHJvcGVydGllcyIpCiAgICBzdGF0ZSA9IHN0cihwcm9wKCJzdGF0ZSIpKQpleGNlcHQgZGJ1cy5leGNlcHRpb25zLkRCdXNFeGNlcHRpb24gYXMgZToKICAgIHJhaXNlIFN5c3RlbUV4aXQoImZpcmV3YWxsZCBkb2VzIG5vdCBhbnN3ZXIgb24gRC1CdXMgKCVzOiAlcykiICUgKGUuZ2V0X2RidXNfbmFtZSgpLCBlLmdldF9kYnVzX21lc3NhZ2UoKSkpCmlmIHN0YXRlICE9ICJSVU5OSU5HIjoKICAgIHJhaXNlIFN5c3RlbUV4aXQoImZpcmV3YWxsZCBhbnN3ZXJzIGJ1dCBpcyBub3QgcnVubmluZyB5ZXQgKHN0YXRlICVzKSIgJSBzdGF0ZSkKdmVyc2lvbiA9IFZFUlNJT04Kc3RycyA9IGxhbWJkYSB4czogW3N0cih4KSBmb3IgeCBpbiB4c10Kb3V0ID0geyJ2ZXJzaW9uIjogdmVyc2lvbiwgImlwc2V0cyI6IHt9LCAicG9saWNpZXMiOiB7fX0KaXBzZXQgPSBkYnVzLkludGVyZmFjZShvLCBCICsgIi5pcHNldCIpCmZvciBuIGluIGlwc2V0LmdldElQU2V0cygpOgogICAgaWYgbi5zdGFydHN3aXRoKCJ2cHJvdi0iKToKICAgICAgICBzID0gaXBzZXQuZ2V0SVBTZXRTZXR0aW5ncyhuKQogICAgICAgIG91dFsiaXBzZXRzIl1bc3RyKG4pXSA9IHsidHlwZSI6IHN0cihzWzNdKSwgImZhbWlseSI6IHN0cihzWzRdLmdldCgiZmFtaWx5IiwgImluZXQiKSksICJlbnRyaWVzIjogc3RycyhzWzVdKX0KIyBwb2xpY2llcyBleGlzdCBmcm9tIDAuOS4wIChvbGRlciBvbmVzIGFyZSByZWZ1c2VkIGJ5IHZlcnNpb24pOyBhbnkgZXJyb3IgcmVhZGluZyB0aGVtIGlzIG9uZQppZiBbaW50KHgpIGlmIHguaXNkaWdpdCgpIGVsc2UgMCBmb3IgeCBpbiB2ZXJzaW9uLnNwbGl0KCIuIilbOjJdXSA+PSBbMCwgOV06CiAgICBwb2xpY3kgPSBkYnVzLkludGVyZmFjZShvLCBCICsgIi5wb2xpY3kiKQogICAgZm9yIHAgaW4gcG9saWN5LmdldFBvbGljaWVzKCk6CiAgICAgICAgaWYgcC5zdGFydHN3aXRoKCJ2cHJvdi0iKToKICAgICAgICAgICAgcyA9IHBvbGljeS5nZXRQb2xpY3lTZXR0aW5ncyhwKQogICAgICAgICAgICBvdXRbInBvbGljaWVzIl1bc3RyKHApXSA9IHsidGFyZ2V0Ijogc3RyKHMuZ2V0KCJ0YXJnZXQiLCAiQ09OVElOVUUiKSksICJwcmlvcml0eSI6IGludChzLmdldCgicHJpb3JpdHkiLCAtMSkpLCAiaW5ncmVzcyI6IHN0cnMocy5nZXQoImluZ3Jlc3Nfem9uZXMiLCBbXSkpLCAiZWdyZXNzIjogc3RycyhzLmdldCgiZWdyZXNzX3pvbmVzIiwgW10pKSwgInJ1bGVzIjogc3RycyhzLmdldCgicmljaF9ydWxlcyIsIFtdKSl9CiMgV2hhdCB0aGUgYWN0aXZlIHpvbmVzIChhbmQgdGhlIGRlZmF1bHQgem9uZSkgb3BlbiBiZXNpZGVzIHZwcm92J3MgcG9saWN5OiByZXBvcnRlZCwgbmV2ZXIgZWRpdGVkLgojIEEgem9uZSB0aGF0IGNhbm5vdCBiZSByZWFkIHNheXMgc287IGl0IG5ldmVyIGZhaWxzIHRoZSBwcm9iZSBvZiB2cHJvdidzIG93biBvYmplY3RzLgp0cnk6CiAgICB6b25lID0gZGJ1cy5JbnRlcmZhY2UobywgQiArICIuem9uZSIpCiAgICBuYW1lcyA9IHNldChzdHIoeikgZm9yIHogaW4gem9uZS5nZXRBY3RpdmVab25lcygpLmtleXMoKSkKICAgIG5hbWVzLmFkZChzdHIoZGJ1cy5JbnRlcmZhY2UobywgQikuZ2V0RGVmYXVsdFpvbmUoKSkpCiAgICBvdXRbInpvbmVzIl0gPSB7fQogICAgZm9yIHogaW4gc29ydGVkKG5hbWVzKToKICAgICAgICBzID0gem9uZS5nZXRab25lU2V0dGluZ3MyKHopCiAgICAgICAgb3V0WyJ6b25lcyJdW3pdID0geyJ0YXJnZXQiOiBzdHIocy5nZXQoInRhcmdldCIsICJkZWZhdWx0IikpLCAic2VydmljZXMiOiBzdHJzKHMuZ2V0KCJzZXJ2aWNlcyIsIFtdKSksICJwb3J0cyI6IFsiJXMvJXMiICUgKHN0cihwKSwgc3RyKHEpKSBmb3IgcCwgcSBpbiBzLmdldCgicG9ydHMiLCBbXSldLCAicmljaF9ydWxlcyI6IHN0cnMocy5nZXQoInJpY2hfcnVsZXMiLCBbXSkpLCAic291cmNlcyI6IHN0cnMocy5nZXQoInNvdXJjZXMiLCBbXSkpfQpleGNlcHQgZGJ1cy5leGNlcHRpb25zLkRCdXNFeGNlcHRpb24gYXMgZToKICAgIG91dFsiem9uZXNfZXJyb3IiXSA9ICIlczogJXMiICUgKGUuZ2V0X2RidXNfbmFtZSgpLCBlLmdldF9kYnVzX21lc3NhZ2UoKSkKcHJpbnQoanNvbi5kdW1wcyhvdXQpKQo='
vprov_fwd_probe() {
  out=$(printf '%s' "$vprov_fwd_code" | base64 -d | "$py" -I - 2>&1) && return 0
  case $out in *'nknown option'*-I*|*'nknown option: -I'*) out=$(printf '%s' "$vprov_fwd_code" | base64 -d | "$py" -E -s - 2>&1) ;; *) return 1 ;; esac
}
vprov_fwd_why=
vprov_fwd_bad=$(vprov_untrusted "$vprov_fwd_cmd"); [ -n "$vprov_fwd_bad" ] || vprov_fwd_bad=$(vprov_untrusted "$py")
if [ -n "$vprov_fwd_bad" ]; then echo "runtime_error=$(printf '%s' "firewall-cmd's interpreter $py (from $vprov_fwd_cmd) is not run as root: $vprov_fwd_bad; only root may be able to change it, firewall-cmd and every directory above them" | base64 -w0)"
elif vprov_fwd_probe || { vprov_firewalld_wait && vprov_fwd_probe; }; then echo "runtime=$(printf '%s' "$out" | base64 -w0)"
elif [ -n "$vprov_fwd_why" ]; then echo "runtime_error=$(printf '%s' "$vprov_fwd_why" | base64 -w0)"
else echo "runtime_error=$(printf '%s' "interpreter $py: $out" | base64 -w0)"; fi
fi
} 2>/dev/null
echo '@@vprov:ipstack@@'
{
if [ -d /proc/sys/net/ipv6 ]; then read -r a < /proc/sys/net/ipv6/conf/all/disable_ipv6; read -r d < /proc/sys/net/ipv6/conf/default/disable_ipv6; echo "runtime=$a $d"; else echo runtime=absent; fi
read -r c < /proc/cmdline; case " $c " in *' ipv6.disable=1 '*) echo boot_disabled=yes ;; *) echo boot_disabled=no ;; esac
grep -HnE '^[[:space:]]*-?net[./]ipv6[./]conf[./](all|default)[./]disable_ipv6[[:space:]]*=' /etc/sysctl.conf /etc/sysctl.d/*.conf /run/sysctl.d/*.conf /usr/local/lib/sysctl.d/*.conf /usr/lib/sysctl.d/*.conf /lib/sysctl.d/*.conf 2>/dev/null | sed 's/^/line=/'
if [ -f '/etc/sysctl.d/zz-vprov-ipv6.conf' ]; then printf dropin=; { base64 -w0 < '/etc/sysctl.d/zz-vprov-ipv6.conf' || printf '%s' '!unreadable'; }; echo; else echo dropin=absent; fi
} 2>/dev/null
echo '@@vprov:end@@'
} 2>/dev/null )
printf '%s\n' "$vprov_facts_out"
echo '@@vprov:sum@@'
printf '%s' "$vprov_facts_out" | sha256sum

} ) 2>/dev/null
: > /run/vprov/lock.owner; trap - EXIT
} 9>>/run/vprov/lock

#### kvm1: apply script
[ -e /run/vprov ] || [ -L /run/vprov ] || mkdir -m 0700 /run/vprov 2>/dev/null
if [ -L /run/vprov ] || [ ! -d /run/vprov ] || [ "$(stat -c %u /run/vprov)" != 0 ]; then echo '@@vprov:locked@@'; echo "/run/vprov is not vprov's: $(ls -ld /run/vprov 2>&1) (a directory owned by root, not a symlink, expected): vprov takes no apply lock there"; exit 0; fi
chmod 0700 /run/vprov; if [ -f /run/vprov/lock ]; then chmod 0600 /run/vprov/lock; fi
{
trap '' PIPE HUP
VPROV_RUN=abc123
if ! command -v flock >/dev/null 2>&1; then echo '@@vprov:locked@@'; echo 'flock (util-linux) is not installed: vprov cannot take the apply lock'; exit 0; fi
if ! flock -w 120 9; then vprov_holder=$(cat /run/vprov/lock.owner 2>/dev/null); echo '@@vprov:locked@@'; echo "locked by ${vprov_holder:-a holder that is not a vprov run in progress (/run/vprov/lock.owner is empty)} (waited 120 s for /run/vprov/lock)"; exit 0; fi
printf '%s\n' 'controller/4242 (ops, run abc123) since 2026-01-01T00:00:00.000Z' > /run/vprov/lock.owner; trap ': > /run/vprov/lock.owner' EXIT
vprov_facts=$( {
echo '@@vprov:host@@'
if [ -d /run/systemd/system ]; then echo systemd=yes; else echo systemd=no; fi
if [ -f '/etc/vprov/host.json' ]; then printf record=; { base64 -w0 < '/etc/vprov/host.json' || printf '%s' '!unreadable'; }; echo; else echo record=absent; fi
if [ -f /var/lib/vprov/last-apply.json ]; then echo applied_before=yes; fi
echo '@@vprov:firewall@@'
{
VPROV_FIREWALLD=1; vprov_fwd_unit=; vprov_fwd_inst=
if { command -v firewall-cmd || command -v firewalld; } >/dev/null 2>&1; then vprov_fwd_inst=1; fi
if { vprov_fwd_p=; for vprov_fwd_c in /proc/[0-9]*/comm; do IFS= read -r vprov_fwd_n < "$vprov_fwd_c" && [ "$vprov_fwd_n" = firewalld ] && { vprov_fwd_p=1; break; }; done 2>/dev/null; [ -n "$vprov_fwd_p" ]; } || { [ -n "$vprov_fwd_inst" ] && pidof -x firewalld >/dev/null 2>&1; }; then echo firewalld=running
else
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then vprov_fwd_unit=$(systemctl is-active firewalld.service 2>/dev/null); fi
  case $vprov_fwd_unit in
    active|activating|reloading|deactivating) echo firewalld=running ;;
    *) VPROV_FIREWALLD=; echo firewalld=no
      if [ -z "$vprov_fwd_inst" ]; then echo 'firewalld_state=not installed'
      elif [ -z "$vprov_fwd_unit" ]; then echo 'firewalld_state=no firewalld process'
      else echo "firewalld_state=firewalld.service: $vprov_fwd_unit"; if [ "$vprov_fwd_unit" = failed ]; then echo "firewalld_log=$(journalctl -u firewalld.service -n 5 --no-pager -o cat 2>/dev/null | base64 -w0)"; fi; fi ;;
  esac
fi
if command -v nft >/dev/null 2>&1; then echo nft=yes
  if out=$(nft -s -j list ruleset 2>&1); then echo "ruleset=$(printf '%s' "$out" | base64 -w0)"; else echo "ruleset_error=$(printf '%s' "$out" | base64 -w0)"; fi
else echo nft=no; fi
if [ -f '/etc/vprov/vprov.nft' ]; then printf persisted=; { base64 -w0 < '/etc/vprov/vprov.nft' || printf '%s' '!unreadable'; }; echo; else echo persisted=absent; fi
if [ -f '/etc/systemd/system/vprov-nftables.service' ]; then printf unit=; { base64 -w0 < '/etc/systemd/system/vprov-nftables.service' || printf '%s' '!unreadable'; }; echo; else echo unit=absent; fi
if [ -f '/etc/systemd/system/nftables.service.d/50-vprov.conf' ]; then printf dropin=; { base64 -w0 < '/etc/systemd/system/nftables.service.d/50-vprov.conf' || printf '%s' '!unreadable'; }; echo; else echo dropin=absent; fi
for f in /etc/firewalld/ipsets/vprov-*.xml /etc/firewalld/policies/vprov-*.xml; do [ -f "$f" ] && echo "file:$f=$({ base64 -w0 < "$f" || printf '%s' '!unreadable'; })"; done
if [ -n "$VPROV_FIREWALLD" ]; then
vprov_firewalld_wait() {
  vprov_fwd_end=$(( $(date +%s) + 90 ))
  while :; do
    firewall-cmd --state >/dev/null 2>&1; vprov_fwd_rc=$?
    [ "$vprov_fwd_rc" = 0 ] && return 0
    # 126/127: firewall-cmd cannot run at all (its interpreter is gone): no wait helps, the caller's own error says why
    case $vprov_fwd_rc in 126|127) vprov_fwd_why=; return 1 ;; esac
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
      vprov_fwd_unit=$(systemctl is-active firewalld.service 2>/dev/null)
      case $vprov_fwd_unit in active|activating|reloading|deactivating) ;; *)
        vprov_fwd_why="firewalld.service is ${vprov_fwd_unit:-unknown}; last log lines: $(journalctl -u firewalld.service -n 5 --no-pager -o cat 2>/dev/null | tr '\n' ' ')"; return 1 ;;
      esac
    elif ! { { vprov_fwd_p=; for vprov_fwd_c in /proc/[0-9]*/comm; do IFS= read -r vprov_fwd_n < "$vprov_fwd_c" && [ "$vprov_fwd_n" = firewalld ] && { vprov_fwd_p=1; break; }; done 2>/dev/null; [ -n "$vprov_fwd_p" ]; } || pidof -x firewalld >/dev/null 2>&1; }; then
      vprov_fwd_why='no firewalld process is running'; return 1
    fi
    if [ "$(date +%s)" -ge "$vprov_fwd_end" ]; then
      vprov_fwd_why="firewalld runs${vprov_fwd_unit:+ (firewalld.service: $vprov_fwd_unit)} but did not answer on D-Bus within 90 s: $(firewall-cmd --state 2>&1 | tr '\n' ' ')"
      # Seen on Debian bookworm's policy: dbus-daemon denies firewalld's replies to an admin shell (a USER_AVC).
      [ "$(getenforce 2>/dev/null)" = Enforcing ] && vprov_fwd_why="$vprov_fwd_why (SELinux is enforcing: look for firewalld_t send_msg denials with ausearch -m USER_AVC; docs/resources.md)"
      return 1
    fi
    sleep 1
  done
}
vprov_untrusted() {
  case $1 in /*) ;; *) echo "$1 is not an absolute path"; return ;; esac
  vprov_tr_real=$(readlink -f -- "$1") || { echo "$1 cannot be resolved"; return; }
  vprov_tr_list=
  for vprov_tr_p in "$1" "$vprov_tr_real"; do
    while :; do
      if [ -e "$vprov_tr_p" ] || [ -L "$vprov_tr_p" ]; then vprov_tr_list="$vprov_tr_list $vprov_tr_p"; fi
      [ "$vprov_tr_p" = / ] && break
      vprov_tr_p=${vprov_tr_p%/*}; [ -n "$vprov_tr_p" ] || vprov_tr_p=/
    done
  done
  stat -c '%u %f %n' -- $vprov_tr_list 2>&1 | while read -r vprov_tr_u vprov_tr_f vprov_tr_n; do
    case $vprov_tr_f in *[!0-9a-f]*|'') echo "$vprov_tr_u $vprov_tr_f $vprov_tr_n"; break ;; esac
    vprov_tr_m=$(( 0x$vprov_tr_f ))
    if [ "$vprov_tr_u" != 0 ] || { [ $(( vprov_tr_m & 61440 )) != 40960 ] && [ $(( vprov_tr_m & 18 )) != 0 ]; }; then
      echo "$vprov_tr_n (owner uid $vprov_tr_u, mode $(printf '%o' $(( vprov_tr_m & 4095 ))))"; break
    fi
  done
}
vprov_fwd_cmd=$(command -v firewall-cmd || echo /usr/bin/firewall-cmd)
py=$(sed -n '1{s/^#![[:space:]]*//;s/[[:space:]][[:space:]]*/ /g;p;}' "$vprov_fwd_cmd" 2>/dev/null); py=${py%% *}
case $py in */env) py=$(sed -n '1{s/^#![[:space:]]*//;s/[[:space:]][[:space:]]*/ /g;p;}' "$vprov_fwd_cmd" | cut -d' ' -f2); py=$(command -v "$py") ;; '') py=$(command -v python3) ;; esac
vprov_fwd_code='aW1wb3J0IHN5czsgc3lzLnBhdGhbOl0gPSBbcCBmb3IgcCBpbiBzeXMucGF0aCBpZiBwIG5vdCBpbiAoIiIsICIuIildCmltcG9ydCBqc29uLCBkYnVzCmZyb20gZmlyZXdhbGwuY29uZmlnIGltcG9ydCBWRVJTSU9OCkIgPSAib3JnLmZlZG9yYXByb2plY3QuRmlyZXdhbGxEMSIKdHJ5OgogICAgbyA9IGRidXMuU3lzdGVtQnVzKCkuZ2V0X29iamVjdChCLCAiL29yZy9mZWRvcmFwcm9qZWN0L0ZpcmV3YWxsRDEiLCBpbnRyb3NwZWN0PUZhbHNlKQogICAgcHJvcCA9IGxhbWJkYSBuYW1lOiBvLkdldChCLCBuYW1lLCBkYnVzX2ludGVyZmFjZT0ib3JnLmZyZWVkZXNrdG9wLkRCdXMuUHJvcGVydGllcyIpCiAgICBzdGF0ZSA9IHN0cihwcm9wKCJzdGF0ZSIpKQpleGNlcHQgZGJ1cy5leGNlcHRpb25zLkRCdXNFeGNlcHRpb24gYXMgZToKICAgIHJhaXNlIFN5c3RlbUV4aXQoImZpcmV3YWxsZCBkb2VzIG5vdCBhbnN3ZXIgb24gRC1CdXMgKCVzOiAlcykiICUgKGUuZ2V0X2RidXNfbmFtZSgpLCBlLmdldF9kYnVzX21lc3NhZ2UoKSkpCmlmIHN0YXRlICE9ICJSVU5OSU5HIjoKICAgIHJhaXNlIFN5c3RlbUV4aXQoImZpcmV3YWxsZCBhbnN3ZXJzIGJ1dCBpcyBub3QgcnVubmluZyB5ZXQgKHN0YXRlICVzKSIgJSBzdGF0ZSkKdmVyc2lvbiA9IFZFUlNJT04Kc3RycyA9IGxhbWJkYSB4czogW3N0cih4KSBmb3IgeCBpbiB4c10Kb3V0ID0geyJ2ZXJzaW9uIjogdmVyc2lvbiwgImlwc2V0cyI6IHt9LCAicG9saWNpZXMiOiB7fX0KaXBzZXQgPSBkYnVzLkludGVyZmFjZShvLCBCICsgIi5pcHNldCIpCmZvciBuIGluIGlwc2V0LmdldElQU2V0cygpOgogICAgaWYgbi5zdGFydHN3aXRoKCJ2cHJvdi0iKToKICAgICAgICBzID0gaXBzZXQuZ2V0SVBTZXRTZXR0aW5ncyhuKQogICAgICAgIG91dFsiaXBzZXRzIl1bc3RyKG4pXSA9IHsidHlwZSI6IHN0cihzWzNdKSwgImZhbWlseSI6IHN0cihzWzRdLmdldCgiZmFtaWx5IiwgImluZXQiKSksICJlbnRyaWVzIjogc3RycyhzWzVdKX0KIyBwb2xpY2llcyBleGlzdCBmcm9tIDAuOS4wIChvbGRlciBvbmVzIGFyZSByZWZ1c2VkIGJ5IHZlcnNpb24pOyBhbnkgZXJyb3IgcmVhZGluZyB0aGVtIGlzIG9uZQppZiBbaW50KHgpIGlmIHguaXNkaWdpdCgpIGVsc2UgMCBmb3IgeCBpbiB2ZXJzaW9uLnNwbGl0KCIuIilbOjJdXSA+PSBbMCwgOV06CiAgICBwb2xpY3kgPSBkYnVzLkludGVyZmFjZShvLCBCICsgIi5wb2xpY3kiKQogICAgZm9yIHAgaW4gcG9saWN5LmdldFBvbGljaWVzKCk6CiAgICAgICAgaWYgcC5zdGFydHN3aXRoKCJ2cHJvdi0iKToKICAgICAgICAgICAgcyA9IHBvbGljeS5nZXRQb2xpY3lTZXR0aW5ncyhwKQogICAgICAgICAgICBvdXRbInBvbGljaWVzIl1bc3RyKHApXSA9IHsidGFyZ2V0Ijogc3RyKHMuZ2V0KCJ0YXJnZXQiLCAiQ09OVElOVUUiKSksICJwcmlvcml0eSI6IGludChzLmdldCgicHJpb3JpdHkiLCAtMSkpLCAiaW5ncmVzcyI6IHN0cnMocy5nZXQoImluZ3Jlc3Nfem9uZXMiLCBbXSkpLCAiZWdyZXNzIjogc3RycyhzLmdldCgiZWdyZXNzX3pvbmVzIiwgW10pKSwgInJ1bGVzIjogc3RycyhzLmdldCgicmljaF9ydWxlcyIsIFtdKSl9CiMgV2hhdCB0aGUgYWN0aXZlIHpvbmVzIChhbmQgdGhlIGRlZmF1bHQgem9uZSkgb3BlbiBiZXNpZGVzIHZwcm92J3MgcG9saWN5OiByZXBvcnRlZCwgbmV2ZXIgZWRpdGVkLgojIEEgem9uZSB0aGF0IGNhbm5vdCBiZSByZWFkIHNheXMgc287IGl0IG5ldmVyIGZhaWxzIHRoZSBwcm9iZSBvZiB2cHJvdidzIG93biBvYmplY3RzLgp0cnk6CiAgICB6b25lID0gZGJ1cy5JbnRlcmZhY2UobywgQiArICIuem9uZSIpCiAgICBuYW1lcyA9IHNldChzdHIoeikgZm9yIHogaW4gem9uZS5nZXRBY3RpdmVab25lcygpLmtleXMoKSkKICAgIG5hbWVzLmFkZChzdHIoZGJ1cy5JbnRlcmZhY2UobywgQikuZ2V0RGVmYXVsdFpvbmUoKSkpCiAgICBvdXRbInpvbmVzIl0gPSB7fQogICAgZm9yIHogaW4gc29ydGVkKG5hbWVzKToKICAgICAgICBzID0gem9uZS5nZXRab25lU2V0dGluZ3MyKHopCiAgICAgICAgb3V0WyJ6b25lcyJdW3pdID0geyJ0YXJnZXQiOiBzdHIocy5nZXQoInRhcmdldCIsICJkZWZhdWx0IikpLCAic2VydmljZXMiOiBzdHJzKHMuZ2V0KCJzZXJ2aWNlcyIsIFtdKSksICJwb3J0cyI6IFsiJXMvJXMiICUgKHN0cihwKSwgc3RyKHEpKSBmb3IgcCwgcSBpbiBzLmdldCgicG9ydHMiLCBbXSldLCAicmljaF9ydWxlcyI6IHN0cnMocy5nZXQoInJpY2hfcnVsZXMiLCBbXSkpLCAic291cmNlcyI6IHN0cnMocy5nZXQoInNvdXJjZXMiLCBbXSkpfQpleGNlcHQgZGJ1cy5leGNlcHRpb25zLkRCdXNFeGNlcHRpb24gYXMgZToKICAgIG91dFsiem9uZXNfZXJyb3IiXSA9ICIlczogJXMiICUgKGUuZ2V0X2RidXNfbmFtZSgpLCBlLmdldF9kYnVzX21lc3NhZ2UoKSkKcHJpbnQoanNvbi5kdW1wcyhvdXQpKQo='
vprov_fwd_probe() {
  out=$(printf '%s' "$vprov_fwd_code" | base64 -d | "$py" -I - 2>&1) && return 0
  case $out in *'nknown option'*-I*|*'nknown option: -I'*) out=$(printf '%s' "$vprov_fwd_code" | base64 -d | "$py" -E -s - 2>&1) ;; *) return 1 ;; esac
}
vprov_fwd_why=
vprov_fwd_bad=$(vprov_untrusted "$vprov_fwd_cmd"); [ -n "$vprov_fwd_bad" ] || vprov_fwd_bad=$(vprov_untrusted "$py")
if [ -n "$vprov_fwd_bad" ]; then echo "runtime_error=$(printf '%s' "firewall-cmd's interpreter $py (from $vprov_fwd_cmd) is not run as root: $vprov_fwd_bad; only root may be able to change it, firewall-cmd and every directory above them" | base64 -w0)"
elif vprov_fwd_probe || { vprov_firewalld_wait && vprov_fwd_probe; }; then echo "runtime=$(printf '%s' "$out" | base64 -w0)"
elif [ -n "$vprov_fwd_why" ]; then echo "runtime_error=$(printf '%s' "$vprov_fwd_why" | base64 -w0)"
else echo "runtime_error=$(printf '%s' "interpreter $py: $out" | base64 -w0)"; fi
fi
} 2>/dev/null
echo '@@vprov:account@@'
{
:
} 2>/dev/null
echo '@@vprov:sudoers@@'
{
:
} 2>/dev/null
echo '@@vprov:selinux@@'
{
:
} 2>/dev/null
echo '@@vprov:end@@'
} 2>/dev/null )
vprov_sum=$(printf '%s' "$vprov_facts" | sha256sum)
if [ "$vprov_sum" != '8289069007a71d45218599c9ccbb4f64902952e99caa8570ad5e1cf765aec6ac  -' ]; then echo '@@vprov:stale@@'; printf '%s\n' "$vprov_facts"; echo '@@vprov:sum@@'; printf '%s\n' "$vprov_sum"; exit 0; fi
echo '@@vprov:apply-firewall@@'
( set -e
mkdir -p /etc/firewalld/ipsets /etc/firewalld/policies
rm -f '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml.vprov-old'; if [ -f '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml' ]; then cp -p '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml' '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml.vprov-old'; fi
rm -f '/etc/firewalld/ipsets/vprov-kvm_host_v6.xml.vprov-old'; if [ -f '/etc/firewalld/ipsets/vprov-kvm_host_v6.xml' ]; then cp -p '/etc/firewalld/ipsets/vprov-kvm_host_v6.xml' '/etc/firewalld/ipsets/vprov-kvm_host_v6.xml.vprov-old'; fi
rm -f '/etc/firewalld/ipsets/vprov-manager_v4.xml.vprov-old'; if [ -f '/etc/firewalld/ipsets/vprov-manager_v4.xml' ]; then cp -p '/etc/firewalld/ipsets/vprov-manager_v4.xml' '/etc/firewalld/ipsets/vprov-manager_v4.xml.vprov-old'; fi
rm -f '/etc/firewalld/ipsets/vprov-portal_client_v4.xml.vprov-old'; if [ -f '/etc/firewalld/ipsets/vprov-portal_client_v4.xml' ]; then cp -p '/etc/firewalld/ipsets/vprov-portal_client_v4.xml' '/etc/firewalld/ipsets/vprov-portal_client_v4.xml.vprov-old'; fi
rm -f '/etc/firewalld/policies/vprov-in.xml.vprov-old'; if [ -f '/etc/firewalld/policies/vprov-in.xml' ]; then cp -p '/etc/firewalld/policies/vprov-in.xml' '/etc/firewalld/policies/vprov-in.xml.vprov-old'; fi
if ! printf '%s' 'PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz4KPCEtLSBNYW5hZ2VkIGJ5IHZwcm92OiByZXBsYWNlZCBvbiBldmVyeSBhcHBseTsgcmVtb3ZlZCB3aGVuIG5vIGZsb3cgbmVlZHMgaXQuIC0tPgo8aXBzZXQgdHlwZT0iaGFzaDpuZXQiPgogIDxzaG9ydD52cHJvdiBrdm1faG9zdF92NDwvc2hvcnQ+CiAgPGRlc2NyaXB0aW9uPlNvdXJjZXMgb2Ygcm9sZSBrdm1faG9zdCAoaW5ldCksIG1hbmFnZWQgYnkgdnByb3Y8L2Rlc2NyaXB0aW9uPgogIDxvcHRpb24gbmFtZT0iZmFtaWx5IiB2YWx1ZT0iaW5ldCIvPgogIDxlbnRyeT4xOTIuMC4yLjUyPC9lbnRyeT4KPC9pcHNldD4K' | base64 -d > '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
mv -f '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml'
if ! printf '%s' 'PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz4KPCEtLSBNYW5hZ2VkIGJ5IHZwcm92OiByZXBsYWNlZCBvbiBldmVyeSBhcHBseTsgcmVtb3ZlZCB3aGVuIG5vIGZsb3cgbmVlZHMgaXQuIC0tPgo8aXBzZXQgdHlwZT0iaGFzaDpuZXQiPgogIDxzaG9ydD52cHJvdiBrdm1faG9zdF92Njwvc2hvcnQ+CiAgPGRlc2NyaXB0aW9uPlNvdXJjZXMgb2Ygcm9sZSBrdm1faG9zdCAoaW5ldDYpLCBtYW5hZ2VkIGJ5IHZwcm92PC9kZXNjcmlwdGlvbj4KICA8b3B0aW9uIG5hbWU9ImZhbWlseSIgdmFsdWU9ImluZXQ2Ii8+CiAgPGVudHJ5PmZkMDA6NTA6OjUzPC9lbnRyeT4KPC9pcHNldD4K' | base64 -d > '/etc/firewalld/ipsets/vprov-kvm_host_v6.xml.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/firewalld/ipsets/vprov-kvm_host_v6.xml.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
mv -f '/etc/firewalld/ipsets/vprov-kvm_host_v6.xml.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/firewalld/ipsets/vprov-kvm_host_v6.xml'
if ! printf '%s' 'PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz4KPCEtLSBNYW5hZ2VkIGJ5IHZwcm92OiByZXBsYWNlZCBvbiBldmVyeSBhcHBseTsgcmVtb3ZlZCB3aGVuIG5vIGZsb3cgbmVlZHMgaXQuIC0tPgo8aXBzZXQgdHlwZT0iaGFzaDpuZXQiPgogIDxzaG9ydD52cHJvdiBtYW5hZ2VyX3Y0PC9zaG9ydD4KICA8ZGVzY3JpcHRpb24+U291cmNlcyBvZiByb2xlIG1hbmFnZXIgKGluZXQpLCBtYW5hZ2VkIGJ5IHZwcm92PC9kZXNjcmlwdGlvbj4KICA8b3B0aW9uIG5hbWU9ImZhbWlseSIgdmFsdWU9ImluZXQiLz4KICA8ZW50cnk+MTkyLjAuMi41MDwvZW50cnk+CjwvaXBzZXQ+Cg==' | base64 -d > '/etc/firewalld/ipsets/vprov-manager_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/firewalld/ipsets/vprov-manager_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
mv -f '/etc/firewalld/ipsets/vprov-manager_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/firewalld/ipsets/vprov-manager_v4.xml'
if ! printf '%s' 'PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz4KPCEtLSBNYW5hZ2VkIGJ5IHZwcm92OiByZXBsYWNlZCBvbiBldmVyeSBhcHBseTsgcmVtb3ZlZCB3aGVuIG5vIGZsb3cgbmVlZHMgaXQuIC0tPgo8aXBzZXQgdHlwZT0iaGFzaDpuZXQiPgogIDxzaG9ydD52cHJvdiBwb3J0YWxfY2xpZW50X3Y0PC9zaG9ydD4KICA8ZGVzY3JpcHRpb24+U291cmNlcyBvZiByb2xlIHBvcnRhbF9jbGllbnQgKGluZXQpLCBtYW5hZ2VkIGJ5IHZwcm92PC9kZXNjcmlwdGlvbj4KICA8b3B0aW9uIG5hbWU9ImZhbWlseSIgdmFsdWU9ImluZXQiLz4KICA8ZW50cnk+MTAuMjAuMC4wLzE2PC9lbnRyeT4KPC9pcHNldD4K' | base64 -d > '/etc/firewalld/ipsets/vprov-portal_client_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/firewalld/ipsets/vprov-portal_client_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
mv -f '/etc/firewalld/ipsets/vprov-portal_client_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/firewalld/ipsets/vprov-portal_client_v4.xml'
if ! printf '%s' 'PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz4KPCEtLSBNYW5hZ2VkIGJ5IHZwcm92OiBpbmJvdW5kIGFjY2VwdHMgZm9yIHRoZSBkb2N1bWVudGVkIGZsb3dzLCBmcm9tIGFueSB6b25lIHRvIHRoaXMgaG9zdC4KICAgICBab25lcyBhbmQgdGhlaXIgc2VydmljZXMgYXJlIG5ldmVyIHRvdWNoZWQuIC0tPgo8cG9saWN5IHRhcmdldD0iQ09OVElOVUUiIHByaW9yaXR5PSItMTAwIj4KICA8c2hvcnQ+dnByb3Y8L3Nob3J0PgogIDxkZXNjcmlwdGlvbj5Eb2N1bWVudGVkIGZsb3dzLCBtYW5hZ2VkIGJ5IHZwcm92PC9kZXNjcmlwdGlvbj4KICA8aW5ncmVzcy16b25lIG5hbWU9IkFOWSIvPgogIDxlZ3Jlc3Mtem9uZSBuYW1lPSJIT1NUIi8+CiAgPHJ1bGUgZmFtaWx5PSJpcHY0Ij4KICAgIDxzb3VyY2UgaXBzZXQ9InZwcm92LWt2bV9ob3N0X3Y0Ii8+CiAgICA8cG9ydCBwb3J0PSIxNjUxNCIgcHJvdG9jb2w9InRjcCIvPgogICAgPGFjY2VwdC8+CiAgPC9ydWxlPgogIDxydWxlIGZhbWlseT0iaXB2NCI+CiAgICA8c291cmNlIGlwc2V0PSJ2cHJvdi1rdm1faG9zdF92NCIvPgogICAgPHBvcnQgcG9ydD0iNDkxNTItNDkyMTYiIHByb3RvY29sPSJ0Y3AiLz4KICAgIDxhY2NlcHQvPgogIDwvcnVsZT4KICA8cnVsZSBmYW1pbHk9ImlwdjQiPgogICAgPHNvdXJjZSBpcHNldD0idnByb3Yta3ZtX2hvc3RfdjQiLz4KICAgIDxwb3J0IHBvcnQ9IjU0MzIxIiBwcm90b2NvbD0idGNwIi8+CiAgICA8YWNjZXB0Lz4KICA8L3J1bGU+CiAgPHJ1bGUgZmFtaWx5PSJpcHY2Ij4KICAgIDxzb3VyY2UgaXBzZXQ9InZwcm92LWt2bV9ob3N0X3Y2Ii8+CiAgICA8cG9ydCBwb3J0PSIxNjUxNCIgcHJvdG9jb2w9InRjcCIvPgogICAgPGFjY2VwdC8+CiAgPC9ydWxlPgogIDxydWxlIGZhbWlseT0iaXB2NiI+CiAgICA8c291cmNlIGlwc2V0PSJ2cHJvdi1rdm1faG9zdF92NiIvPgogICAgPHBvcnQgcG9ydD0iNDkxNTItNDkyMTYiIHByb3RvY29sPSJ0Y3AiLz4KICAgIDxhY2NlcHQvPgogIDwvcnVsZT4KICA8cnVsZSBmYW1pbHk9ImlwdjYiPgogICAgPHNvdXJjZSBpcHNldD0idnByb3Yta3ZtX2hvc3RfdjYiLz4KICAgIDxwb3J0IHBvcnQ9IjU0MzIxIiBwcm90b2NvbD0idGNwIi8+CiAgICA8YWNjZXB0Lz4KICA8L3J1bGU+CiAgPHJ1bGUgZmFtaWx5PSJpcHY0Ij4KICAgIDxzb3VyY2UgaXBzZXQ9InZwcm92LW1hbmFnZXJfdjQiLz4KICAgIDxwb3J0IHBvcnQ9IjIyIiBwcm90b2NvbD0idGNwIi8+CiAgICA8YWNjZXB0Lz4KICA8L3J1bGU+CiAgPHJ1bGUgZmFtaWx5PSJpcHY0Ij4KICAgIDxzb3VyY2UgaXBzZXQ9InZwcm92LW1hbmFnZXJfdjQiLz4KICAgIDxwb3J0IHBvcnQ9IjIyMjMiIHByb3RvY29sPSJ0Y3AiLz4KICAgIDxhY2NlcHQvPgogIDwvcnVsZT4KICA8cnVsZSBmYW1pbHk9ImlwdjQiPgogICAgPHNvdXJjZSBpcHNldD0idnByb3YtbWFuYWdlcl92NCIvPgogICAgPHBvcnQgcG9ydD0iNTQzMjEtNTQzMjIiIHByb3RvY29sPSJ0Y3AiLz4KICAgIDxhY2NlcHQvPgogIDwvcnVsZT4KICA8cnVsZSBmYW1pbHk9ImlwdjQiPgogICAgPHNvdXJjZSBpcHNldD0idnByb3YtcG9ydGFsX2NsaWVudF92NCIvPgogICAgPHBvcnQgcG9ydD0iNTkwMC02OTIzIiBwcm90b2NvbD0idGNwIi8+CiAgICA8YWNjZXB0Lz4KICA8L3J1bGU+CjwvcG9saWN5Pgo=' | base64 -d > '/etc/firewalld/policies/vprov-in.xml.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/firewalld/policies/vprov-in.xml.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
mv -f '/etc/firewalld/policies/vprov-in.xml.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/firewalld/policies/vprov-in.xml'
if ! out=$(firewall-offline-cmd --check-config 2>&1); then
  if [ -f '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml.vprov-old' ]; then mv -f '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml.vprov-old' '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml'; else rm -f '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml'; fi
  if [ -f '/etc/firewalld/ipsets/vprov-kvm_host_v6.xml.vprov-old' ]; then mv -f '/etc/firewalld/ipsets/vprov-kvm_host_v6.xml.vprov-old' '/etc/firewalld/ipsets/vprov-kvm_host_v6.xml'; else rm -f '/etc/firewalld/ipsets/vprov-kvm_host_v6.xml'; fi
  if [ -f '/etc/firewalld/ipsets/vprov-manager_v4.xml.vprov-old' ]; then mv -f '/etc/firewalld/ipsets/vprov-manager_v4.xml.vprov-old' '/etc/firewalld/ipsets/vprov-manager_v4.xml'; else rm -f '/etc/firewalld/ipsets/vprov-manager_v4.xml'; fi
  if [ -f '/etc/firewalld/ipsets/vprov-portal_client_v4.xml.vprov-old' ]; then mv -f '/etc/firewalld/ipsets/vprov-portal_client_v4.xml.vprov-old' '/etc/firewalld/ipsets/vprov-portal_client_v4.xml'; else rm -f '/etc/firewalld/ipsets/vprov-portal_client_v4.xml'; fi
  if [ -f '/etc/firewalld/policies/vprov-in.xml.vprov-old' ]; then mv -f '/etc/firewalld/policies/vprov-in.xml.vprov-old' '/etc/firewalld/policies/vprov-in.xml'; else rm -f '/etc/firewalld/policies/vprov-in.xml'; fi
  echo "firewalld refused the configuration, previous files restored: $out" >&2; exit 3
fi
rm -f '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml.vprov-old' '/etc/firewalld/ipsets/vprov-kvm_host_v6.xml.vprov-old' '/etc/firewalld/ipsets/vprov-manager_v4.xml.vprov-old' '/etc/firewalld/ipsets/vprov-portal_client_v4.xml.vprov-old' '/etc/firewalld/policies/vprov-in.xml.vprov-old'
vprov_firewalld_wait() {
  vprov_fwd_end=$(( $(date +%s) + 90 ))
  while :; do
    firewall-cmd --state >/dev/null 2>&1; vprov_fwd_rc=$?
    [ "$vprov_fwd_rc" = 0 ] && return 0
    # 126/127: firewall-cmd cannot run at all (its interpreter is gone): no wait helps, the caller's own error says why
    case $vprov_fwd_rc in 126|127) vprov_fwd_why=; return 1 ;; esac
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
      vprov_fwd_unit=$(systemctl is-active firewalld.service 2>/dev/null)
      case $vprov_fwd_unit in active|activating|reloading|deactivating) ;; *)
        vprov_fwd_why="firewalld.service is ${vprov_fwd_unit:-unknown}; last log lines: $(journalctl -u firewalld.service -n 5 --no-pager -o cat 2>/dev/null | tr '\n' ' ')"; return 1 ;;
      esac
    elif ! { { vprov_fwd_p=; for vprov_fwd_c in /proc/[0-9]*/comm; do IFS= read -r vprov_fwd_n < "$vprov_fwd_c" && [ "$vprov_fwd_n" = firewalld ] && { vprov_fwd_p=1; break; }; done 2>/dev/null; [ -n "$vprov_fwd_p" ]; } || pidof -x firewalld >/dev/null 2>&1; }; then
      vprov_fwd_why='no firewalld process is running'; return 1
    fi
    if [ "$(date +%s)" -ge "$vprov_fwd_end" ]; then
      vprov_fwd_why="firewalld runs${vprov_fwd_unit:+ (firewalld.service: $vprov_fwd_unit)} but did not answer on D-Bus within 90 s: $(firewall-cmd --state 2>&1 | tr '\n' ' ')"
      # Seen on Debian bookworm's policy: dbus-daemon denies firewalld's replies to an admin shell (a USER_AVC).
      [ "$(getenforce 2>/dev/null)" = Enforcing ] && vprov_fwd_why="$vprov_fwd_why (SELinux is enforcing: look for firewalld_t send_msg denials with ausearch -m USER_AVC; docs/resources.md)"
      return 1
    fi
    sleep 1
  done
}
if ! vprov_out=$(firewall-cmd --reload 2>&1); then
  if vprov_firewalld_wait; then firewall-cmd --reload >/dev/null; else echo "firewall-cmd --reload failed: $vprov_out${vprov_fwd_why:+; $vprov_fwd_why}" >&2; exit 3; fi
fi
rm -f /etc/vprov/vprov.nft /etc/systemd/system/vprov-nftables.service /etc/systemd/system/nftables.service.d/50-vprov.conf
) 2>&1
rc_firewall=$?
echo "rc=$rc_firewall"
echo '@@vprov:record@@'
vprov_w=''
if [ "$rc_firewall" = 0 ]; then vprov_add='{"kind":"firewall-firewalld","name":"vprov-*"}'; else vprov_add=''; fi
[ -z "$vprov_add" ] || vprov_w="${vprov_w:+$vprov_w,}$vprov_add"
( umask 077; { [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; } && printf '%s%s%s\n' '{"version":1,"site":"olvm","controller":"ops@controller","updated":"2026-01-01T00:00:00.000Z","runId":"abc123","written":[' "$vprov_w" ']}' > '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && chmod 600 '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/vprov/host.json' ) 2>/dev/null
vprov_record_rc=$?; [ "$vprov_record_rc" = 0 ] || rm -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new'; echo "record_rc=$vprov_record_rc"
{ { [ -d '/var/lib/vprov' ] || mkdir -p '/var/lib/vprov'; } && printf '{"runId":"abc123","time":"(now)","controller":"controller","user":"ops","pid":4242,"vprovVersion":"0.0.0","host":"kvm1","site":"olvm","changes":{"firewall":["+ ipset vprov-kvm_host_v4 hash:net inet { 192.0.2.52 }","+ ipset vprov-kvm_host_v6 hash:net inet6 { fd00:50::53 }","+ ipset vprov-manager_v4 hash:net inet { 192.0.2.50 }","+ ipset vprov-portal_client_v4 hash:net inet { 10.20.0.0/16 }","+ policy vprov-in target=CONTINUE priority=-100 ingress=ANY egress=HOST","+ policy vprov-in: rule family=\\"ipv4\\" source ipset=\\"vprov-kvm_host_v4\\" port port=\\"16514\\" protocol=\\"tcp\\" accept","+ policy vprov-in: rule family=\\"ipv4\\" source ipset=\\"vprov-kvm_host_v4\\" port port=\\"49152-49216\\" protocol=\\"tcp\\" accept","+ policy vprov-in: rule family=\\"ipv4\\" source ipset=\\"vprov-kvm_host_v4\\" port port=\\"54321\\" protocol=\\"tcp\\" accept","+ policy vprov-in: rule family=\\"ipv4\\" source ipset=\\"vprov-manager_v4\\" port port=\\"22\\" protocol=\\"tcp\\" accept","+ policy vprov-in: rule family=\\"ipv4\\" source ipset=\\"vprov-manager_v4\\" port port=\\"2223\\" protocol=\\"tcp\\" accept","+ policy vprov-in: rule family=\\"ipv4\\" source ipset=\\"vprov-manager_v4\\" port port=\\"54321-54322\\" protocol=\\"tcp\\" accept","+ policy vprov-in: rule family=\\"ipv4\\" source ipset=\\"vprov-portal_client_v4\\" port port=\\"5900-6923\\" protocol=\\"tcp\\" accept","+ policy vprov-in: rule family=\\"ipv6\\" source ipset=\\"vprov-kvm_host_v6\\" port port=\\"16514\\" protocol=\\"tcp\\" accept","+ policy vprov-in: rule family=\\"ipv6\\" source ipset=\\"vprov-kvm_host_v6\\" port port=\\"49152-49216\\" protocol=\\"tcp\\" accept","+ policy vprov-in: rule family=\\"ipv6\\" source ipset=\\"vprov-kvm_host_v6\\" port port=\\"54321\\" protocol=\\"tcp\\" accept","+ /etc/firewalld/ipsets/vprov-kvm_host_v4.xml","+ /etc/firewalld/ipsets/vprov-kvm_host_v6.xml","+ /etc/firewalld/ipsets/vprov-manager_v4.xml","+ /etc/firewalld/ipsets/vprov-portal_client_v4.xml","+ /etc/firewalld/policies/vprov-in.xml","- /etc/vprov/vprov.nft"]},"results":{"firewall":%d}}\n' "$rc_firewall" > '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' /var/lib/vprov/last-apply.json; } 2>/dev/null || rm -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new'
case "$rc_firewall" in *[1-9]*) find /etc /var/lib/vprov -maxdepth 3 -name "*.$VPROV_RUN.vprov-new" -exec rm -f {} + 2>/dev/null ;; esac
echo '@@vprov:end@@'
echo '@@vprov:verify@@'
( {
vprov_facts_out=$( {
echo '@@vprov:host@@'
if [ -d /run/systemd/system ]; then echo systemd=yes; else echo systemd=no; fi
if [ -f '/etc/vprov/host.json' ]; then printf record=; { base64 -w0 < '/etc/vprov/host.json' || printf '%s' '!unreadable'; }; echo; else echo record=absent; fi
if [ -f /var/lib/vprov/last-apply.json ]; then echo applied_before=yes; fi
echo '@@vprov:firewall@@'
{
VPROV_FIREWALLD=1; vprov_fwd_unit=; vprov_fwd_inst=
if { command -v firewall-cmd || command -v firewalld; } >/dev/null 2>&1; then vprov_fwd_inst=1; fi
if { vprov_fwd_p=; for vprov_fwd_c in /proc/[0-9]*/comm; do IFS= read -r vprov_fwd_n < "$vprov_fwd_c" && [ "$vprov_fwd_n" = firewalld ] && { vprov_fwd_p=1; break; }; done 2>/dev/null; [ -n "$vprov_fwd_p" ]; } || { [ -n "$vprov_fwd_inst" ] && pidof -x firewalld >/dev/null 2>&1; }; then echo firewalld=running
else
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then vprov_fwd_unit=$(systemctl is-active firewalld.service 2>/dev/null); fi
  case $vprov_fwd_unit in
    active|activating|reloading|deactivating) echo firewalld=running ;;
    *) VPROV_FIREWALLD=; echo firewalld=no
      if [ -z "$vprov_fwd_inst" ]; then echo 'firewalld_state=not installed'
      elif [ -z "$vprov_fwd_unit" ]; then echo 'firewalld_state=no firewalld process'
      else echo "firewalld_state=firewalld.service: $vprov_fwd_unit"; if [ "$vprov_fwd_unit" = failed ]; then echo "firewalld_log=$(journalctl -u firewalld.service -n 5 --no-pager -o cat 2>/dev/null | base64 -w0)"; fi; fi ;;
  esac
fi
if command -v nft >/dev/null 2>&1; then echo nft=yes
  if out=$(nft -s -j list ruleset 2>&1); then echo "ruleset=$(printf '%s' "$out" | base64 -w0)"; else echo "ruleset_error=$(printf '%s' "$out" | base64 -w0)"; fi
else echo nft=no; fi
if [ -f '/etc/vprov/vprov.nft' ]; then printf persisted=; { base64 -w0 < '/etc/vprov/vprov.nft' || printf '%s' '!unreadable'; }; echo; else echo persisted=absent; fi
if [ -f '/etc/systemd/system/vprov-nftables.service' ]; then printf unit=; { base64 -w0 < '/etc/systemd/system/vprov-nftables.service' || printf '%s' '!unreadable'; }; echo; else echo unit=absent; fi
if [ -f '/etc/systemd/system/nftables.service.d/50-vprov.conf' ]; then printf dropin=; { base64 -w0 < '/etc/systemd/system/nftables.service.d/50-vprov.conf' || printf '%s' '!unreadable'; }; echo; else echo dropin=absent; fi
for f in /etc/firewalld/ipsets/vprov-*.xml /etc/firewalld/policies/vprov-*.xml; do [ -f "$f" ] && echo "file:$f=$({ base64 -w0 < "$f" || printf '%s' '!unreadable'; })"; done
if [ -n "$VPROV_FIREWALLD" ]; then
vprov_firewalld_wait() {
  vprov_fwd_end=$(( $(date +%s) + 90 ))
  while :; do
    firewall-cmd --state >/dev/null 2>&1; vprov_fwd_rc=$?
    [ "$vprov_fwd_rc" = 0 ] && return 0
    # 126/127: firewall-cmd cannot run at all (its interpreter is gone): no wait helps, the caller's own error says why
    case $vprov_fwd_rc in 126|127) vprov_fwd_why=; return 1 ;; esac
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
      vprov_fwd_unit=$(systemctl is-active firewalld.service 2>/dev/null)
      case $vprov_fwd_unit in active|activating|reloading|deactivating) ;; *)
        vprov_fwd_why="firewalld.service is ${vprov_fwd_unit:-unknown}; last log lines: $(journalctl -u firewalld.service -n 5 --no-pager -o cat 2>/dev/null | tr '\n' ' ')"; return 1 ;;
      esac
    elif ! { { vprov_fwd_p=; for vprov_fwd_c in /proc/[0-9]*/comm; do IFS= read -r vprov_fwd_n < "$vprov_fwd_c" && [ "$vprov_fwd_n" = firewalld ] && { vprov_fwd_p=1; break; }; done 2>/dev/null; [ -n "$vprov_fwd_p" ]; } || pidof -x firewalld >/dev/null 2>&1; }; then
      vprov_fwd_why='no firewalld process is running'; return 1
    fi
    if [ "$(date +%s)" -ge "$vprov_fwd_end" ]; then
      vprov_fwd_why="firewalld runs${vprov_fwd_unit:+ (firewalld.service: $vprov_fwd_unit)} but did not answer on D-Bus within 90 s: $(firewall-cmd --state 2>&1 | tr '\n' ' ')"
      # Seen on Debian bookworm's policy: dbus-daemon denies firewalld's replies to an admin shell (a USER_AVC).
      [ "$(getenforce 2>/dev/null)" = Enforcing ] && vprov_fwd_why="$vprov_fwd_why (SELinux is enforcing: look for firewalld_t send_msg denials with ausearch -m USER_AVC; docs/resources.md)"
      return 1
    fi
    sleep 1
  done
}
vprov_untrusted() {
  case $1 in /*) ;; *) echo "$1 is not an absolute path"; return ;; esac
  vprov_tr_real=$(readlink -f -- "$1") || { echo "$1 cannot be resolved"; return; }
  vprov_tr_list=
  for vprov_tr_p in "$1" "$vprov_tr_real"; do
    while :; do
      if [ -e "$vprov_tr_p" ] || [ -L "$vprov_tr_p" ]; then vprov_tr_list="$vprov_tr_list $vprov_tr_p"; fi
      [ "$vprov_tr_p" = / ] && break
      vprov_tr_p=${vprov_tr_p%/*}; [ -n "$vprov_tr_p" ] || vprov_tr_p=/
    done
  done
  stat -c '%u %f %n' -- $vprov_tr_list 2>&1 | while read -r vprov_tr_u vprov_tr_f vprov_tr_n; do
    case $vprov_tr_f in *[!0-9a-f]*|'') echo "$vprov_tr_u $vprov_tr_f $vprov_tr_n"; break ;; esac
    vprov_tr_m=$(( 0x$vprov_tr_f ))
    if [ "$vprov_tr_u" != 0 ] || { [ $(( vprov_tr_m & 61440 )) != 40960 ] && [ $(( vprov_tr_m & 18 )) != 0 ]; }; then
      echo "$vprov_tr_n (owner uid $vprov_tr_u, mode $(printf '%o' $(( vprov_tr_m & 4095 ))))"; break
    fi
  done
}
vprov_fwd_cmd=$(command -v firewall-cmd || echo /usr/bin/firewall-cmd)
py=$(sed -n '1{s/^#![[:space:]]*//;s/[[:space:]][[:space:]]*/ /g;p;}' "$vprov_fwd_cmd" 2>/dev/null); py=${py%% *}
case $py in */env) py=$(sed -n '1{s/^#![[:space:]]*//;s/[[:space:]][[:space:]]*/ /g;p;}' "$vprov_fwd_cmd" | cut -d' ' -f2); py=$(command -v "$py") ;; '') py=$(command -v python3) ;; esac
vprov_fwd_code='aW1wb3J0IHN5czsgc3lzLnBhdGhbOl0gPSBbcCBmb3IgcCBpbiBzeXMucGF0aCBpZiBwIG5vdCBpbiAoIiIsICIuIildCmltcG9ydCBqc29uLCBkYnVzCmZyb20gZmlyZXdhbGwuY29uZmlnIGltcG9ydCBWRVJTSU9OCkIgPSAib3JnLmZlZG9yYXByb2plY3QuRmlyZXdhbGxEMSIKdHJ5OgogICAgbyA9IGRidXMuU3lzdGVtQnVzKCkuZ2V0X29iamVjdChCLCAiL29yZy9mZWRvcmFwcm9qZWN0L0ZpcmV3YWxsRDEiLCBpbnRyb3NwZWN0PUZhbHNlKQogICAgcHJvcCA9IGxhbWJkYSBuYW1lOiBvLkdldChCLCBuYW1lLCBkYnVzX2ludGVyZmFjZT0ib3JnLmZyZWVkZXNrdG9wLkRCdXMuUHJvcGVydGllcyIpCiAgICBzdGF0ZSA9IHN0cihwcm9wKCJzdGF0ZSIpKQpleGNlcHQgZGJ1cy5leGNlcHRpb25zLkRCdXNFeGNlcHRpb24gYXMgZToKICAgIHJhaXNlIFN5c3RlbUV4aXQoImZpcmV3YWxsZCBkb2VzIG5vdCBhbnN3ZXIgb24gRC1CdXMgKCVzOiAlcykiICUgKGUuZ2V0X2RidXNfbmFtZSgpLCBlLmdldF9kYnVzX21lc3NhZ2UoKSkpCmlmIHN0YXRlICE9ICJSVU5OSU5HIjoKICAgIHJhaXNlIFN5c3RlbUV4aXQoImZpcmV3YWxsZCBhbnN3ZXJzIGJ1dCBpcyBub3QgcnVubmluZyB5ZXQgKHN0YXRlICVzKSIgJSBzdGF0ZSkKdmVyc2lvbiA9IFZFUlNJT04Kc3RycyA9IGxhbWJkYSB4czogW3N0cih4KSBmb3IgeCBpbiB4c10Kb3V0ID0geyJ2ZXJzaW9uIjogdmVyc2lvbiwgImlwc2V0cyI6IHt9LCAicG9saWNpZXMiOiB7fX0KaXBzZXQgPSBkYnVzLkludGVyZmFjZShvLCBCICsgIi5pcHNldCIpCmZvciBuIGluIGlwc2V0LmdldElQU2V0cygpOgogICAgaWYgbi5zdGFydHN3aXRoKCJ2cHJvdi0iKToKICAgICAgICBzID0gaXBzZXQuZ2V0SVBTZXRTZXR0aW5ncyhuKQogICAgICAgIG91dFsiaXBzZXRzIl1bc3RyKG4pXSA9IHsidHlwZSI6IHN0cihzWzNdKSwgImZhbWlseSI6IHN0cihzWzRdLmdldCgiZmFtaWx5IiwgImluZXQiKSksICJlbnRyaWVzIjogc3RycyhzWzVdKX0KIyBwb2xpY2llcyBleGlzdCBmcm9tIDAuOS4wIChvbGRlciBvbmVzIGFyZSByZWZ1c2VkIGJ5IHZlcnNpb24pOyBhbnkgZXJyb3IgcmVhZGluZyB0aGVtIGlzIG9uZQppZiBbaW50KHgpIGlmIHguaXNkaWdpdCgpIGVsc2UgMCBmb3IgeCBpbiB2ZXJzaW9uLnNwbGl0KCIuIilbOjJdXSA+PSBbMCwgOV06CiAgICBwb2xpY3kgPSBkYnVzLkludGVyZmFjZShvLCBCICsgIi5wb2xpY3kiKQogICAgZm9yIHAgaW4gcG9saWN5LmdldFBvbGljaWVzKCk6CiAgICAgICAgaWYgcC5zdGFydHN3aXRoKCJ2cHJvdi0iKToKICAgICAgICAgICAgcyA9IHBvbGljeS5nZXRQb2xpY3lTZXR0aW5ncyhwKQogICAgICAgICAgICBvdXRbInBvbGljaWVzIl1bc3RyKHApXSA9IHsidGFyZ2V0Ijogc3RyKHMuZ2V0KCJ0YXJnZXQiLCAiQ09OVElOVUUiKSksICJwcmlvcml0eSI6IGludChzLmdldCgicHJpb3JpdHkiLCAtMSkpLCAiaW5ncmVzcyI6IHN0cnMocy5nZXQoImluZ3Jlc3Nfem9uZXMiLCBbXSkpLCAiZWdyZXNzIjogc3RycyhzLmdldCgiZWdyZXNzX3pvbmVzIiwgW10pKSwgInJ1bGVzIjogc3RycyhzLmdldCgicmljaF9ydWxlcyIsIFtdKSl9CiMgV2hhdCB0aGUgYWN0aXZlIHpvbmVzIChhbmQgdGhlIGRlZmF1bHQgem9uZSkgb3BlbiBiZXNpZGVzIHZwcm92J3MgcG9saWN5OiByZXBvcnRlZCwgbmV2ZXIgZWRpdGVkLgojIEEgem9uZSB0aGF0IGNhbm5vdCBiZSByZWFkIHNheXMgc287IGl0IG5ldmVyIGZhaWxzIHRoZSBwcm9iZSBvZiB2cHJvdidzIG93biBvYmplY3RzLgp0cnk6CiAgICB6b25lID0gZGJ1cy5JbnRlcmZhY2UobywgQiArICIuem9uZSIpCiAgICBuYW1lcyA9IHNldChzdHIoeikgZm9yIHogaW4gem9uZS5nZXRBY3RpdmVab25lcygpLmtleXMoKSkKICAgIG5hbWVzLmFkZChzdHIoZGJ1cy5JbnRlcmZhY2UobywgQikuZ2V0RGVmYXVsdFpvbmUoKSkpCiAgICBvdXRbInpvbmVzIl0gPSB7fQogICAgZm9yIHogaW4gc29ydGVkKG5hbWVzKToKICAgICAgICBzID0gem9uZS5nZXRab25lU2V0dGluZ3MyKHopCiAgICAgICAgb3V0WyJ6b25lcyJdW3pdID0geyJ0YXJnZXQiOiBzdHIocy5nZXQoInRhcmdldCIsICJkZWZhdWx0IikpLCAic2VydmljZXMiOiBzdHJzKHMuZ2V0KCJzZXJ2aWNlcyIsIFtdKSksICJwb3J0cyI6IFsiJXMvJXMiICUgKHN0cihwKSwgc3RyKHEpKSBmb3IgcCwgcSBpbiBzLmdldCgicG9ydHMiLCBbXSldLCAicmljaF9ydWxlcyI6IHN0cnMocy5nZXQoInJpY2hfcnVsZXMiLCBbXSkpLCAic291cmNlcyI6IHN0cnMocy5nZXQoInNvdXJjZXMiLCBbXSkpfQpleGNlcHQgZGJ1cy5leGNlcHRpb25zLkRCdXNFeGNlcHRpb24gYXMgZToKICAgIG91dFsiem9uZXNfZXJyb3IiXSA9ICIlczogJXMiICUgKGUuZ2V0X2RidXNfbmFtZSgpLCBlLmdldF9kYnVzX21lc3NhZ2UoKSkKcHJpbnQoanNvbi5kdW1wcyhvdXQpKQo='
vprov_fwd_probe() {
  out=$(printf '%s' "$vprov_fwd_code" | base64 -d | "$py" -I - 2>&1) && return 0
  case $out in *'nknown option'*-I*|*'nknown option: -I'*) out=$(printf '%s' "$vprov_fwd_code" | base64 -d | "$py" -E -s - 2>&1) ;; *) return 1 ;; esac
}
vprov_fwd_why=
vprov_fwd_bad=$(vprov_untrusted "$vprov_fwd_cmd"); [ -n "$vprov_fwd_bad" ] || vprov_fwd_bad=$(vprov_untrusted "$py")
if [ -n "$vprov_fwd_bad" ]; then echo "runtime_error=$(printf '%s' "firewall-cmd's interpreter $py (from $vprov_fwd_cmd) is not run as root: $vprov_fwd_bad; only root may be able to change it, firewall-cmd and every directory above them" | base64 -w0)"
elif vprov_fwd_probe || { vprov_firewalld_wait && vprov_fwd_probe; }; then echo "runtime=$(printf '%s' "$out" | base64 -w0)"
elif [ -n "$vprov_fwd_why" ]; then echo "runtime_error=$(printf '%s' "$vprov_fwd_why" | base64 -w0)"
else echo "runtime_error=$(printf '%s' "interpreter $py: $out" | base64 -w0)"; fi
fi
} 2>/dev/null
echo '@@vprov:end@@'
} 2>/dev/null )
printf '%s\n' "$vprov_facts_out"
echo '@@vprov:sum@@'
printf '%s' "$vprov_facts_out" | sha256sum

} ) 2>/dev/null
: > /run/vprov/lock.owner; trap - EXIT
} 9>>/run/vprov/lock

#### kvm2: apply script
[ -e /run/vprov ] || [ -L /run/vprov ] || mkdir -m 0700 /run/vprov 2>/dev/null
if [ -L /run/vprov ] || [ ! -d /run/vprov ] || [ "$(stat -c %u /run/vprov)" != 0 ]; then echo '@@vprov:locked@@'; echo "/run/vprov is not vprov's: $(ls -ld /run/vprov 2>&1) (a directory owned by root, not a symlink, expected): vprov takes no apply lock there"; exit 0; fi
chmod 0700 /run/vprov; if [ -f /run/vprov/lock ]; then chmod 0600 /run/vprov/lock; fi
{
trap '' PIPE HUP
VPROV_RUN=abc123
if ! command -v flock >/dev/null 2>&1; then echo '@@vprov:locked@@'; echo 'flock (util-linux) is not installed: vprov cannot take the apply lock'; exit 0; fi
if ! flock -w 120 9; then vprov_holder=$(cat /run/vprov/lock.owner 2>/dev/null); echo '@@vprov:locked@@'; echo "locked by ${vprov_holder:-a holder that is not a vprov run in progress (/run/vprov/lock.owner is empty)} (waited 120 s for /run/vprov/lock)"; exit 0; fi
printf '%s\n' 'controller/4242 (ops, run abc123) since 2026-01-01T00:00:00.000Z' > /run/vprov/lock.owner; trap ': > /run/vprov/lock.owner' EXIT
vprov_facts=$( {
echo '@@vprov:host@@'
if [ -d /run/systemd/system ]; then echo systemd=yes; else echo systemd=no; fi
if [ -f '/etc/vprov/host.json' ]; then printf record=; { base64 -w0 < '/etc/vprov/host.json' || printf '%s' '!unreadable'; }; echo; else echo record=absent; fi
if [ -f /var/lib/vprov/last-apply.json ]; then echo applied_before=yes; fi
echo '@@vprov:firewall@@'
{
VPROV_FIREWALLD=1; vprov_fwd_unit=; vprov_fwd_inst=
if { command -v firewall-cmd || command -v firewalld; } >/dev/null 2>&1; then vprov_fwd_inst=1; fi
if { vprov_fwd_p=; for vprov_fwd_c in /proc/[0-9]*/comm; do IFS= read -r vprov_fwd_n < "$vprov_fwd_c" && [ "$vprov_fwd_n" = firewalld ] && { vprov_fwd_p=1; break; }; done 2>/dev/null; [ -n "$vprov_fwd_p" ]; } || { [ -n "$vprov_fwd_inst" ] && pidof -x firewalld >/dev/null 2>&1; }; then echo firewalld=running
else
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then vprov_fwd_unit=$(systemctl is-active firewalld.service 2>/dev/null); fi
  case $vprov_fwd_unit in
    active|activating|reloading|deactivating) echo firewalld=running ;;
    *) VPROV_FIREWALLD=; echo firewalld=no
      if [ -z "$vprov_fwd_inst" ]; then echo 'firewalld_state=not installed'
      elif [ -z "$vprov_fwd_unit" ]; then echo 'firewalld_state=no firewalld process'
      else echo "firewalld_state=firewalld.service: $vprov_fwd_unit"; if [ "$vprov_fwd_unit" = failed ]; then echo "firewalld_log=$(journalctl -u firewalld.service -n 5 --no-pager -o cat 2>/dev/null | base64 -w0)"; fi; fi ;;
  esac
fi
if command -v nft >/dev/null 2>&1; then echo nft=yes
  if out=$(nft -s -j list ruleset 2>&1); then echo "ruleset=$(printf '%s' "$out" | base64 -w0)"; else echo "ruleset_error=$(printf '%s' "$out" | base64 -w0)"; fi
else echo nft=no; fi
if [ -f '/etc/vprov/vprov.nft' ]; then printf persisted=; { base64 -w0 < '/etc/vprov/vprov.nft' || printf '%s' '!unreadable'; }; echo; else echo persisted=absent; fi
if [ -f '/etc/systemd/system/vprov-nftables.service' ]; then printf unit=; { base64 -w0 < '/etc/systemd/system/vprov-nftables.service' || printf '%s' '!unreadable'; }; echo; else echo unit=absent; fi
if [ -f '/etc/systemd/system/nftables.service.d/50-vprov.conf' ]; then printf dropin=; { base64 -w0 < '/etc/systemd/system/nftables.service.d/50-vprov.conf' || printf '%s' '!unreadable'; }; echo; else echo dropin=absent; fi
for f in /etc/firewalld/ipsets/vprov-*.xml /etc/firewalld/policies/vprov-*.xml; do [ -f "$f" ] && echo "file:$f=$({ base64 -w0 < "$f" || printf '%s' '!unreadable'; })"; done
if [ -n "$VPROV_FIREWALLD" ]; then
vprov_firewalld_wait() {
  vprov_fwd_end=$(( $(date +%s) + 90 ))
  while :; do
    firewall-cmd --state >/dev/null 2>&1; vprov_fwd_rc=$?
    [ "$vprov_fwd_rc" = 0 ] && return 0
    # 126/127: firewall-cmd cannot run at all (its interpreter is gone): no wait helps, the caller's own error says why
    case $vprov_fwd_rc in 126|127) vprov_fwd_why=; return 1 ;; esac
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
      vprov_fwd_unit=$(systemctl is-active firewalld.service 2>/dev/null)
      case $vprov_fwd_unit in active|activating|reloading|deactivating) ;; *)
        vprov_fwd_why="firewalld.service is ${vprov_fwd_unit:-unknown}; last log lines: $(journalctl -u firewalld.service -n 5 --no-pager -o cat 2>/dev/null | tr '\n' ' ')"; return 1 ;;
      esac
    elif ! { { vprov_fwd_p=; for vprov_fwd_c in /proc/[0-9]*/comm; do IFS= read -r vprov_fwd_n < "$vprov_fwd_c" && [ "$vprov_fwd_n" = firewalld ] && { vprov_fwd_p=1; break; }; done 2>/dev/null; [ -n "$vprov_fwd_p" ]; } || pidof -x firewalld >/dev/null 2>&1; }; then
      vprov_fwd_why='no firewalld process is running'; return 1
    fi
    if [ "$(date +%s)" -ge "$vprov_fwd_end" ]; then
      vprov_fwd_why="firewalld runs${vprov_fwd_unit:+ (firewalld.service: $vprov_fwd_unit)} but did not answer on D-Bus within 90 s: $(firewall-cmd --state 2>&1 | tr '\n' ' ')"
      # Seen on Debian bookworm's policy: dbus-daemon denies firewalld's replies to an admin shell (a USER_AVC).
      [ "$(getenforce 2>/dev/null)" = Enforcing ] && vprov_fwd_why="$vprov_fwd_why (SELinux is enforcing: look for firewalld_t send_msg denials with ausearch -m USER_AVC; docs/resources.md)"
      return 1
    fi
    sleep 1
  done
}
vprov_untrusted() {
  case $1 in /*) ;; *) echo "$1 is not an absolute path"; return ;; esac
  vprov_tr_real=$(readlink -f -- "$1") || { echo "$1 cannot be resolved"; return; }
  vprov_tr_list=
  for vprov_tr_p in "$1" "$vprov_tr_real"; do
    while :; do
      if [ -e "$vprov_tr_p" ] || [ -L "$vprov_tr_p" ]; then vprov_tr_list="$vprov_tr_list $vprov_tr_p"; fi
      [ "$vprov_tr_p" = / ] && break
      vprov_tr_p=${vprov_tr_p%/*}; [ -n "$vprov_tr_p" ] || vprov_tr_p=/
    done
  done
  stat -c '%u %f %n' -- $vprov_tr_list 2>&1 | while read -r vprov_tr_u vprov_tr_f vprov_tr_n; do
    case $vprov_tr_f in *[!0-9a-f]*|'') echo "$vprov_tr_u $vprov_tr_f $vprov_tr_n"; break ;; esac
    vprov_tr_m=$(( 0x$vprov_tr_f ))
    if [ "$vprov_tr_u" != 0 ] || { [ $(( vprov_tr_m & 61440 )) != 40960 ] && [ $(( vprov_tr_m & 18 )) != 0 ]; }; then
      echo "$vprov_tr_n (owner uid $vprov_tr_u, mode $(printf '%o' $(( vprov_tr_m & 4095 ))))"; break
    fi
  done
}
vprov_fwd_cmd=$(command -v firewall-cmd || echo /usr/bin/firewall-cmd)
py=$(sed -n '1{s/^#![[:space:]]*//;s/[[:space:]][[:space:]]*/ /g;p;}' "$vprov_fwd_cmd" 2>/dev/null); py=${py%% *}
case $py in */env) py=$(sed -n '1{s/^#![[:space:]]*//;s/[[:space:]][[:space:]]*/ /g;p;}' "$vprov_fwd_cmd" | cut -d' ' -f2); py=$(command -v "$py") ;; '') py=$(command -v python3) ;; esac
vprov_fwd_code='aW1wb3J0IHN5czsgc3lzLnBhdGhbOl0gPSBbcCBmb3IgcCBpbiBzeXMucGF0aCBpZiBwIG5vdCBpbiAoIiIsICIuIildCmltcG9ydCBqc29uLCBkYnVzCmZyb20gZmlyZXdhbGwuY29uZmlnIGltcG9ydCBWRVJTSU9OCkIgPSAib3JnLmZlZG9yYXByb2plY3QuRmlyZXdhbGxEMSIKdHJ5OgogICAgbyA9IGRidXMuU3lzdGVtQnVzKCkuZ2V0X29iamVjdChCLCAiL29yZy9mZWRvcmFwcm9qZWN0L0ZpcmV3YWxsRDEiLCBpbnRyb3NwZWN0PUZhbHNlKQogICAgcHJvcCA9IGxhbWJkYSBuYW1lOiBvLkdldChCLCBuYW1lLCBkYnVzX2ludGVyZmFjZT0ib3JnLmZyZWVkZXNrdG9wLkRCdXMuUHJvcGVydGllcyIpCiAgICBzdGF0ZSA9IHN0cihwcm9wKCJzdGF0ZSIpKQpleGNlcHQgZGJ1cy5leGNlcHRpb25zLkRCdXNFeGNlcHRpb24gYXMgZToKICAgIHJhaXNlIFN5c3RlbUV4aXQoImZpcmV3YWxsZCBkb2VzIG5vdCBhbnN3ZXIgb24gRC1CdXMgKCVzOiAlcykiICUgKGUuZ2V0X2RidXNfbmFtZSgpLCBlLmdldF9kYnVzX21lc3NhZ2UoKSkpCmlmIHN0YXRlICE9ICJSVU5OSU5HIjoKICAgIHJhaXNlIFN5c3RlbUV4aXQoImZpcmV3YWxsZCBhbnN3ZXJzIGJ1dCBpcyBub3QgcnVubmluZyB5ZXQgKHN0YXRlICVzKSIgJSBzdGF0ZSkKdmVyc2lvbiA9IFZFUlNJT04Kc3RycyA9IGxhbWJkYSB4czogW3N0cih4KSBmb3IgeCBpbiB4c10Kb3V0ID0geyJ2ZXJzaW9uIjogdmVyc2lvbiwgImlwc2V0cyI6IHt9LCAicG9saWNpZXMiOiB7fX0KaXBzZXQgPSBkYnVzLkludGVyZmFjZShvLCBCICsgIi5pcHNldCIpCmZvciBuIGluIGlwc2V0LmdldElQU2V0cygpOgogICAgaWYgbi5zdGFydHN3aXRoKCJ2cHJvdi0iKToKICAgICAgICBzID0gaXBzZXQuZ2V0SVBTZXRTZXR0aW5ncyhuKQogICAgICAgIG91dFsiaXBzZXRzIl1bc3RyKG4pXSA9IHsidHlwZSI6IHN0cihzWzNdKSwgImZhbWlseSI6IHN0cihzWzRdLmdldCgiZmFtaWx5IiwgImluZXQiKSksICJlbnRyaWVzIjogc3RycyhzWzVdKX0KIyBwb2xpY2llcyBleGlzdCBmcm9tIDAuOS4wIChvbGRlciBvbmVzIGFyZSByZWZ1c2VkIGJ5IHZlcnNpb24pOyBhbnkgZXJyb3IgcmVhZGluZyB0aGVtIGlzIG9uZQppZiBbaW50KHgpIGlmIHguaXNkaWdpdCgpIGVsc2UgMCBmb3IgeCBpbiB2ZXJzaW9uLnNwbGl0KCIuIilbOjJdXSA+PSBbMCwgOV06CiAgICBwb2xpY3kgPSBkYnVzLkludGVyZmFjZShvLCBCICsgIi5wb2xpY3kiKQogICAgZm9yIHAgaW4gcG9saWN5LmdldFBvbGljaWVzKCk6CiAgICAgICAgaWYgcC5zdGFydHN3aXRoKCJ2cHJvdi0iKToKICAgICAgICAgICAgcyA9IHBvbGljeS5nZXRQb2xpY3lTZXR0aW5ncyhwKQogICAgICAgICAgICBvdXRbInBvbGljaWVzIl1bc3RyKHApXSA9IHsidGFyZ2V0Ijogc3RyKHMuZ2V0KCJ0YXJnZXQiLCAiQ09OVElOVUUiKSksICJwcmlvcml0eSI6IGludChzLmdldCgicHJpb3JpdHkiLCAtMSkpLCAiaW5ncmVzcyI6IHN0cnMocy5nZXQoImluZ3Jlc3Nfem9uZXMiLCBbXSkpLCAiZWdyZXNzIjogc3RycyhzLmdldCgiZWdyZXNzX3pvbmVzIiwgW10pKSwgInJ1bGVzIjogc3RycyhzLmdldCgicmljaF9ydWxlcyIsIFtdKSl9CiMgV2hhdCB0aGUgYWN0aXZlIHpvbmVzIChhbmQgdGhlIGRlZmF1bHQgem9uZSkgb3BlbiBiZXNpZGVzIHZwcm92J3MgcG9saWN5OiByZXBvcnRlZCwgbmV2ZXIgZWRpdGVkLgojIEEgem9uZSB0aGF0IGNhbm5vdCBiZSByZWFkIHNheXMgc287IGl0IG5ldmVyIGZhaWxzIHRoZSBwcm9iZSBvZiB2cHJvdidzIG93biBvYmplY3RzLgp0cnk6CiAgICB6b25lID0gZGJ1cy5JbnRlcmZhY2UobywgQiArICIuem9uZSIpCiAgICBuYW1lcyA9IHNldChzdHIoeikgZm9yIHogaW4gem9uZS5nZXRBY3RpdmVab25lcygpLmtleXMoKSkKICAgIG5hbWVzLmFkZChzdHIoZGJ1cy5JbnRlcmZhY2UobywgQikuZ2V0RGVmYXVsdFpvbmUoKSkpCiAgICBvdXRbInpvbmVzIl0gPSB7fQogICAgZm9yIHogaW4gc29ydGVkKG5hbWVzKToKICAgICAgICBzID0gem9uZS5nZXRab25lU2V0dGluZ3MyKHopCiAgICAgICAgb3V0WyJ6b25lcyJdW3pdID0geyJ0YXJnZXQiOiBzdHIocy5nZXQoInRhcmdldCIsICJkZWZhdWx0IikpLCAic2VydmljZXMiOiBzdHJzKHMuZ2V0KCJzZXJ2aWNlcyIsIFtdKSksICJwb3J0cyI6IFsiJXMvJXMiICUgKHN0cihwKSwgc3RyKHEpKSBmb3IgcCwgcSBpbiBzLmdldCgicG9ydHMiLCBbXSldLCAicmljaF9ydWxlcyI6IHN0cnMocy5nZXQoInJpY2hfcnVsZXMiLCBbXSkpLCAic291cmNlcyI6IHN0cnMocy5nZXQoInNvdXJjZXMiLCBbXSkpfQpleGNlcHQgZGJ1cy5leGNlcHRpb25zLkRCdXNFeGNlcHRpb24gYXMgZToKICAgIG91dFsiem9uZXNfZXJyb3IiXSA9ICIlczogJXMiICUgKGUuZ2V0X2RidXNfbmFtZSgpLCBlLmdldF9kYnVzX21lc3NhZ2UoKSkKcHJpbnQoanNvbi5kdW1wcyhvdXQpKQo='
vprov_fwd_probe() {
  out=$(printf '%s' "$vprov_fwd_code" | base64 -d | "$py" -I - 2>&1) && return 0
  case $out in *'nknown option'*-I*|*'nknown option: -I'*) out=$(printf '%s' "$vprov_fwd_code" | base64 -d | "$py" -E -s - 2>&1) ;; *) return 1 ;; esac
}
vprov_fwd_why=
vprov_fwd_bad=$(vprov_untrusted "$vprov_fwd_cmd"); [ -n "$vprov_fwd_bad" ] || vprov_fwd_bad=$(vprov_untrusted "$py")
if [ -n "$vprov_fwd_bad" ]; then echo "runtime_error=$(printf '%s' "firewall-cmd's interpreter $py (from $vprov_fwd_cmd) is not run as root: $vprov_fwd_bad; only root may be able to change it, firewall-cmd and every directory above them" | base64 -w0)"
elif vprov_fwd_probe || { vprov_firewalld_wait && vprov_fwd_probe; }; then echo "runtime=$(printf '%s' "$out" | base64 -w0)"
elif [ -n "$vprov_fwd_why" ]; then echo "runtime_error=$(printf '%s' "$vprov_fwd_why" | base64 -w0)"
else echo "runtime_error=$(printf '%s' "interpreter $py: $out" | base64 -w0)"; fi
fi
} 2>/dev/null
echo '@@vprov:account@@'
{
:
} 2>/dev/null
echo '@@vprov:sudoers@@'
{
:
} 2>/dev/null
echo '@@vprov:selinux@@'
{
:
} 2>/dev/null
echo '@@vprov:end@@'
} 2>/dev/null )
vprov_sum=$(printf '%s' "$vprov_facts" | sha256sum)
if [ "$vprov_sum" != '16dc610945ee6a2095ab9a990b88aa58ed47b9afe0e6f2c40064946e43b2b9e6  -' ]; then echo '@@vprov:stale@@'; printf '%s\n' "$vprov_facts"; echo '@@vprov:sum@@'; printf '%s\n' "$vprov_sum"; exit 0; fi
echo '@@vprov:apply-firewall@@'
( set -e
{ [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; }
{ [ -d '/etc/systemd/system/nftables.service.d' ] || mkdir -p '/etc/systemd/system/nftables.service.d'; }
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiB0aGlzIHRhYmxlIGlzIHJlcGxhY2VkIGFzIGEgd2hvbGUsIGF0b21pY2FsbHksIG9uIGV2ZXJ5IGFwcGx5LgojIE9ubHkgdGFibGUgaW5ldCB2cHJvdiBpcyB2cHJvdidzOyBvdGhlciB0YWJsZXMgYXJlIG5ldmVyIGVkaXRlZC4KdGFibGUgaW5ldCB2cHJvdgpkZWxldGUgdGFibGUgaW5ldCB2cHJvdgp0YWJsZSBpbmV0IHZwcm92IHsKCXNldCBrdm1faG9zdF92NCB7CgkJdHlwZSBpcHY0X2FkZHIKCQlmbGFncyBpbnRlcnZhbAoJCWVsZW1lbnRzID0geyAxOTIuMC4yLjUxIH0KCX0KCXNldCBrdm1faG9zdF92NiB7CgkJdHlwZSBpcHY2X2FkZHIKCQlmbGFncyBpbnRlcnZhbAoJCWVsZW1lbnRzID0geyBmZDAwOjUwOjo1MyB9Cgl9CglzZXQgbWFuYWdlcl92NCB7CgkJdHlwZSBpcHY0X2FkZHIKCQlmbGFncyBpbnRlcnZhbAoJCWVsZW1lbnRzID0geyAxOTIuMC4yLjUwIH0KCX0KCXNldCBwb3J0YWxfY2xpZW50X3Y0IHsKCQl0eXBlIGlwdjRfYWRkcgoJCWZsYWdzIGludGVydmFsCgkJZWxlbWVudHMgPSB7IDEwLjIwLjAuMC8xNiB9Cgl9CgljaGFpbiBpbnB1dCB7CgkJdHlwZSBmaWx0ZXIgaG9vayBpbnB1dCBwcmlvcml0eSBmaWx0ZXI7IHBvbGljeSBhY2NlcHQ7CgkJaXAgc2FkZHIgQGt2bV9ob3N0X3Y0IHRjcCBkcG9ydCB7IDE2NTE0LCA0OTE1Mi00OTIxNiwgNTQzMjEgfSBhY2NlcHQgY29tbWVudCAib2x2bS9vbHZtL2t2bS1ob3N0LWZpcmV3YWxsLXJlcXVpcmVtZW50cy8xMCArMiIKCQlpcDYgc2FkZHIgQGt2bV9ob3N0X3Y2IHRjcCBkcG9ydCB7IDE2NTE0LCA0OTE1Mi00OTIxNiwgNTQzMjEgfSBhY2NlcHQgY29tbWVudCAib2x2bS9vbHZtL2t2bS1ob3N0LWZpcmV3YWxsLXJlcXVpcmVtZW50cy8xMCArMiIKCQlpcCBzYWRkciBAbWFuYWdlcl92NCB0Y3AgZHBvcnQgeyAyMiwgMjIyMywgNTQzMjEtNTQzMjIgfSBhY2NlcHQgY29tbWVudCAib2x2bS9vbHZtL2t2bS1ob3N0LWZpcmV3YWxsLXJlcXVpcmVtZW50cy8xICszIgoJCWlwIHNhZGRyIEBwb3J0YWxfY2xpZW50X3Y0IHRjcCBkcG9ydCA1OTAwLTY5MjMgYWNjZXB0IGNvbW1lbnQgIm9sdm0vb2x2bS9rdm0taG9zdC1maXJld2FsbC1yZXF1aXJlbWVudHMvNSIKCX0KfQo=' | base64 -d > '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
if ! out=$(nft -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new' 2>&1); then rm -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; echo "nft rejected the rendered table: $out" >&2; exit 3; fi
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiBsb2FkcyB0YWJsZSBpbmV0IHZwcm92IGF0IGJvb3QsIGFmdGVyIG5mdGFibGVzLnNlcnZpY2UgKHdob3NlCiMgL2V0Yy9uZnRhYmxlcy5jb25mIHN0YXJ0cyB3aXRoICJmbHVzaCBydWxlc2V0Iikgc28gdGhhdCBmbHVzaCBjYW5ub3QgZHJvcCBpdC4KIyBFdmVyeSBzdGFydCwgcmVzdGFydCBvciByZWxvYWQgb2YgbmZ0YWJsZXMuc2VydmljZSBmbHVzaGVzIHRoZSB3aG9sZSBydWxlc2V0OiBQYXJ0T2YKIyByZXN0YXJ0cyAoYW5kIHN0b3BzKSB0aGlzIHVuaXQgd2l0aCBpdCwgUmVsb2FkUHJvcGFnYXRlZEZyb20gcmVsb2FkcyBpdCwgYW5kCiMgV2FudGVkQnk9bmZ0YWJsZXMuc2VydmljZSBzdGFydHMgaXQgYWdhaW4gYWZ0ZXIgYSBzdG9wL3N0YXJ0LiBBIHN0YXJ0IG9mIG5mdGFibGVzLnNlcnZpY2UKIyB3aGlsZSBpdCB3YXMgaW5hY3RpdmUgKGFuZCB0aGlzIHVuaXQgYWN0aXZlKSBpcyBjb3ZlcmVkIGJ5IHZwcm92J3MgZHJvcC1pbiwKIyBuZnRhYmxlcy5zZXJ2aWNlLmQvNTAtdnByb3YuY29uZiwgd2hpY2ggcmVsb2FkcyB0aGlzIHVuaXQuCltVbml0XQpEZXNjcmlwdGlvbj12cHJvdiBmaXJld2FsbCB0YWJsZSAodGFibGUgaW5ldCB2cHJvdikKV2FudHM9bmV0d29yay1wcmUudGFyZ2V0CkJlZm9yZT1uZXR3b3JrLXByZS50YXJnZXQKQWZ0ZXI9bmZ0YWJsZXMuc2VydmljZQpQYXJ0T2Y9bmZ0YWJsZXMuc2VydmljZQpSZWxvYWRQcm9wYWdhdGVkRnJvbT1uZnRhYmxlcy5zZXJ2aWNlCgpbU2VydmljZV0KVHlwZT1vbmVzaG90ClJlbWFpbkFmdGVyRXhpdD15ZXMKRXhlY1N0YXJ0PS91c3Ivc2Jpbi9uZnQgLWYgL2V0Yy92cHJvdi92cHJvdi5uZnQKRXhlY1JlbG9hZD0vdXNyL3NiaW4vbmZ0IC1mIC9ldGMvdnByb3YvdnByb3YubmZ0CiMgIi0iOiB0aGUgdGFibGUgbWF5IGFscmVhZHkgYmUgZ29uZSAobmZ0YWJsZXMuc2VydmljZSBmbHVzaGVkIHRoZSBydWxlc2V0IGZpcnN0KS4KRXhlY1N0b3A9LS91c3Ivc2Jpbi9uZnQgZGVsZXRlIHRhYmxlIGluZXQgdnByb3YKCltJbnN0YWxsXQpXYW50ZWRCeT1tdWx0aS11c2VyLnRhcmdldCBuZnRhYmxlcy5zZXJ2aWNlCg==' | base64 -d > '/etc/systemd/system/vprov-nftables.service.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/systemd/system/vprov-nftables.service.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92IChyZW1vdmVkIHdpdGggdnByb3YtbmZ0YWJsZXMuc2VydmljZSkuIG5mdGFibGVzLnNlcnZpY2UncyBjb25maWcgc3RhcnRzIHdpdGgKIyAiZmx1c2ggcnVsZXNldCIuIFBhcnRPZj0gaW4gdnByb3YtbmZ0YWJsZXMuc2VydmljZSBjb3ZlcnMgYSByZXN0YXJ0IG9yIHN0b3Agb2YKIyBuZnRhYmxlcy5zZXJ2aWNlLCBidXQgbm90IGEgc3RhcnQgd2hpbGUgaXQgd2FzIGluYWN0aXZlIGFuZCB2cHJvdidzIHVuaXQgYWN0aXZlOiB0aGlzIHB1dHMKIyB0YWJsZSBpbmV0IHZwcm92IGJhY2sgdGhlbiAoYSByZWxvYWQgb2YgdnByb3YncyB1bml0LCBvbmx5IHdoZW4gdGhhdCB1bml0IGlzIGFjdGl2ZSkuCltTZXJ2aWNlXQpFeGVjU3RhcnRQb3N0PS0vdXNyL2Jpbi9zeXN0ZW1jdGwgLS1uby1ibG9jayB0cnktcmVsb2FkLW9yLXJlc3RhcnQgdnByb3YtbmZ0YWJsZXMuc2VydmljZQo=' | base64 -d > '/etc/systemd/system/nftables.service.d/50-vprov.conf.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/systemd/system/nftables.service.d/50-vprov.conf.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
mv -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new' /etc/vprov/vprov.nft
mv -f '/etc/systemd/system/vprov-nftables.service.'"${VPROV_RUN:-0}"'.vprov-new' /etc/systemd/system/vprov-nftables.service
mv -f '/etc/systemd/system/nftables.service.d/50-vprov.conf.'"${VPROV_RUN:-0}"'.vprov-new' /etc/systemd/system/nftables.service.d/50-vprov.conf
systemctl daemon-reload
systemctl enable --now vprov-nftables.service >/dev/null 2>&1
rm -f '/etc/firewalld/policies/vprov-in.xml'
) 2>&1
rc_firewall=$?
echo "rc=$rc_firewall"
echo '@@vprov:record@@'
vprov_w=''
if [ "$rc_firewall" = 0 ]; then vprov_add='{"kind":"firewall-nftables","name":"table inet vprov","path":"/etc/vprov/vprov.nft"}'; else vprov_add=''; fi
[ -z "$vprov_add" ] || vprov_w="${vprov_w:+$vprov_w,}$vprov_add"
( umask 077; { [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; } && printf '%s%s%s\n' '{"version":1,"site":"olvm","controller":"ops@controller","updated":"2026-01-01T00:00:00.000Z","runId":"abc123","written":[' "$vprov_w" ']}' > '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && chmod 600 '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/vprov/host.json' ) 2>/dev/null
vprov_record_rc=$?; [ "$vprov_record_rc" = 0 ] || rm -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new'; echo "record_rc=$vprov_record_rc"
{ { [ -d '/var/lib/vprov' ] || mkdir -p '/var/lib/vprov'; } && printf '{"runId":"abc123","time":"(now)","controller":"controller","user":"ops","pid":4242,"vprovVersion":"0.0.0","host":"kvm2","site":"olvm","changes":{"firewall":["+ table inet vprov","+ chain input hook input prio 0 policy accept","+ rule input: ip.saddr == @kvm_host_v4 && tcp.dport == 16514,49152-49216,54321 accept # olvm/olvm/kvm-host-firewall-requirements/10 +2","+ rule input: ip.saddr == @manager_v4 && tcp.dport == 22,2223,54321-54322 accept # olvm/olvm/kvm-host-firewall-requirements/1 +3","+ rule input: ip.saddr == @portal_client_v4 && tcp.dport == 5900-6923 accept # olvm/olvm/kvm-host-firewall-requirements/5","+ rule input: ip6.saddr == @kvm_host_v6 && tcp.dport == 16514,49152-49216,54321 accept # olvm/olvm/kvm-host-firewall-requirements/10 +2","+ set kvm_host_v4 ipv4_addr flags interval { 192.0.2.51 }","+ set kvm_host_v6 ipv6_addr flags interval { fd00:50::53 }","+ set manager_v4 ipv4_addr flags interval { 192.0.2.50 }","+ set portal_client_v4 ipv4_addr flags interval { 10.20.0.0/16 }","+ /etc/systemd/system/vprov-nftables.service","+ /etc/systemd/system/nftables.service.d/50-vprov.conf","- /etc/firewalld/policies/vprov-in.xml (vprov'\''s firewalld object; this host'\''s backend is not firewalld)"]},"results":{"firewall":%d}}\n' "$rc_firewall" > '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' /var/lib/vprov/last-apply.json; } 2>/dev/null || rm -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new'
case "$rc_firewall" in *[1-9]*) find /etc /var/lib/vprov -maxdepth 3 -name "*.$VPROV_RUN.vprov-new" -exec rm -f {} + 2>/dev/null ;; esac
echo '@@vprov:end@@'
echo '@@vprov:verify@@'
( {
vprov_facts_out=$( {
echo '@@vprov:host@@'
if [ -d /run/systemd/system ]; then echo systemd=yes; else echo systemd=no; fi
if [ -f '/etc/vprov/host.json' ]; then printf record=; { base64 -w0 < '/etc/vprov/host.json' || printf '%s' '!unreadable'; }; echo; else echo record=absent; fi
if [ -f /var/lib/vprov/last-apply.json ]; then echo applied_before=yes; fi
echo '@@vprov:firewall@@'
{
VPROV_FIREWALLD=1; vprov_fwd_unit=; vprov_fwd_inst=
if { command -v firewall-cmd || command -v firewalld; } >/dev/null 2>&1; then vprov_fwd_inst=1; fi
if { vprov_fwd_p=; for vprov_fwd_c in /proc/[0-9]*/comm; do IFS= read -r vprov_fwd_n < "$vprov_fwd_c" && [ "$vprov_fwd_n" = firewalld ] && { vprov_fwd_p=1; break; }; done 2>/dev/null; [ -n "$vprov_fwd_p" ]; } || { [ -n "$vprov_fwd_inst" ] && pidof -x firewalld >/dev/null 2>&1; }; then echo firewalld=running
else
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then vprov_fwd_unit=$(systemctl is-active firewalld.service 2>/dev/null); fi
  case $vprov_fwd_unit in
    active|activating|reloading|deactivating) echo firewalld=running ;;
    *) VPROV_FIREWALLD=; echo firewalld=no
      if [ -z "$vprov_fwd_inst" ]; then echo 'firewalld_state=not installed'
      elif [ -z "$vprov_fwd_unit" ]; then echo 'firewalld_state=no firewalld process'
      else echo "firewalld_state=firewalld.service: $vprov_fwd_unit"; if [ "$vprov_fwd_unit" = failed ]; then echo "firewalld_log=$(journalctl -u firewalld.service -n 5 --no-pager -o cat 2>/dev/null | base64 -w0)"; fi; fi ;;
  esac
fi
if command -v nft >/dev/null 2>&1; then echo nft=yes
  if out=$(nft -s -j list ruleset 2>&1); then echo "ruleset=$(printf '%s' "$out" | base64 -w0)"; else echo "ruleset_error=$(printf '%s' "$out" | base64 -w0)"; fi
else echo nft=no; fi
if [ -f '/etc/vprov/vprov.nft' ]; then printf persisted=; { base64 -w0 < '/etc/vprov/vprov.nft' || printf '%s' '!unreadable'; }; echo; else echo persisted=absent; fi
if [ -f '/etc/systemd/system/vprov-nftables.service' ]; then printf unit=; { base64 -w0 < '/etc/systemd/system/vprov-nftables.service' || printf '%s' '!unreadable'; }; echo; else echo unit=absent; fi
if [ -f '/etc/systemd/system/nftables.service.d/50-vprov.conf' ]; then printf dropin=; { base64 -w0 < '/etc/systemd/system/nftables.service.d/50-vprov.conf' || printf '%s' '!unreadable'; }; echo; else echo dropin=absent; fi
for f in /etc/firewalld/ipsets/vprov-*.xml /etc/firewalld/policies/vprov-*.xml; do [ -f "$f" ] && echo "file:$f=$({ base64 -w0 < "$f" || printf '%s' '!unreadable'; })"; done
if [ -n "$VPROV_FIREWALLD" ]; then
vprov_firewalld_wait() {
  vprov_fwd_end=$(( $(date +%s) + 90 ))
  while :; do
    firewall-cmd --state >/dev/null 2>&1; vprov_fwd_rc=$?
    [ "$vprov_fwd_rc" = 0 ] && return 0
    # 126/127: firewall-cmd cannot run at all (its interpreter is gone): no wait helps, the caller's own error says why
    case $vprov_fwd_rc in 126|127) vprov_fwd_why=; return 1 ;; esac
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
      vprov_fwd_unit=$(systemctl is-active firewalld.service 2>/dev/null)
      case $vprov_fwd_unit in active|activating|reloading|deactivating) ;; *)
        vprov_fwd_why="firewalld.service is ${vprov_fwd_unit:-unknown}; last log lines: $(journalctl -u firewalld.service -n 5 --no-pager -o cat 2>/dev/null | tr '\n' ' ')"; return 1 ;;
      esac
    elif ! { { vprov_fwd_p=; for vprov_fwd_c in /proc/[0-9]*/comm; do IFS= read -r vprov_fwd_n < "$vprov_fwd_c" && [ "$vprov_fwd_n" = firewalld ] && { vprov_fwd_p=1; break; }; done 2>/dev/null; [ -n "$vprov_fwd_p" ]; } || pidof -x firewalld >/dev/null 2>&1; }; then
      vprov_fwd_why='no firewalld process is running'; return 1
    fi
    if [ "$(date +%s)" -ge "$vprov_fwd_end" ]; then
      vprov_fwd_why="firewalld runs${vprov_fwd_unit:+ (firewalld.service: $vprov_fwd_unit)} but did not answer on D-Bus within 90 s: $(firewall-cmd --state 2>&1 | tr '\n' ' ')"
      # Seen on Debian bookworm's policy: dbus-daemon denies firewalld's replies to an admin shell (a USER_AVC).
      [ "$(getenforce 2>/dev/null)" = Enforcing ] && vprov_fwd_why="$vprov_fwd_why (SELinux is enforcing: look for firewalld_t send_msg denials with ausearch -m USER_AVC; docs/resources.md)"
      return 1
    fi
    sleep 1
  done
}
vprov_untrusted() {
  case $1 in /*) ;; *) echo "$1 is not an absolute path"; return ;; esac
  vprov_tr_real=$(readlink -f -- "$1") || { echo "$1 cannot be resolved"; return; }
  vprov_tr_list=
  for vprov_tr_p in "$1" "$vprov_tr_real"; do
    while :; do
      if [ -e "$vprov_tr_p" ] || [ -L "$vprov_tr_p" ]; then vprov_tr_list="$vprov_tr_list $vprov_tr_p"; fi
      [ "$vprov_tr_p" = / ] && break
      vprov_tr_p=${vprov_tr_p%/*}; [ -n "$vprov_tr_p" ] || vprov_tr_p=/
    done
  done
  stat -c '%u %f %n' -- $vprov_tr_list 2>&1 | while read -r vprov_tr_u vprov_tr_f vprov_tr_n; do
    case $vprov_tr_f in *[!0-9a-f]*|'') echo "$vprov_tr_u $vprov_tr_f $vprov_tr_n"; break ;; esac
    vprov_tr_m=$(( 0x$vprov_tr_f ))
    if [ "$vprov_tr_u" != 0 ] || { [ $(( vprov_tr_m & 61440 )) != 40960 ] && [ $(( vprov_tr_m & 18 )) != 0 ]; }; then
      echo "$vprov_tr_n (owner uid $vprov_tr_u, mode $(printf '%o' $(( vprov_tr_m & 4095 ))))"; break
    fi
  done
}
vprov_fwd_cmd=$(command -v firewall-cmd || echo /usr/bin/firewall-cmd)
py=$(sed -n '1{s/^#![[:space:]]*//;s/[[:space:]][[:space:]]*/ /g;p;}' "$vprov_fwd_cmd" 2>/dev/null); py=${py%% *}
case $py in */env) py=$(sed -n '1{s/^#![[:space:]]*//;s/[[:space:]][[:space:]]*/ /g;p;}' "$vprov_fwd_cmd" | cut -d' ' -f2); py=$(command -v "$py") ;; '') py=$(command -v python3) ;; esac
vprov_fwd_code='aW1wb3J0IHN5czsgc3lzLnBhdGhbOl0gPSBbcCBmb3IgcCBpbiBzeXMucGF0aCBpZiBwIG5vdCBpbiAoIiIsICIuIildCmltcG9ydCBqc29uLCBkYnVzCmZyb20gZmlyZXdhbGwuY29uZmlnIGltcG9ydCBWRVJTSU9OCkIgPSAib3JnLmZlZG9yYXByb2plY3QuRmlyZXdhbGxEMSIKdHJ5OgogICAgbyA9IGRidXMuU3lzdGVtQnVzKCkuZ2V0X29iamVjdChCLCAiL29yZy9mZWRvcmFwcm9qZWN0L0ZpcmV3YWxsRDEiLCBpbnRyb3NwZWN0PUZhbHNlKQogICAgcHJvcCA9IGxhbWJkYSBuYW1lOiBvLkdldChCLCBuYW1lLCBkYnVzX2ludGVyZmFjZT0ib3JnLmZyZWVkZXNrdG9wLkRCdXMuUHJvcGVydGllcyIpCiAgICBzdGF0ZSA9IHN0cihwcm9wKCJzdGF0ZSIpKQpleGNlcHQgZGJ1cy5leGNlcHRpb25zLkRCdXNFeGNlcHRpb24gYXMgZToKICAgIHJhaXNlIFN5c3RlbUV4aXQoImZpcmV3YWxsZCBkb2VzIG5vdCBhbnN3ZXIgb24gRC1CdXMgKCVzOiAlcykiICUgKGUuZ2V0X2RidXNfbmFtZSgpLCBlLmdldF9kYnVzX21lc3NhZ2UoKSkpCmlmIHN0YXRlICE9ICJSVU5OSU5HIjoKICAgIHJhaXNlIFN5c3RlbUV4aXQoImZpcmV3YWxsZCBhbnN3ZXJzIGJ1dCBpcyBub3QgcnVubmluZyB5ZXQgKHN0YXRlICVzKSIgJSBzdGF0ZSkKdmVyc2lvbiA9IFZFUlNJT04Kc3RycyA9IGxhbWJkYSB4czogW3N0cih4KSBmb3IgeCBpbiB4c10Kb3V0ID0geyJ2ZXJzaW9uIjogdmVyc2lvbiwgImlwc2V0cyI6IHt9LCAicG9saWNpZXMiOiB7fX0KaXBzZXQgPSBkYnVzLkludGVyZmFjZShvLCBCICsgIi5pcHNldCIpCmZvciBuIGluIGlwc2V0LmdldElQU2V0cygpOgogICAgaWYgbi5zdGFydHN3aXRoKCJ2cHJvdi0iKToKICAgICAgICBzID0gaXBzZXQuZ2V0SVBTZXRTZXR0aW5ncyhuKQogICAgICAgIG91dFsiaXBzZXRzIl1bc3RyKG4pXSA9IHsidHlwZSI6IHN0cihzWzNdKSwgImZhbWlseSI6IHN0cihzWzRdLmdldCgiZmFtaWx5IiwgImluZXQiKSksICJlbnRyaWVzIjogc3RycyhzWzVdKX0KIyBwb2xpY2llcyBleGlzdCBmcm9tIDAuOS4wIChvbGRlciBvbmVzIGFyZSByZWZ1c2VkIGJ5IHZlcnNpb24pOyBhbnkgZXJyb3IgcmVhZGluZyB0aGVtIGlzIG9uZQppZiBbaW50KHgpIGlmIHguaXNkaWdpdCgpIGVsc2UgMCBmb3IgeCBpbiB2ZXJzaW9uLnNwbGl0KCIuIilbOjJdXSA+PSBbMCwgOV06CiAgICBwb2xpY3kgPSBkYnVzLkludGVyZmFjZShvLCBCICsgIi5wb2xpY3kiKQogICAgZm9yIHAgaW4gcG9saWN5LmdldFBvbGljaWVzKCk6CiAgICAgICAgaWYgcC5zdGFydHN3aXRoKCJ2cHJvdi0iKToKICAgICAgICAgICAgcyA9IHBvbGljeS5nZXRQb2xpY3lTZXR0aW5ncyhwKQogICAgICAgICAgICBvdXRbInBvbGljaWVzIl1bc3RyKHApXSA9IHsidGFyZ2V0Ijogc3RyKHMuZ2V0KCJ0YXJnZXQiLCAiQ09OVElOVUUiKSksICJwcmlvcml0eSI6IGludChzLmdldCgicHJpb3JpdHkiLCAtMSkpLCAiaW5ncmVzcyI6IHN0cnMocy5nZXQoImluZ3Jlc3Nfem9uZXMiLCBbXSkpLCAiZWdyZXNzIjogc3RycyhzLmdldCgiZWdyZXNzX3pvbmVzIiwgW10pKSwgInJ1bGVzIjogc3RycyhzLmdldCgicmljaF9ydWxlcyIsIFtdKSl9CiMgV2hhdCB0aGUgYWN0aXZlIHpvbmVzIChhbmQgdGhlIGRlZmF1bHQgem9uZSkgb3BlbiBiZXNpZGVzIHZwcm92J3MgcG9saWN5OiByZXBvcnRlZCwgbmV2ZXIgZWRpdGVkLgojIEEgem9uZSB0aGF0IGNhbm5vdCBiZSByZWFkIHNheXMgc287IGl0IG5ldmVyIGZhaWxzIHRoZSBwcm9iZSBvZiB2cHJvdidzIG93biBvYmplY3RzLgp0cnk6CiAgICB6b25lID0gZGJ1cy5JbnRlcmZhY2UobywgQiArICIuem9uZSIpCiAgICBuYW1lcyA9IHNldChzdHIoeikgZm9yIHogaW4gem9uZS5nZXRBY3RpdmVab25lcygpLmtleXMoKSkKICAgIG5hbWVzLmFkZChzdHIoZGJ1cy5JbnRlcmZhY2UobywgQikuZ2V0RGVmYXVsdFpvbmUoKSkpCiAgICBvdXRbInpvbmVzIl0gPSB7fQogICAgZm9yIHogaW4gc29ydGVkKG5hbWVzKToKICAgICAgICBzID0gem9uZS5nZXRab25lU2V0dGluZ3MyKHopCiAgICAgICAgb3V0WyJ6b25lcyJdW3pdID0geyJ0YXJnZXQiOiBzdHIocy5nZXQoInRhcmdldCIsICJkZWZhdWx0IikpLCAic2VydmljZXMiOiBzdHJzKHMuZ2V0KCJzZXJ2aWNlcyIsIFtdKSksICJwb3J0cyI6IFsiJXMvJXMiICUgKHN0cihwKSwgc3RyKHEpKSBmb3IgcCwgcSBpbiBzLmdldCgicG9ydHMiLCBbXSldLCAicmljaF9ydWxlcyI6IHN0cnMocy5nZXQoInJpY2hfcnVsZXMiLCBbXSkpLCAic291cmNlcyI6IHN0cnMocy5nZXQoInNvdXJjZXMiLCBbXSkpfQpleGNlcHQgZGJ1cy5leGNlcHRpb25zLkRCdXNFeGNlcHRpb24gYXMgZToKICAgIG91dFsiem9uZXNfZXJyb3IiXSA9ICIlczogJXMiICUgKGUuZ2V0X2RidXNfbmFtZSgpLCBlLmdldF9kYnVzX21lc3NhZ2UoKSkKcHJpbnQoanNvbi5kdW1wcyhvdXQpKQo='
vprov_fwd_probe() {
  out=$(printf '%s' "$vprov_fwd_code" | base64 -d | "$py" -I - 2>&1) && return 0
  case $out in *'nknown option'*-I*|*'nknown option: -I'*) out=$(printf '%s' "$vprov_fwd_code" | base64 -d | "$py" -E -s - 2>&1) ;; *) return 1 ;; esac
}
vprov_fwd_why=
vprov_fwd_bad=$(vprov_untrusted "$vprov_fwd_cmd"); [ -n "$vprov_fwd_bad" ] || vprov_fwd_bad=$(vprov_untrusted "$py")
if [ -n "$vprov_fwd_bad" ]; then echo "runtime_error=$(printf '%s' "firewall-cmd's interpreter $py (from $vprov_fwd_cmd) is not run as root: $vprov_fwd_bad; only root may be able to change it, firewall-cmd and every directory above them" | base64 -w0)"
elif vprov_fwd_probe || { vprov_firewalld_wait && vprov_fwd_probe; }; then echo "runtime=$(printf '%s' "$out" | base64 -w0)"
elif [ -n "$vprov_fwd_why" ]; then echo "runtime_error=$(printf '%s' "$vprov_fwd_why" | base64 -w0)"
else echo "runtime_error=$(printf '%s' "interpreter $py: $out" | base64 -w0)"; fi
fi
} 2>/dev/null
echo '@@vprov:end@@'
} 2>/dev/null )
printf '%s\n' "$vprov_facts_out"
echo '@@vprov:sum@@'
printf '%s' "$vprov_facts_out" | sha256sum

} ) 2>/dev/null
: > /run/vprov/lock.owner; trap - EXIT
} 9>>/run/vprov/lock

#### kvm3: apply script
[ -e /run/vprov ] || [ -L /run/vprov ] || mkdir -m 0700 /run/vprov 2>/dev/null
if [ -L /run/vprov ] || [ ! -d /run/vprov ] || [ "$(stat -c %u /run/vprov)" != 0 ]; then echo '@@vprov:locked@@'; echo "/run/vprov is not vprov's: $(ls -ld /run/vprov 2>&1) (a directory owned by root, not a symlink, expected): vprov takes no apply lock there"; exit 0; fi
chmod 0700 /run/vprov; if [ -f /run/vprov/lock ]; then chmod 0600 /run/vprov/lock; fi
{
trap '' PIPE HUP
VPROV_RUN=abc123
if ! command -v flock >/dev/null 2>&1; then echo '@@vprov:locked@@'; echo 'flock (util-linux) is not installed: vprov cannot take the apply lock'; exit 0; fi
if ! flock -w 120 9; then vprov_holder=$(cat /run/vprov/lock.owner 2>/dev/null); echo '@@vprov:locked@@'; echo "locked by ${vprov_holder:-a holder that is not a vprov run in progress (/run/vprov/lock.owner is empty)} (waited 120 s for /run/vprov/lock)"; exit 0; fi
printf '%s\n' 'controller/4242 (ops, run abc123) since 2026-01-01T00:00:00.000Z' > /run/vprov/lock.owner; trap ': > /run/vprov/lock.owner' EXIT
vprov_facts=$( {
echo '@@vprov:host@@'
if [ -d /run/systemd/system ]; then echo systemd=yes; else echo systemd=no; fi
if [ -f '/etc/vprov/host.json' ]; then printf record=; { base64 -w0 < '/etc/vprov/host.json' || printf '%s' '!unreadable'; }; echo; else echo record=absent; fi
if [ -f /var/lib/vprov/last-apply.json ]; then echo applied_before=yes; fi
echo '@@vprov:firewall@@'
{
VPROV_FIREWALLD=1; vprov_fwd_unit=; vprov_fwd_inst=
if { command -v firewall-cmd || command -v firewalld; } >/dev/null 2>&1; then vprov_fwd_inst=1; fi
if { vprov_fwd_p=; for vprov_fwd_c in /proc/[0-9]*/comm; do IFS= read -r vprov_fwd_n < "$vprov_fwd_c" && [ "$vprov_fwd_n" = firewalld ] && { vprov_fwd_p=1; break; }; done 2>/dev/null; [ -n "$vprov_fwd_p" ]; } || { [ -n "$vprov_fwd_inst" ] && pidof -x firewalld >/dev/null 2>&1; }; then echo firewalld=running
else
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then vprov_fwd_unit=$(systemctl is-active firewalld.service 2>/dev/null); fi
  case $vprov_fwd_unit in
    active|activating|reloading|deactivating) echo firewalld=running ;;
    *) VPROV_FIREWALLD=; echo firewalld=no
      if [ -z "$vprov_fwd_inst" ]; then echo 'firewalld_state=not installed'
      elif [ -z "$vprov_fwd_unit" ]; then echo 'firewalld_state=no firewalld process'
      else echo "firewalld_state=firewalld.service: $vprov_fwd_unit"; if [ "$vprov_fwd_unit" = failed ]; then echo "firewalld_log=$(journalctl -u firewalld.service -n 5 --no-pager -o cat 2>/dev/null | base64 -w0)"; fi; fi ;;
  esac
fi
if command -v nft >/dev/null 2>&1; then echo nft=yes
  if out=$(nft -s -j list ruleset 2>&1); then echo "ruleset=$(printf '%s' "$out" | base64 -w0)"; else echo "ruleset_error=$(printf '%s' "$out" | base64 -w0)"; fi
else echo nft=no; fi
if [ -f '/etc/vprov/vprov.nft' ]; then printf persisted=; { base64 -w0 < '/etc/vprov/vprov.nft' || printf '%s' '!unreadable'; }; echo; else echo persisted=absent; fi
if [ -f '/etc/systemd/system/vprov-nftables.service' ]; then printf unit=; { base64 -w0 < '/etc/systemd/system/vprov-nftables.service' || printf '%s' '!unreadable'; }; echo; else echo unit=absent; fi
if [ -f '/etc/systemd/system/nftables.service.d/50-vprov.conf' ]; then printf dropin=; { base64 -w0 < '/etc/systemd/system/nftables.service.d/50-vprov.conf' || printf '%s' '!unreadable'; }; echo; else echo dropin=absent; fi
for f in /etc/firewalld/ipsets/vprov-*.xml /etc/firewalld/policies/vprov-*.xml; do [ -f "$f" ] && echo "file:$f=$({ base64 -w0 < "$f" || printf '%s' '!unreadable'; })"; done
if [ -n "$VPROV_FIREWALLD" ]; then
vprov_firewalld_wait() {
  vprov_fwd_end=$(( $(date +%s) + 90 ))
  while :; do
    firewall-cmd --state >/dev/null 2>&1; vprov_fwd_rc=$?
    [ "$vprov_fwd_rc" = 0 ] && return 0
    # 126/127: firewall-cmd cannot run at all (its interpreter is gone): no wait helps, the caller's own error says why
    case $vprov_fwd_rc in 126|127) vprov_fwd_why=; return 1 ;; esac
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
      vprov_fwd_unit=$(systemctl is-active firewalld.service 2>/dev/null)
      case $vprov_fwd_unit in active|activating|reloading|deactivating) ;; *)
        vprov_fwd_why="firewalld.service is ${vprov_fwd_unit:-unknown}; last log lines: $(journalctl -u firewalld.service -n 5 --no-pager -o cat 2>/dev/null | tr '\n' ' ')"; return 1 ;;
      esac
    elif ! { { vprov_fwd_p=; for vprov_fwd_c in /proc/[0-9]*/comm; do IFS= read -r vprov_fwd_n < "$vprov_fwd_c" && [ "$vprov_fwd_n" = firewalld ] && { vprov_fwd_p=1; break; }; done 2>/dev/null; [ -n "$vprov_fwd_p" ]; } || pidof -x firewalld >/dev/null 2>&1; }; then
      vprov_fwd_why='no firewalld process is running'; return 1
    fi
    if [ "$(date +%s)" -ge "$vprov_fwd_end" ]; then
      vprov_fwd_why="firewalld runs${vprov_fwd_unit:+ (firewalld.service: $vprov_fwd_unit)} but did not answer on D-Bus within 90 s: $(firewall-cmd --state 2>&1 | tr '\n' ' ')"
      # Seen on Debian bookworm's policy: dbus-daemon denies firewalld's replies to an admin shell (a USER_AVC).
      [ "$(getenforce 2>/dev/null)" = Enforcing ] && vprov_fwd_why="$vprov_fwd_why (SELinux is enforcing: look for firewalld_t send_msg denials with ausearch -m USER_AVC; docs/resources.md)"
      return 1
    fi
    sleep 1
  done
}
vprov_untrusted() {
  case $1 in /*) ;; *) echo "$1 is not an absolute path"; return ;; esac
  vprov_tr_real=$(readlink -f -- "$1") || { echo "$1 cannot be resolved"; return; }
  vprov_tr_list=
  for vprov_tr_p in "$1" "$vprov_tr_real"; do
    while :; do
      if [ -e "$vprov_tr_p" ] || [ -L "$vprov_tr_p" ]; then vprov_tr_list="$vprov_tr_list $vprov_tr_p"; fi
      [ "$vprov_tr_p" = / ] && break
      vprov_tr_p=${vprov_tr_p%/*}; [ -n "$vprov_tr_p" ] || vprov_tr_p=/
    done
  done
  stat -c '%u %f %n' -- $vprov_tr_list 2>&1 | while read -r vprov_tr_u vprov_tr_f vprov_tr_n; do
    case $vprov_tr_f in *[!0-9a-f]*|'') echo "$vprov_tr_u $vprov_tr_f $vprov_tr_n"; break ;; esac
    vprov_tr_m=$(( 0x$vprov_tr_f ))
    if [ "$vprov_tr_u" != 0 ] || { [ $(( vprov_tr_m & 61440 )) != 40960 ] && [ $(( vprov_tr_m & 18 )) != 0 ]; }; then
      echo "$vprov_tr_n (owner uid $vprov_tr_u, mode $(printf '%o' $(( vprov_tr_m & 4095 ))))"; break
    fi
  done
}
vprov_fwd_cmd=$(command -v firewall-cmd || echo /usr/bin/firewall-cmd)
py=$(sed -n '1{s/^#![[:space:]]*//;s/[[:space:]][[:space:]]*/ /g;p;}' "$vprov_fwd_cmd" 2>/dev/null); py=${py%% *}
case $py in */env) py=$(sed -n '1{s/^#![[:space:]]*//;s/[[:space:]][[:space:]]*/ /g;p;}' "$vprov_fwd_cmd" | cut -d' ' -f2); py=$(command -v "$py") ;; '') py=$(command -v python3) ;; esac
vprov_fwd_code='aW1wb3J0IHN5czsgc3lzLnBhdGhbOl0gPSBbcCBmb3IgcCBpbiBzeXMucGF0aCBpZiBwIG5vdCBpbiAoIiIsICIuIildCmltcG9ydCBqc29uLCBkYnVzCmZyb20gZmlyZXdhbGwuY29uZmlnIGltcG9ydCBWRVJTSU9OCkIgPSAib3JnLmZlZG9yYXByb2plY3QuRmlyZXdhbGxEMSIKdHJ5OgogICAgbyA9IGRidXMuU3lzdGVtQnVzKCkuZ2V0X29iamVjdChCLCAiL29yZy9mZWRvcmFwcm9qZWN0L0ZpcmV3YWxsRDEiLCBpbnRyb3NwZWN0PUZhbHNlKQogICAgcHJvcCA9IGxhbWJkYSBuYW1lOiBvLkdldChCLCBuYW1lLCBkYnVzX2ludGVyZmFjZT0ib3JnLmZyZWVkZXNrdG9wLkRCdXMuUHJvcGVydGllcyIpCiAgICBzdGF0ZSA9IHN0cihwcm9wKCJzdGF0ZSIpKQpleGNlcHQgZGJ1cy5leGNlcHRpb25zLkRCdXNFeGNlcHRpb24gYXMgZToKICAgIHJhaXNlIFN5c3RlbUV4aXQoImZpcmV3YWxsZCBkb2VzIG5vdCBhbnN3ZXIgb24gRC1CdXMgKCVzOiAlcykiICUgKGUuZ2V0X2RidXNfbmFtZSgpLCBlLmdldF9kYnVzX21lc3NhZ2UoKSkpCmlmIHN0YXRlICE9ICJSVU5OSU5HIjoKICAgIHJhaXNlIFN5c3RlbUV4aXQoImZpcmV3YWxsZCBhbnN3ZXJzIGJ1dCBpcyBub3QgcnVubmluZyB5ZXQgKHN0YXRlICVzKSIgJSBzdGF0ZSkKdmVyc2lvbiA9IFZFUlNJT04Kc3RycyA9IGxhbWJkYSB4czogW3N0cih4KSBmb3IgeCBpbiB4c10Kb3V0ID0geyJ2ZXJzaW9uIjogdmVyc2lvbiwgImlwc2V0cyI6IHt9LCAicG9saWNpZXMiOiB7fX0KaXBzZXQgPSBkYnVzLkludGVyZmFjZShvLCBCICsgIi5pcHNldCIpCmZvciBuIGluIGlwc2V0LmdldElQU2V0cygpOgogICAgaWYgbi5zdGFydHN3aXRoKCJ2cHJvdi0iKToKICAgICAgICBzID0gaXBzZXQuZ2V0SVBTZXRTZXR0aW5ncyhuKQogICAgICAgIG91dFsiaXBzZXRzIl1bc3RyKG4pXSA9IHsidHlwZSI6IHN0cihzWzNdKSwgImZhbWlseSI6IHN0cihzWzRdLmdldCgiZmFtaWx5IiwgImluZXQiKSksICJlbnRyaWVzIjogc3RycyhzWzVdKX0KIyBwb2xpY2llcyBleGlzdCBmcm9tIDAuOS4wIChvbGRlciBvbmVzIGFyZSByZWZ1c2VkIGJ5IHZlcnNpb24pOyBhbnkgZXJyb3IgcmVhZGluZyB0aGVtIGlzIG9uZQppZiBbaW50KHgpIGlmIHguaXNkaWdpdCgpIGVsc2UgMCBmb3IgeCBpbiB2ZXJzaW9uLnNwbGl0KCIuIilbOjJdXSA+PSBbMCwgOV06CiAgICBwb2xpY3kgPSBkYnVzLkludGVyZmFjZShvLCBCICsgIi5wb2xpY3kiKQogICAgZm9yIHAgaW4gcG9saWN5LmdldFBvbGljaWVzKCk6CiAgICAgICAgaWYgcC5zdGFydHN3aXRoKCJ2cHJvdi0iKToKICAgICAgICAgICAgcyA9IHBvbGljeS5nZXRQb2xpY3lTZXR0aW5ncyhwKQogICAgICAgICAgICBvdXRbInBvbGljaWVzIl1bc3RyKHApXSA9IHsidGFyZ2V0Ijogc3RyKHMuZ2V0KCJ0YXJnZXQiLCAiQ09OVElOVUUiKSksICJwcmlvcml0eSI6IGludChzLmdldCgicHJpb3JpdHkiLCAtMSkpLCAiaW5ncmVzcyI6IHN0cnMocy5nZXQoImluZ3Jlc3Nfem9uZXMiLCBbXSkpLCAiZWdyZXNzIjogc3RycyhzLmdldCgiZWdyZXNzX3pvbmVzIiwgW10pKSwgInJ1bGVzIjogc3RycyhzLmdldCgicmljaF9ydWxlcyIsIFtdKSl9CiMgV2hhdCB0aGUgYWN0aXZlIHpvbmVzIChhbmQgdGhlIGRlZmF1bHQgem9uZSkgb3BlbiBiZXNpZGVzIHZwcm92J3MgcG9saWN5OiByZXBvcnRlZCwgbmV2ZXIgZWRpdGVkLgojIEEgem9uZSB0aGF0IGNhbm5vdCBiZSByZWFkIHNheXMgc287IGl0IG5ldmVyIGZhaWxzIHRoZSBwcm9iZSBvZiB2cHJvdidzIG93biBvYmplY3RzLgp0cnk6CiAgICB6b25lID0gZGJ1cy5JbnRlcmZhY2UobywgQiArICIuem9uZSIpCiAgICBuYW1lcyA9IHNldChzdHIoeikgZm9yIHogaW4gem9uZS5nZXRBY3RpdmVab25lcygpLmtleXMoKSkKICAgIG5hbWVzLmFkZChzdHIoZGJ1cy5JbnRlcmZhY2UobywgQikuZ2V0RGVmYXVsdFpvbmUoKSkpCiAgICBvdXRbInpvbmVzIl0gPSB7fQogICAgZm9yIHogaW4gc29ydGVkKG5hbWVzKToKICAgICAgICBzID0gem9uZS5nZXRab25lU2V0dGluZ3MyKHopCiAgICAgICAgb3V0WyJ6b25lcyJdW3pdID0geyJ0YXJnZXQiOiBzdHIocy5nZXQoInRhcmdldCIsICJkZWZhdWx0IikpLCAic2VydmljZXMiOiBzdHJzKHMuZ2V0KCJzZXJ2aWNlcyIsIFtdKSksICJwb3J0cyI6IFsiJXMvJXMiICUgKHN0cihwKSwgc3RyKHEpKSBmb3IgcCwgcSBpbiBzLmdldCgicG9ydHMiLCBbXSldLCAicmljaF9ydWxlcyI6IHN0cnMocy5nZXQoInJpY2hfcnVsZXMiLCBbXSkpLCAic291cmNlcyI6IHN0cnMocy5nZXQoInNvdXJjZXMiLCBbXSkpfQpleGNlcHQgZGJ1cy5leGNlcHRpb25zLkRCdXNFeGNlcHRpb24gYXMgZToKICAgIG91dFsiem9uZXNfZXJyb3IiXSA9ICIlczogJXMiICUgKGUuZ2V0X2RidXNfbmFtZSgpLCBlLmdldF9kYnVzX21lc3NhZ2UoKSkKcHJpbnQoanNvbi5kdW1wcyhvdXQpKQo='
vprov_fwd_probe() {
  out=$(printf '%s' "$vprov_fwd_code" | base64 -d | "$py" -I - 2>&1) && return 0
  case $out in *'nknown option'*-I*|*'nknown option: -I'*) out=$(printf '%s' "$vprov_fwd_code" | base64 -d | "$py" -E -s - 2>&1) ;; *) return 1 ;; esac
}
vprov_fwd_why=
vprov_fwd_bad=$(vprov_untrusted "$vprov_fwd_cmd"); [ -n "$vprov_fwd_bad" ] || vprov_fwd_bad=$(vprov_untrusted "$py")
if [ -n "$vprov_fwd_bad" ]; then echo "runtime_error=$(printf '%s' "firewall-cmd's interpreter $py (from $vprov_fwd_cmd) is not run as root: $vprov_fwd_bad; only root may be able to change it, firewall-cmd and every directory above them" | base64 -w0)"
elif vprov_fwd_probe || { vprov_firewalld_wait && vprov_fwd_probe; }; then echo "runtime=$(printf '%s' "$out" | base64 -w0)"
elif [ -n "$vprov_fwd_why" ]; then echo "runtime_error=$(printf '%s' "$vprov_fwd_why" | base64 -w0)"
else echo "runtime_error=$(printf '%s' "interpreter $py: $out" | base64 -w0)"; fi
fi
} 2>/dev/null
echo '@@vprov:account@@'
{
:
} 2>/dev/null
echo '@@vprov:sudoers@@'
{
:
} 2>/dev/null
echo '@@vprov:selinux@@'
{
:
} 2>/dev/null
echo '@@vprov:end@@'
} 2>/dev/null )
vprov_sum=$(printf '%s' "$vprov_facts" | sha256sum)
if [ "$vprov_sum" != '8289069007a71d45218599c9ccbb4f64902952e99caa8570ad5e1cf765aec6ac  -' ]; then echo '@@vprov:stale@@'; printf '%s\n' "$vprov_facts"; echo '@@vprov:sum@@'; printf '%s\n' "$vprov_sum"; exit 0; fi
echo '@@vprov:apply-firewall@@'
( set -e
mkdir -p /etc/firewalld/ipsets /etc/firewalld/policies
rm -f '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml.vprov-old'; if [ -f '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml' ]; then cp -p '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml' '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml.vprov-old'; fi
rm -f '/etc/firewalld/ipsets/vprov-manager_v4.xml.vprov-old'; if [ -f '/etc/firewalld/ipsets/vprov-manager_v4.xml' ]; then cp -p '/etc/firewalld/ipsets/vprov-manager_v4.xml' '/etc/firewalld/ipsets/vprov-manager_v4.xml.vprov-old'; fi
rm -f '/etc/firewalld/ipsets/vprov-portal_client_v4.xml.vprov-old'; if [ -f '/etc/firewalld/ipsets/vprov-portal_client_v4.xml' ]; then cp -p '/etc/firewalld/ipsets/vprov-portal_client_v4.xml' '/etc/firewalld/ipsets/vprov-portal_client_v4.xml.vprov-old'; fi
rm -f '/etc/firewalld/policies/vprov-in.xml.vprov-old'; if [ -f '/etc/firewalld/policies/vprov-in.xml' ]; then cp -p '/etc/firewalld/policies/vprov-in.xml' '/etc/firewalld/policies/vprov-in.xml.vprov-old'; fi
if ! printf '%s' 'PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz4KPCEtLSBNYW5hZ2VkIGJ5IHZwcm92OiByZXBsYWNlZCBvbiBldmVyeSBhcHBseTsgcmVtb3ZlZCB3aGVuIG5vIGZsb3cgbmVlZHMgaXQuIC0tPgo8aXBzZXQgdHlwZT0iaGFzaDpuZXQiPgogIDxzaG9ydD52cHJvdiBrdm1faG9zdF92NDwvc2hvcnQ+CiAgPGRlc2NyaXB0aW9uPlNvdXJjZXMgb2Ygcm9sZSBrdm1faG9zdCAoaW5ldCksIG1hbmFnZWQgYnkgdnByb3Y8L2Rlc2NyaXB0aW9uPgogIDxvcHRpb24gbmFtZT0iZmFtaWx5IiB2YWx1ZT0iaW5ldCIvPgogIDxlbnRyeT4xOTIuMC4yLjUxPC9lbnRyeT4KICA8ZW50cnk+MTkyLjAuMi41MjwvZW50cnk+CjwvaXBzZXQ+Cg==' | base64 -d > '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
mv -f '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml'
if ! printf '%s' 'PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz4KPCEtLSBNYW5hZ2VkIGJ5IHZwcm92OiByZXBsYWNlZCBvbiBldmVyeSBhcHBseTsgcmVtb3ZlZCB3aGVuIG5vIGZsb3cgbmVlZHMgaXQuIC0tPgo8aXBzZXQgdHlwZT0iaGFzaDpuZXQiPgogIDxzaG9ydD52cHJvdiBtYW5hZ2VyX3Y0PC9zaG9ydD4KICA8ZGVzY3JpcHRpb24+U291cmNlcyBvZiByb2xlIG1hbmFnZXIgKGluZXQpLCBtYW5hZ2VkIGJ5IHZwcm92PC9kZXNjcmlwdGlvbj4KICA8b3B0aW9uIG5hbWU9ImZhbWlseSIgdmFsdWU9ImluZXQiLz4KICA8ZW50cnk+MTkyLjAuMi41MDwvZW50cnk+CjwvaXBzZXQ+Cg==' | base64 -d > '/etc/firewalld/ipsets/vprov-manager_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/firewalld/ipsets/vprov-manager_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
mv -f '/etc/firewalld/ipsets/vprov-manager_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/firewalld/ipsets/vprov-manager_v4.xml'
if ! printf '%s' 'PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz4KPCEtLSBNYW5hZ2VkIGJ5IHZwcm92OiByZXBsYWNlZCBvbiBldmVyeSBhcHBseTsgcmVtb3ZlZCB3aGVuIG5vIGZsb3cgbmVlZHMgaXQuIC0tPgo8aXBzZXQgdHlwZT0iaGFzaDpuZXQiPgogIDxzaG9ydD52cHJvdiBwb3J0YWxfY2xpZW50X3Y0PC9zaG9ydD4KICA8ZGVzY3JpcHRpb24+U291cmNlcyBvZiByb2xlIHBvcnRhbF9jbGllbnQgKGluZXQpLCBtYW5hZ2VkIGJ5IHZwcm92PC9kZXNjcmlwdGlvbj4KICA8b3B0aW9uIG5hbWU9ImZhbWlseSIgdmFsdWU9ImluZXQiLz4KICA8ZW50cnk+MTAuMjAuMC4wLzE2PC9lbnRyeT4KPC9pcHNldD4K' | base64 -d > '/etc/firewalld/ipsets/vprov-portal_client_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/firewalld/ipsets/vprov-portal_client_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
mv -f '/etc/firewalld/ipsets/vprov-portal_client_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/firewalld/ipsets/vprov-portal_client_v4.xml'
if ! printf '%s' 'PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz4KPCEtLSBNYW5hZ2VkIGJ5IHZwcm92OiBpbmJvdW5kIGFjY2VwdHMgZm9yIHRoZSBkb2N1bWVudGVkIGZsb3dzLCBmcm9tIGFueSB6b25lIHRvIHRoaXMgaG9zdC4KICAgICBab25lcyBhbmQgdGhlaXIgc2VydmljZXMgYXJlIG5ldmVyIHRvdWNoZWQuIC0tPgo8cG9saWN5IHRhcmdldD0iQ09OVElOVUUiIHByaW9yaXR5PSItMTAwIj4KICA8c2hvcnQ+dnByb3Y8L3Nob3J0PgogIDxkZXNjcmlwdGlvbj5Eb2N1bWVudGVkIGZsb3dzLCBtYW5hZ2VkIGJ5IHZwcm92PC9kZXNjcmlwdGlvbj4KICA8aW5ncmVzcy16b25lIG5hbWU9IkFOWSIvPgogIDxlZ3Jlc3Mtem9uZSBuYW1lPSJIT1NUIi8+CiAgPHJ1bGUgZmFtaWx5PSJpcHY0Ij4KICAgIDxzb3VyY2UgaXBzZXQ9InZwcm92LWt2bV9ob3N0X3Y0Ii8+CiAgICA8cG9ydCBwb3J0PSIxNjUxNCIgcHJvdG9jb2w9InRjcCIvPgogICAgPGFjY2VwdC8+CiAgPC9ydWxlPgogIDxydWxlIGZhbWlseT0iaXB2NCI+CiAgICA8c291cmNlIGlwc2V0PSJ2cHJvdi1rdm1faG9zdF92NCIvPgogICAgPHBvcnQgcG9ydD0iNDkxNTItNDkyMTYiIHByb3RvY29sPSJ0Y3AiLz4KICAgIDxhY2NlcHQvPgogIDwvcnVsZT4KICA8cnVsZSBmYW1pbHk9ImlwdjQiPgogICAgPHNvdXJjZSBpcHNldD0idnByb3Yta3ZtX2hvc3RfdjQiLz4KICAgIDxwb3J0IHBvcnQ9IjU0MzIxIiBwcm90b2NvbD0idGNwIi8+CiAgICA8YWNjZXB0Lz4KICA8L3J1bGU+CiAgPHJ1bGUgZmFtaWx5PSJpcHY0Ij4KICAgIDxzb3VyY2UgaXBzZXQ9InZwcm92LW1hbmFnZXJfdjQiLz4KICAgIDxwb3J0IHBvcnQ9IjIyIiBwcm90b2NvbD0idGNwIi8+CiAgICA8YWNjZXB0Lz4KICA8L3J1bGU+CiAgPHJ1bGUgZmFtaWx5PSJpcHY0Ij4KICAgIDxzb3VyY2UgaXBzZXQ9InZwcm92LW1hbmFnZXJfdjQiLz4KICAgIDxwb3J0IHBvcnQ9IjIyMjMiIHByb3RvY29sPSJ0Y3AiLz4KICAgIDxhY2NlcHQvPgogIDwvcnVsZT4KICA8cnVsZSBmYW1pbHk9ImlwdjQiPgogICAgPHNvdXJjZSBpcHNldD0idnByb3YtbWFuYWdlcl92NCIvPgogICAgPHBvcnQgcG9ydD0iNTQzMjEtNTQzMjIiIHByb3RvY29sPSJ0Y3AiLz4KICAgIDxhY2NlcHQvPgogIDwvcnVsZT4KICA8cnVsZSBmYW1pbHk9ImlwdjQiPgogICAgPHNvdXJjZSBpcHNldD0idnByb3YtcG9ydGFsX2NsaWVudF92NCIvPgogICAgPHBvcnQgcG9ydD0iNTkwMC02OTIzIiBwcm90b2NvbD0idGNwIi8+CiAgICA8YWNjZXB0Lz4KICA8L3J1bGU+CjwvcG9saWN5Pgo=' | base64 -d > '/etc/firewalld/policies/vprov-in.xml.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/firewalld/policies/vprov-in.xml.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
mv -f '/etc/firewalld/policies/vprov-in.xml.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/firewalld/policies/vprov-in.xml'
if ! out=$(firewall-offline-cmd --check-config 2>&1); then
  if [ -f '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml.vprov-old' ]; then mv -f '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml.vprov-old' '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml'; else rm -f '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml'; fi
  if [ -f '/etc/firewalld/ipsets/vprov-manager_v4.xml.vprov-old' ]; then mv -f '/etc/firewalld/ipsets/vprov-manager_v4.xml.vprov-old' '/etc/firewalld/ipsets/vprov-manager_v4.xml'; else rm -f '/etc/firewalld/ipsets/vprov-manager_v4.xml'; fi
  if [ -f '/etc/firewalld/ipsets/vprov-portal_client_v4.xml.vprov-old' ]; then mv -f '/etc/firewalld/ipsets/vprov-portal_client_v4.xml.vprov-old' '/etc/firewalld/ipsets/vprov-portal_client_v4.xml'; else rm -f '/etc/firewalld/ipsets/vprov-portal_client_v4.xml'; fi
  if [ -f '/etc/firewalld/policies/vprov-in.xml.vprov-old' ]; then mv -f '/etc/firewalld/policies/vprov-in.xml.vprov-old' '/etc/firewalld/policies/vprov-in.xml'; else rm -f '/etc/firewalld/policies/vprov-in.xml'; fi
  echo "firewalld refused the configuration, previous files restored: $out" >&2; exit 3
fi
rm -f '/etc/firewalld/ipsets/vprov-kvm_host_v4.xml.vprov-old' '/etc/firewalld/ipsets/vprov-manager_v4.xml.vprov-old' '/etc/firewalld/ipsets/vprov-portal_client_v4.xml.vprov-old' '/etc/firewalld/policies/vprov-in.xml.vprov-old'
vprov_firewalld_wait() {
  vprov_fwd_end=$(( $(date +%s) + 90 ))
  while :; do
    firewall-cmd --state >/dev/null 2>&1; vprov_fwd_rc=$?
    [ "$vprov_fwd_rc" = 0 ] && return 0
    # 126/127: firewall-cmd cannot run at all (its interpreter is gone): no wait helps, the caller's own error says why
    case $vprov_fwd_rc in 126|127) vprov_fwd_why=; return 1 ;; esac
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
      vprov_fwd_unit=$(systemctl is-active firewalld.service 2>/dev/null)
      case $vprov_fwd_unit in active|activating|reloading|deactivating) ;; *)
        vprov_fwd_why="firewalld.service is ${vprov_fwd_unit:-unknown}; last log lines: $(journalctl -u firewalld.service -n 5 --no-pager -o cat 2>/dev/null | tr '\n' ' ')"; return 1 ;;
      esac
    elif ! { { vprov_fwd_p=; for vprov_fwd_c in /proc/[0-9]*/comm; do IFS= read -r vprov_fwd_n < "$vprov_fwd_c" && [ "$vprov_fwd_n" = firewalld ] && { vprov_fwd_p=1; break; }; done 2>/dev/null; [ -n "$vprov_fwd_p" ]; } || pidof -x firewalld >/dev/null 2>&1; }; then
      vprov_fwd_why='no firewalld process is running'; return 1
    fi
    if [ "$(date +%s)" -ge "$vprov_fwd_end" ]; then
      vprov_fwd_why="firewalld runs${vprov_fwd_unit:+ (firewalld.service: $vprov_fwd_unit)} but did not answer on D-Bus within 90 s: $(firewall-cmd --state 2>&1 | tr '\n' ' ')"
      # Seen on Debian bookworm's policy: dbus-daemon denies firewalld's replies to an admin shell (a USER_AVC).
      [ "$(getenforce 2>/dev/null)" = Enforcing ] && vprov_fwd_why="$vprov_fwd_why (SELinux is enforcing: look for firewalld_t send_msg denials with ausearch -m USER_AVC; docs/resources.md)"
      return 1
    fi
    sleep 1
  done
}
if ! vprov_out=$(firewall-cmd --reload 2>&1); then
  if vprov_firewalld_wait; then firewall-cmd --reload >/dev/null; else echo "firewall-cmd --reload failed: $vprov_out${vprov_fwd_why:+; $vprov_fwd_why}" >&2; exit 3; fi
fi
rm -f /etc/vprov/vprov.nft /etc/systemd/system/vprov-nftables.service /etc/systemd/system/nftables.service.d/50-vprov.conf
) 2>&1
rc_firewall=$?
echo "rc=$rc_firewall"
echo '@@vprov:record@@'
vprov_w=''
if [ "$rc_firewall" = 0 ]; then vprov_add='{"kind":"firewall-firewalld","name":"vprov-*"}'; else vprov_add=''; fi
[ -z "$vprov_add" ] || vprov_w="${vprov_w:+$vprov_w,}$vprov_add"
( umask 077; { [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; } && printf '%s%s%s\n' '{"version":1,"site":"olvm","controller":"ops@controller","updated":"2026-01-01T00:00:00.000Z","runId":"abc123","written":[' "$vprov_w" ']}' > '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && chmod 600 '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/vprov/host.json' ) 2>/dev/null
vprov_record_rc=$?; [ "$vprov_record_rc" = 0 ] || rm -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new'; echo "record_rc=$vprov_record_rc"
{ { [ -d '/var/lib/vprov' ] || mkdir -p '/var/lib/vprov'; } && printf '{"runId":"abc123","time":"(now)","controller":"controller","user":"ops","pid":4242,"vprovVersion":"0.0.0","host":"kvm3","site":"olvm","changes":{"firewall":["+ ipset vprov-kvm_host_v4 hash:net inet { 192.0.2.51, 192.0.2.52 }","+ ipset vprov-manager_v4 hash:net inet { 192.0.2.50 }","+ ipset vprov-portal_client_v4 hash:net inet { 10.20.0.0/16 }","+ policy vprov-in target=CONTINUE priority=-100 ingress=ANY egress=HOST","+ policy vprov-in: rule family=\\"ipv4\\" source ipset=\\"vprov-kvm_host_v4\\" port port=\\"16514\\" protocol=\\"tcp\\" accept","+ policy vprov-in: rule family=\\"ipv4\\" source ipset=\\"vprov-kvm_host_v4\\" port port=\\"49152-49216\\" protocol=\\"tcp\\" accept","+ policy vprov-in: rule family=\\"ipv4\\" source ipset=\\"vprov-kvm_host_v4\\" port port=\\"54321\\" protocol=\\"tcp\\" accept","+ policy vprov-in: rule family=\\"ipv4\\" source ipset=\\"vprov-manager_v4\\" port port=\\"22\\" protocol=\\"tcp\\" accept","+ policy vprov-in: rule family=\\"ipv4\\" source ipset=\\"vprov-manager_v4\\" port port=\\"2223\\" protocol=\\"tcp\\" accept","+ policy vprov-in: rule family=\\"ipv4\\" source ipset=\\"vprov-manager_v4\\" port port=\\"54321-54322\\" protocol=\\"tcp\\" accept","+ policy vprov-in: rule family=\\"ipv4\\" source ipset=\\"vprov-portal_client_v4\\" port port=\\"5900-6923\\" protocol=\\"tcp\\" accept","+ /etc/firewalld/ipsets/vprov-kvm_host_v4.xml","+ /etc/firewalld/ipsets/vprov-manager_v4.xml","+ /etc/firewalld/ipsets/vprov-portal_client_v4.xml","+ /etc/firewalld/policies/vprov-in.xml","- /etc/vprov/vprov.nft"]},"results":{"firewall":%d}}\n' "$rc_firewall" > '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' /var/lib/vprov/last-apply.json; } 2>/dev/null || rm -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new'
case "$rc_firewall" in *[1-9]*) find /etc /var/lib/vprov -maxdepth 3 -name "*.$VPROV_RUN.vprov-new" -exec rm -f {} + 2>/dev/null ;; esac
echo '@@vprov:end@@'
echo '@@vprov:verify@@'
( {
vprov_facts_out=$( {
echo '@@vprov:host@@'
if [ -d /run/systemd/system ]; then echo systemd=yes; else echo systemd=no; fi
if [ -f '/etc/vprov/host.json' ]; then printf record=; { base64 -w0 < '/etc/vprov/host.json' || printf '%s' '!unreadable'; }; echo; else echo record=absent; fi
if [ -f /var/lib/vprov/last-apply.json ]; then echo applied_before=yes; fi
echo '@@vprov:firewall@@'
{
VPROV_FIREWALLD=1; vprov_fwd_unit=; vprov_fwd_inst=
if { command -v firewall-cmd || command -v firewalld; } >/dev/null 2>&1; then vprov_fwd_inst=1; fi
if { vprov_fwd_p=; for vprov_fwd_c in /proc/[0-9]*/comm; do IFS= read -r vprov_fwd_n < "$vprov_fwd_c" && [ "$vprov_fwd_n" = firewalld ] && { vprov_fwd_p=1; break; }; done 2>/dev/null; [ -n "$vprov_fwd_p" ]; } || { [ -n "$vprov_fwd_inst" ] && pidof -x firewalld >/dev/null 2>&1; }; then echo firewalld=running
else
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then vprov_fwd_unit=$(systemctl is-active firewalld.service 2>/dev/null); fi
  case $vprov_fwd_unit in
    active|activating|reloading|deactivating) echo firewalld=running ;;
    *) VPROV_FIREWALLD=; echo firewalld=no
      if [ -z "$vprov_fwd_inst" ]; then echo 'firewalld_state=not installed'
      elif [ -z "$vprov_fwd_unit" ]; then echo 'firewalld_state=no firewalld process'
      else echo "firewalld_state=firewalld.service: $vprov_fwd_unit"; if [ "$vprov_fwd_unit" = failed ]; then echo "firewalld_log=$(journalctl -u firewalld.service -n 5 --no-pager -o cat 2>/dev/null | base64 -w0)"; fi; fi ;;
  esac
fi
if command -v nft >/dev/null 2>&1; then echo nft=yes
  if out=$(nft -s -j list ruleset 2>&1); then echo "ruleset=$(printf '%s' "$out" | base64 -w0)"; else echo "ruleset_error=$(printf '%s' "$out" | base64 -w0)"; fi
else echo nft=no; fi
if [ -f '/etc/vprov/vprov.nft' ]; then printf persisted=; { base64 -w0 < '/etc/vprov/vprov.nft' || printf '%s' '!unreadable'; }; echo; else echo persisted=absent; fi
if [ -f '/etc/systemd/system/vprov-nftables.service' ]; then printf unit=; { base64 -w0 < '/etc/systemd/system/vprov-nftables.service' || printf '%s' '!unreadable'; }; echo; else echo unit=absent; fi
if [ -f '/etc/systemd/system/nftables.service.d/50-vprov.conf' ]; then printf dropin=; { base64 -w0 < '/etc/systemd/system/nftables.service.d/50-vprov.conf' || printf '%s' '!unreadable'; }; echo; else echo dropin=absent; fi
for f in /etc/firewalld/ipsets/vprov-*.xml /etc/firewalld/policies/vprov-*.xml; do [ -f "$f" ] && echo "file:$f=$({ base64 -w0 < "$f" || printf '%s' '!unreadable'; })"; done
if [ -n "$VPROV_FIREWALLD" ]; then
vprov_firewalld_wait() {
  vprov_fwd_end=$(( $(date +%s) + 90 ))
  while :; do
    firewall-cmd --state >/dev/null 2>&1; vprov_fwd_rc=$?
    [ "$vprov_fwd_rc" = 0 ] && return 0
    # 126/127: firewall-cmd cannot run at all (its interpreter is gone): no wait helps, the caller's own error says why
    case $vprov_fwd_rc in 126|127) vprov_fwd_why=; return 1 ;; esac
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
      vprov_fwd_unit=$(systemctl is-active firewalld.service 2>/dev/null)
      case $vprov_fwd_unit in active|activating|reloading|deactivating) ;; *)
        vprov_fwd_why="firewalld.service is ${vprov_fwd_unit:-unknown}; last log lines: $(journalctl -u firewalld.service -n 5 --no-pager -o cat 2>/dev/null | tr '\n' ' ')"; return 1 ;;
      esac
    elif ! { { vprov_fwd_p=; for vprov_fwd_c in /proc/[0-9]*/comm; do IFS= read -r vprov_fwd_n < "$vprov_fwd_c" && [ "$vprov_fwd_n" = firewalld ] && { vprov_fwd_p=1; break; }; done 2>/dev/null; [ -n "$vprov_fwd_p" ]; } || pidof -x firewalld >/dev/null 2>&1; }; then
      vprov_fwd_why='no firewalld process is running'; return 1
    fi
    if [ "$(date +%s)" -ge "$vprov_fwd_end" ]; then
      vprov_fwd_why="firewalld runs${vprov_fwd_unit:+ (firewalld.service: $vprov_fwd_unit)} but did not answer on D-Bus within 90 s: $(firewall-cmd --state 2>&1 | tr '\n' ' ')"
      # Seen on Debian bookworm's policy: dbus-daemon denies firewalld's replies to an admin shell (a USER_AVC).
      [ "$(getenforce 2>/dev/null)" = Enforcing ] && vprov_fwd_why="$vprov_fwd_why (SELinux is enforcing: look for firewalld_t send_msg denials with ausearch -m USER_AVC; docs/resources.md)"
      return 1
    fi
    sleep 1
  done
}
vprov_untrusted() {
  case $1 in /*) ;; *) echo "$1 is not an absolute path"; return ;; esac
  vprov_tr_real=$(readlink -f -- "$1") || { echo "$1 cannot be resolved"; return; }
  vprov_tr_list=
  for vprov_tr_p in "$1" "$vprov_tr_real"; do
    while :; do
      if [ -e "$vprov_tr_p" ] || [ -L "$vprov_tr_p" ]; then vprov_tr_list="$vprov_tr_list $vprov_tr_p"; fi
      [ "$vprov_tr_p" = / ] && break
      vprov_tr_p=${vprov_tr_p%/*}; [ -n "$vprov_tr_p" ] || vprov_tr_p=/
    done
  done
  stat -c '%u %f %n' -- $vprov_tr_list 2>&1 | while read -r vprov_tr_u vprov_tr_f vprov_tr_n; do
    case $vprov_tr_f in *[!0-9a-f]*|'') echo "$vprov_tr_u $vprov_tr_f $vprov_tr_n"; break ;; esac
    vprov_tr_m=$(( 0x$vprov_tr_f ))
    if [ "$vprov_tr_u" != 0 ] || { [ $(( vprov_tr_m & 61440 )) != 40960 ] && [ $(( vprov_tr_m & 18 )) != 0 ]; }; then
      echo "$vprov_tr_n (owner uid $vprov_tr_u, mode $(printf '%o' $(( vprov_tr_m & 4095 ))))"; break
    fi
  done
}
vprov_fwd_cmd=$(command -v firewall-cmd || echo /usr/bin/firewall-cmd)
py=$(sed -n '1{s/^#![[:space:]]*//;s/[[:space:]][[:space:]]*/ /g;p;}' "$vprov_fwd_cmd" 2>/dev/null); py=${py%% *}
case $py in */env) py=$(sed -n '1{s/^#![[:space:]]*//;s/[[:space:]][[:space:]]*/ /g;p;}' "$vprov_fwd_cmd" | cut -d' ' -f2); py=$(command -v "$py") ;; '') py=$(command -v python3) ;; esac
vprov_fwd_code='aW1wb3J0IHN5czsgc3lzLnBhdGhbOl0gPSBbcCBmb3IgcCBpbiBzeXMucGF0aCBpZiBwIG5vdCBpbiAoIiIsICIuIildCmltcG9ydCBqc29uLCBkYnVzCmZyb20gZmlyZXdhbGwuY29uZmlnIGltcG9ydCBWRVJTSU9OCkIgPSAib3JnLmZlZG9yYXByb2plY3QuRmlyZXdhbGxEMSIKdHJ5OgogICAgbyA9IGRidXMuU3lzdGVtQnVzKCkuZ2V0X29iamVjdChCLCAiL29yZy9mZWRvcmFwcm9qZWN0L0ZpcmV3YWxsRDEiLCBpbnRyb3NwZWN0PUZhbHNlKQogICAgcHJvcCA9IGxhbWJkYSBuYW1lOiBvLkdldChCLCBuYW1lLCBkYnVzX2ludGVyZmFjZT0ib3JnLmZyZWVkZXNrdG9wLkRCdXMuUHJvcGVydGllcyIpCiAgICBzdGF0ZSA9IHN0cihwcm9wKCJzdGF0ZSIpKQpleGNlcHQgZGJ1cy5leGNlcHRpb25zLkRCdXNFeGNlcHRpb24gYXMgZToKICAgIHJhaXNlIFN5c3RlbUV4aXQoImZpcmV3YWxsZCBkb2VzIG5vdCBhbnN3ZXIgb24gRC1CdXMgKCVzOiAlcykiICUgKGUuZ2V0X2RidXNfbmFtZSgpLCBlLmdldF9kYnVzX21lc3NhZ2UoKSkpCmlmIHN0YXRlICE9ICJSVU5OSU5HIjoKICAgIHJhaXNlIFN5c3RlbUV4aXQoImZpcmV3YWxsZCBhbnN3ZXJzIGJ1dCBpcyBub3QgcnVubmluZyB5ZXQgKHN0YXRlICVzKSIgJSBzdGF0ZSkKdmVyc2lvbiA9IFZFUlNJT04Kc3RycyA9IGxhbWJkYSB4czogW3N0cih4KSBmb3IgeCBpbiB4c10Kb3V0ID0geyJ2ZXJzaW9uIjogdmVyc2lvbiwgImlwc2V0cyI6IHt9LCAicG9saWNpZXMiOiB7fX0KaXBzZXQgPSBkYnVzLkludGVyZmFjZShvLCBCICsgIi5pcHNldCIpCmZvciBuIGluIGlwc2V0LmdldElQU2V0cygpOgogICAgaWYgbi5zdGFydHN3aXRoKCJ2cHJvdi0iKToKICAgICAgICBzID0gaXBzZXQuZ2V0SVBTZXRTZXR0aW5ncyhuKQogICAgICAgIG91dFsiaXBzZXRzIl1bc3RyKG4pXSA9IHsidHlwZSI6IHN0cihzWzNdKSwgImZhbWlseSI6IHN0cihzWzRdLmdldCgiZmFtaWx5IiwgImluZXQiKSksICJlbnRyaWVzIjogc3RycyhzWzVdKX0KIyBwb2xpY2llcyBleGlzdCBmcm9tIDAuOS4wIChvbGRlciBvbmVzIGFyZSByZWZ1c2VkIGJ5IHZlcnNpb24pOyBhbnkgZXJyb3IgcmVhZGluZyB0aGVtIGlzIG9uZQppZiBbaW50KHgpIGlmIHguaXNkaWdpdCgpIGVsc2UgMCBmb3IgeCBpbiB2ZXJzaW9uLnNwbGl0KCIuIilbOjJdXSA+PSBbMCwgOV06CiAgICBwb2xpY3kgPSBkYnVzLkludGVyZmFjZShvLCBCICsgIi5wb2xpY3kiKQogICAgZm9yIHAgaW4gcG9saWN5LmdldFBvbGljaWVzKCk6CiAgICAgICAgaWYgcC5zdGFydHN3aXRoKCJ2cHJvdi0iKToKICAgICAgICAgICAgcyA9IHBvbGljeS5nZXRQb2xpY3lTZXR0aW5ncyhwKQogICAgICAgICAgICBvdXRbInBvbGljaWVzIl1bc3RyKHApXSA9IHsidGFyZ2V0Ijogc3RyKHMuZ2V0KCJ0YXJnZXQiLCAiQ09OVElOVUUiKSksICJwcmlvcml0eSI6IGludChzLmdldCgicHJpb3JpdHkiLCAtMSkpLCAiaW5ncmVzcyI6IHN0cnMocy5nZXQoImluZ3Jlc3Nfem9uZXMiLCBbXSkpLCAiZWdyZXNzIjogc3RycyhzLmdldCgiZWdyZXNzX3pvbmVzIiwgW10pKSwgInJ1bGVzIjogc3RycyhzLmdldCgicmljaF9ydWxlcyIsIFtdKSl9CiMgV2hhdCB0aGUgYWN0aXZlIHpvbmVzIChhbmQgdGhlIGRlZmF1bHQgem9uZSkgb3BlbiBiZXNpZGVzIHZwcm92J3MgcG9saWN5OiByZXBvcnRlZCwgbmV2ZXIgZWRpdGVkLgojIEEgem9uZSB0aGF0IGNhbm5vdCBiZSByZWFkIHNheXMgc287IGl0IG5ldmVyIGZhaWxzIHRoZSBwcm9iZSBvZiB2cHJvdidzIG93biBvYmplY3RzLgp0cnk6CiAgICB6b25lID0gZGJ1cy5JbnRlcmZhY2UobywgQiArICIuem9uZSIpCiAgICBuYW1lcyA9IHNldChzdHIoeikgZm9yIHogaW4gem9uZS5nZXRBY3RpdmVab25lcygpLmtleXMoKSkKICAgIG5hbWVzLmFkZChzdHIoZGJ1cy5JbnRlcmZhY2UobywgQikuZ2V0RGVmYXVsdFpvbmUoKSkpCiAgICBvdXRbInpvbmVzIl0gPSB7fQogICAgZm9yIHogaW4gc29ydGVkKG5hbWVzKToKICAgICAgICBzID0gem9uZS5nZXRab25lU2V0dGluZ3MyKHopCiAgICAgICAgb3V0WyJ6b25lcyJdW3pdID0geyJ0YXJnZXQiOiBzdHIocy5nZXQoInRhcmdldCIsICJkZWZhdWx0IikpLCAic2VydmljZXMiOiBzdHJzKHMuZ2V0KCJzZXJ2aWNlcyIsIFtdKSksICJwb3J0cyI6IFsiJXMvJXMiICUgKHN0cihwKSwgc3RyKHEpKSBmb3IgcCwgcSBpbiBzLmdldCgicG9ydHMiLCBbXSldLCAicmljaF9ydWxlcyI6IHN0cnMocy5nZXQoInJpY2hfcnVsZXMiLCBbXSkpLCAic291cmNlcyI6IHN0cnMocy5nZXQoInNvdXJjZXMiLCBbXSkpfQpleGNlcHQgZGJ1cy5leGNlcHRpb25zLkRCdXNFeGNlcHRpb24gYXMgZToKICAgIG91dFsiem9uZXNfZXJyb3IiXSA9ICIlczogJXMiICUgKGUuZ2V0X2RidXNfbmFtZSgpLCBlLmdldF9kYnVzX21lc3NhZ2UoKSkKcHJpbnQoanNvbi5kdW1wcyhvdXQpKQo='
vprov_fwd_probe() {
  out=$(printf '%s' "$vprov_fwd_code" | base64 -d | "$py" -I - 2>&1) && return 0
  case $out in *'nknown option'*-I*|*'nknown option: -I'*) out=$(printf '%s' "$vprov_fwd_code" | base64 -d | "$py" -E -s - 2>&1) ;; *) return 1 ;; esac
}
vprov_fwd_why=
vprov_fwd_bad=$(vprov_untrusted "$vprov_fwd_cmd"); [ -n "$vprov_fwd_bad" ] || vprov_fwd_bad=$(vprov_untrusted "$py")
if [ -n "$vprov_fwd_bad" ]; then echo "runtime_error=$(printf '%s' "firewall-cmd's interpreter $py (from $vprov_fwd_cmd) is not run as root: $vprov_fwd_bad; only root may be able to change it, firewall-cmd and every directory above them" | base64 -w0)"
elif vprov_fwd_probe || { vprov_firewalld_wait && vprov_fwd_probe; }; then echo "runtime=$(printf '%s' "$out" | base64 -w0)"
elif [ -n "$vprov_fwd_why" ]; then echo "runtime_error=$(printf '%s' "$vprov_fwd_why" | base64 -w0)"
else echo "runtime_error=$(printf '%s' "interpreter $py: $out" | base64 -w0)"; fi
fi
} 2>/dev/null
echo '@@vprov:end@@'
} 2>/dev/null )
printf '%s\n' "$vprov_facts_out"
echo '@@vprov:sum@@'
printf '%s' "$vprov_facts_out" | sha256sum

} ) 2>/dev/null
: > /run/vprov/lock.owner; trap - EXIT
} 9>>/run/vprov/lock
