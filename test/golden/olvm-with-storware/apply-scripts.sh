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
} 2>/dev/null
echo '@@vprov:account@@'
{
if getent passwd 'vprotect' >/dev/null; then echo exists=yes; else echo exists=no; fi
} 2>/dev/null
echo '@@vprov:sudoers@@'
{
if [ -f '/etc/sudoers.d/vprotect' ]; then printf content=; { base64 -w0 < '/etc/sudoers.d/vprotect' || printf '%s' '!unreadable'; }; echo; else echo content=absent; fi
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
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiB0aGlzIHRhYmxlIGlzIHJlcGxhY2VkIGFzIGEgd2hvbGUsIGF0b21pY2FsbHksIG9uIGV2ZXJ5IGFwcGx5LgojIE9ubHkgdGFibGUgaW5ldCB2cHJvdiBpcyB2cHJvdidzOyBvdGhlciB0YWJsZXMgYXJlIG5ldmVyIGVkaXRlZC4KdGFibGUgaW5ldCB2cHJvdgpkZWxldGUgdGFibGUgaW5ldCB2cHJvdgp0YWJsZSBpbmV0IHZwcm92IHsKCXNldCBtb25pdG9yaW5nX3Y0IHsKCQl0eXBlIGlwdjRfYWRkcgoJCWZsYWdzIGludGVydmFsCgkJZWxlbWVudHMgPSB7IDEwLjkuMC4wLzI0IH0KCX0KCXNldCBvbHZtX2NvbnNvbGVfY2xpZW50X3Y0IHsKCQl0eXBlIGlwdjRfYWRkcgoJCWZsYWdzIGludGVydmFsCgkJZWxlbWVudHMgPSB7IDEwLjIwLjAuMC8xNiB9Cgl9CglzZXQgb2x2bV9rdm1faG9zdF92NCB7CgkJdHlwZSBpcHY0X2FkZHIKCQlmbGFncyBpbnRlcnZhbAoJCWVsZW1lbnRzID0geyAxOTIuMC4yLjUxLCAxOTIuMC4yLjUyIH0KCX0KCXNldCBvbHZtX3BvcnRhbF9jbGllbnRfdjQgewoJCXR5cGUgaXB2NF9hZGRyCgkJZmxhZ3MgaW50ZXJ2YWwKCQllbGVtZW50cyA9IHsgMTAuMjAuMC4wLzE2IH0KCX0KCXNldCBvbHZtX3Jlc3RfY2xpZW50X3Y0IHsKCQl0eXBlIGlwdjRfYWRkcgoJCWZsYWdzIGludGVydmFsCgkJZWxlbWVudHMgPSB7IDEwLjMwLjAuMC8yNCB9Cgl9CglzZXQgc3RvcndhcmVfbm9kZV92NCB7CgkJdHlwZSBpcHY0X2FkZHIKCQlmbGFncyBpbnRlcnZhbAoJCWVsZW1lbnRzID0geyAxOTIuMC4yLjYwIH0KCX0KCXNldCB2cHJvdl9zc2hfdjQgewoJCXR5cGUgaXB2NF9hZGRyCgkJZmxhZ3MgaW50ZXJ2YWwKCQllbGVtZW50cyA9IHsgMTAuOTkuMC4wLzI0IH0KCX0KCXNldCB2cHJvdl9zc2hfbGl2ZV92NCB7CgkJdHlwZSBpcHY0X2FkZHIKCQlmbGFncyBpbnRlcnZhbAoJCWVsZW1lbnRzID0geyAxOTIuMC4yLjIwMCB9Cgl9CgljaGFpbiBpbnB1dCB7CgkJdHlwZSBmaWx0ZXIgaG9vayBpbnB1dCBwcmlvcml0eSBmaWx0ZXI7IHBvbGljeSBkcm9wOwoJCWlpZiAibG8iIGFjY2VwdAoJCWN0IHN0YXRlIGVzdGFibGlzaGVkLHJlbGF0ZWQgYWNjZXB0CgkJaWNtcHY2IHR5cGUgeyBuZC1uZWlnaGJvci1hZHZlcnQsIG5kLW5laWdoYm9yLXNvbGljaXQsIG5kLXJvdXRlci1hZHZlcnQgfSBhY2NlcHQKCQlpcCBzYWRkciBAdnByb3Zfc3NoX3Y0IHRjcCBkcG9ydCAyMiBhY2NlcHQgY29tbWVudCAidnByb3Y6IHNzaCBmb3IgY29udHJvbGxlcnMgYW5kIGFkbWlucyIKCQlpcCBzYWRkciBAdnByb3Zfc3NoX2xpdmVfdjQgdGNwIGRwb3J0IDIyIGFjY2VwdCBjb21tZW50ICJ2cHJvdjogc3NoIGZvciBhIGNvbnRyb2xsZXIgbm90IGluIHRoZSBpbnZlbnRvcnkiCgkJaXAgc2FkZHIgQG1vbml0b3JpbmdfdjQgdGNwIGRwb3J0IDkxMDAgYWNjZXB0IGNvbW1lbnQgInNpdGUvb2x2bS13aXRoLXN0b3J3YXJlLzI5LzEiCgkJaXAgc2FkZHIgQG9sdm1fY29uc29sZV9jbGllbnRfdjQgdGNwIGRwb3J0IDIyMjIgYWNjZXB0IGNvbW1lbnQgIm9sdm0vb2x2bS9lbmdpbmUtaG9zdC1maXJld2FsbC1yZXF1aXJlbWVudHMvNiIKCQlpcCBzYWRkciBAb2x2bV9rdm1faG9zdF92NCBtZXRhIGw0cHJvdG8gaWNtcCBhY2NlcHQgY29tbWVudCAib2x2bS9vbHZtL2VuZ2luZS1ob3N0LWZpcmV3YWxsLXJlcXVpcmVtZW50cy8xIgoJCWlwIHNhZGRyIEBvbHZtX2t2bV9ob3N0X3Y0IHRjcCBkcG9ydCB7IDgwLCA0NDMgfSBhY2NlcHQgY29tbWVudCAib2x2bS9vbHZtL2VuZ2luZS1ob3N0LWZpcmV3YWxsLXJlcXVpcmVtZW50cy80IgoJCWlwIHNhZGRyIEBvbHZtX3BvcnRhbF9jbGllbnRfdjQgdGNwIGRwb3J0IHsgODAsIDQ0MywgNTQzMjMgfSBhY2NlcHQgY29tbWVudCAib2x2bS9vbHZtL2VuZ2luZS1ob3N0LWZpcmV3YWxsLXJlcXVpcmVtZW50cy8xNSArMSIKCQlpcCBzYWRkciBAb2x2bV9yZXN0X2NsaWVudF92NCB0Y3AgZHBvcnQgeyA4MCwgNDQzIH0gYWNjZXB0IGNvbW1lbnQgIm9sdm0vb2x2bS9lbmdpbmUtaG9zdC1maXJld2FsbC1yZXF1aXJlbWVudHMvNSIKCQlpcCBzYWRkciBAc3RvcndhcmVfbm9kZV92NCB0Y3AgZHBvcnQgeyA0NDMsIDU0MzIzIH0gYWNjZXB0IGNvbW1lbnQgInN0b3J3YXJlL292aXJ0L2Rpc2staW1hZ2UtdHJhbnNmZXIvMSArMSIKCX0KfQo=' | base64 -d > '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
if ! out=$(nft -c -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new' 2>&1); then rm -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; echo "nft rejected the rendered table: $out" >&2; exit 3; fi
mkdir -p /run/vprov
rm -f /run/vprov/pending.nft /run/vprov/pending.service /run/vprov/pending-dropin.conf
vprov_superseded=
for f in /run/vprov/rollback.armed /run/vprov/rollback.armed.*; do case $f in *.fired|*.confirmed) continue ;; esac; if mv "$f" "$f.superseded" 2>/dev/null; then rm -f "$f.superseded"; vprov_superseded=1; fi; done
[ -n "$vprov_superseded" ] && [ -e /run/vprov/rollback.nft ] || { echo 'table inet vprov'; echo 'delete table inet vprov'; nft list table inet vprov 2>/dev/null || true; } > /run/vprov/rollback.nft
touch /run/vprov/rollback.armed."${VPROV_RUN:-0}"
setsid sh -c 'sleep 60; if mv "$1" "$1.fired" 2>/dev/null; then nft -f /run/vprov/rollback.nft; rm -f "$1.fired" /run/vprov/rollback.nft /run/vprov/pending.nft /run/vprov/pending.service /run/vprov/pending-dropin.conf; fi' vprov-rollback /run/vprov/rollback.armed."${VPROV_RUN:-0}" </dev/null >/dev/null 2>&1 9>&- &
nft -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'
mv -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new' /run/vprov/pending.nft
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiBsb2FkcyB0YWJsZSBpbmV0IHZwcm92IGF0IGJvb3QsIGFmdGVyIG5mdGFibGVzLnNlcnZpY2UgKHdob3NlCiMgL2V0Yy9uZnRhYmxlcy5jb25mIHN0YXJ0cyB3aXRoICJmbHVzaCBydWxlc2V0Iikgc28gdGhhdCBmbHVzaCBjYW5ub3QgZHJvcCBpdC4KIyBFdmVyeSBzdGFydCwgcmVzdGFydCBvciByZWxvYWQgb2YgbmZ0YWJsZXMuc2VydmljZSBmbHVzaGVzIHRoZSB3aG9sZSBydWxlc2V0OiBQYXJ0T2YKIyByZXN0YXJ0cyAoYW5kIHN0b3BzKSB0aGlzIHVuaXQgd2l0aCBpdCwgUmVsb2FkUHJvcGFnYXRlZEZyb20gcmVsb2FkcyBpdCwgYW5kCiMgV2FudGVkQnk9bmZ0YWJsZXMuc2VydmljZSBzdGFydHMgaXQgYWdhaW4gYWZ0ZXIgYSBzdG9wL3N0YXJ0LiBBIHN0YXJ0IG9mIG5mdGFibGVzLnNlcnZpY2UKIyB3aGlsZSBpdCB3YXMgaW5hY3RpdmUgKGFuZCB0aGlzIHVuaXQgYWN0aXZlKSBpcyBjb3ZlcmVkIGJ5IHZwcm92J3MgZHJvcC1pbiwKIyBuZnRhYmxlcy5zZXJ2aWNlLmQvNTAtdnByb3YuY29uZiwgd2hpY2ggcmVsb2FkcyB0aGlzIHVuaXQuCltVbml0XQpEZXNjcmlwdGlvbj12cHJvdiBmaXJld2FsbCB0YWJsZSAodGFibGUgaW5ldCB2cHJvdikKV2FudHM9bmV0d29yay1wcmUudGFyZ2V0CkJlZm9yZT1uZXR3b3JrLXByZS50YXJnZXQKQWZ0ZXI9bmZ0YWJsZXMuc2VydmljZQpQYXJ0T2Y9bmZ0YWJsZXMuc2VydmljZQpSZWxvYWRQcm9wYWdhdGVkRnJvbT1uZnRhYmxlcy5zZXJ2aWNlCgpbU2VydmljZV0KVHlwZT1vbmVzaG90ClJlbWFpbkFmdGVyRXhpdD15ZXMKRXhlY1N0YXJ0PS91c3Ivc2Jpbi9uZnQgLWYgL2V0Yy92cHJvdi92cHJvdi5uZnQKRXhlY1JlbG9hZD0vdXNyL3NiaW4vbmZ0IC1mIC9ldGMvdnByb3YvdnByb3YubmZ0CiMgIi0iOiB0aGUgdGFibGUgbWF5IGFscmVhZHkgYmUgZ29uZSAobmZ0YWJsZXMuc2VydmljZSBmbHVzaGVkIHRoZSBydWxlc2V0IGZpcnN0KS4KRXhlY1N0b3A9LS91c3Ivc2Jpbi9uZnQgZGVsZXRlIHRhYmxlIGluZXQgdnByb3YKCltJbnN0YWxsXQpXYW50ZWRCeT1tdWx0aS11c2VyLnRhcmdldCBuZnRhYmxlcy5zZXJ2aWNlCg==' | base64 -d > '/run/vprov/pending.service'; then rm -f '/run/vprov/pending.service'; exit 3; fi
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92IChyZW1vdmVkIHdpdGggdnByb3YtbmZ0YWJsZXMuc2VydmljZSkuIG5mdGFibGVzLnNlcnZpY2UncyBjb25maWcgc3RhcnRzIHdpdGgKIyAiZmx1c2ggcnVsZXNldCIuIFBhcnRPZj0gaW4gdnByb3YtbmZ0YWJsZXMuc2VydmljZSBjb3ZlcnMgYSByZXN0YXJ0IG9yIHN0b3Agb2YKIyBuZnRhYmxlcy5zZXJ2aWNlLCBidXQgbm90IGEgc3RhcnQgd2hpbGUgaXQgd2FzIGluYWN0aXZlIGFuZCB2cHJvdidzIHVuaXQgYWN0aXZlOiB0aGlzIHB1dHMKIyB0YWJsZSBpbmV0IHZwcm92IGJhY2sgdGhlbiAoYSByZWxvYWQgb2YgdnByb3YncyB1bml0LCBvbmx5IHdoZW4gdGhhdCB1bml0IGlzIGFjdGl2ZSkuCltTZXJ2aWNlXQpFeGVjU3RhcnRQb3N0PS0vdXNyL2Jpbi9zeXN0ZW1jdGwgLS1uby1ibG9jayB0cnktcmVsb2FkLW9yLXJlc3RhcnQgdnByb3YtbmZ0YWJsZXMuc2VydmljZQo=' | base64 -d > '/run/vprov/pending-dropin.conf'; then rm -f '/run/vprov/pending-dropin.conf'; exit 3; fi
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
( umask 077; { [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; } && printf '%s%s%s\n' '{"version":1,"site":"olvm-with-storware","controller":"ops@controller","updated":"2026-01-01T00:00:00.000Z","runId":"abc123","written":[' "$vprov_w" ']}' > '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && chmod 600 '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/vprov/host.json' ) 2>/dev/null
vprov_record_rc=$?; [ "$vprov_record_rc" = 0 ] || rm -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new'; echo "record_rc=$vprov_record_rc"
{ { [ -d '/var/lib/vprov' ] || mkdir -p '/var/lib/vprov'; } && printf '{"runId":"abc123","time":"(now)","controller":"controller","user":"ops","pid":4242,"vprovVersion":"0.0.0","host":"engine","site":"olvm-with-storware","changes":{"firewall":["+ table inet vprov","+ chain input hook input prio 0 policy drop","+ rule input: ct.state == established,related accept","+ rule input: icmpv6.type == nd-neighbor-advert,nd-neighbor-solicit,nd-router-advert accept","+ rule input: ip.saddr == @monitoring_v4 && tcp.dport == 9100 accept # site/olvm-with-storware/29/1","+ rule input: ip.saddr == @olvm_console_client_v4 && tcp.dport == 2222 accept # olvm/olvm/engine-host-firewall-requirements/6","+ rule input: ip.saddr == @olvm_kvm_host_v4 && meta.l4proto == icmp accept # olvm/olvm/engine-host-firewall-requirements/1","+ rule input: ip.saddr == @olvm_kvm_host_v4 && tcp.dport == 80,443 accept # olvm/olvm/engine-host-firewall-requirements/4","+ rule input: ip.saddr == @olvm_portal_client_v4 && tcp.dport == 80,443,54323 accept # olvm/olvm/engine-host-firewall-requirements/15 +1","+ rule input: ip.saddr == @olvm_rest_client_v4 && tcp.dport == 80,443 accept # olvm/olvm/engine-host-firewall-requirements/5","+ rule input: ip.saddr == @storware_node_v4 && tcp.dport == 443,54323 accept # storware/ovirt/disk-image-transfer/1 +1","+ rule input: ip.saddr == @vprov_ssh_live_v4 && tcp.dport == 22 accept # vprov: ssh for a controller not in the inventory","+ rule input: ip.saddr == @vprov_ssh_v4 && tcp.dport == 22 accept # vprov: ssh for controllers and admins","+ rule input: meta.iif == lo accept","+ set monitoring_v4 ipv4_addr flags interval { 10.9.0.0/24 }","+ set olvm_console_client_v4 ipv4_addr flags interval { 10.20.0.0/16 }","+ set olvm_kvm_host_v4 ipv4_addr flags interval { 192.0.2.51-192.0.2.52 }","+ set olvm_portal_client_v4 ipv4_addr flags interval { 10.20.0.0/16 }","+ set olvm_rest_client_v4 ipv4_addr flags interval { 10.30.0.0/24 }","+ set storware_node_v4 ipv4_addr flags interval { 192.0.2.60 }","+ set vprov_ssh_live_v4 ipv4_addr flags interval { 192.0.2.200 }","+ set vprov_ssh_v4 ipv4_addr flags interval { 10.99.0.0/24 }","+ /etc/systemd/system/vprov-nftables.service","+ /etc/systemd/system/nftables.service.d/50-vprov.conf","- /etc/firewalld/policies/vprov-in.xml (vprov'\''s firewalld object; this host'\''s backend is not firewalld)"],"ipstack":["+ /etc/sysctl.d/zz-vprov-ipv6.conf (net.ipv6.conf.all/default.disable_ipv6 = 0, read after /etc/sysctl.d/10-no-ipv6.conf:2)","~ net.ipv6.conf.all.disable_ipv6 1 → 0 (runtime)","~ net.ipv6.conf.default.disable_ipv6 1 → 0 (runtime)"]},"results":{"firewall":%d,"ipstack":%d}}\n' "$rc_firewall" "$rc_ipstack" > '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' /var/lib/vprov/last-apply.json; } 2>/dev/null || rm -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new'
case "$rc_firewall $rc_ipstack" in *[1-9]*) find /etc /var/lib/vprov -maxdepth 3 -name "*.$VPROV_RUN.vprov-new" -exec rm -f {} + 2>/dev/null ;; esac
echo '@@vprov:end@@'
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
} 2>/dev/null
echo '@@vprov:account@@'
{
if getent passwd 'vprotect' >/dev/null; then echo exists=yes; else echo exists=no; fi
} 2>/dev/null
echo '@@vprov:sudoers@@'
{
if [ -f '/etc/sudoers.d/vprotect' ]; then printf content=; { base64 -w0 < '/etc/sudoers.d/vprotect' || printf '%s' '!unreadable'; }; echo; else echo content=absent; fi
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
{ [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; }
{ [ -d '/etc/systemd/system/nftables.service.d' ] || mkdir -p '/etc/systemd/system/nftables.service.d'; }
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiB0aGlzIHRhYmxlIGlzIHJlcGxhY2VkIGFzIGEgd2hvbGUsIGF0b21pY2FsbHksIG9uIGV2ZXJ5IGFwcGx5LgojIE9ubHkgdGFibGUgaW5ldCB2cHJvdiBpcyB2cHJvdidzOyBvdGhlciB0YWJsZXMgYXJlIG5ldmVyIGVkaXRlZC4KdGFibGUgaW5ldCB2cHJvdgpkZWxldGUgdGFibGUgaW5ldCB2cHJvdgp0YWJsZSBpbmV0IHZwcm92IHsKCXNldCBtb25pdG9yaW5nX3Y0IHsKCQl0eXBlIGlwdjRfYWRkcgoJCWZsYWdzIGludGVydmFsCgkJZWxlbWVudHMgPSB7IDEwLjkuMC4wLzI0IH0KCX0KCXNldCBvbHZtX2t2bV9ob3N0X3Y0IHsKCQl0eXBlIGlwdjRfYWRkcgoJCWZsYWdzIGludGVydmFsCgkJZWxlbWVudHMgPSB7IDE5Mi4wLjIuNTIgfQoJfQoJc2V0IG9sdm1fbWFuYWdlcl92NCB7CgkJdHlwZSBpcHY0X2FkZHIKCQlmbGFncyBpbnRlcnZhbAoJCWVsZW1lbnRzID0geyAxOTIuMC4yLjUwIH0KCX0KCXNldCBvbHZtX3BvcnRhbF9jbGllbnRfdjQgewoJCXR5cGUgaXB2NF9hZGRyCgkJZmxhZ3MgaW50ZXJ2YWwKCQllbGVtZW50cyA9IHsgMTAuMjAuMC4wLzE2IH0KCX0KCXNldCBzdG9yd2FyZV9ub2RlX3Y0IHsKCQl0eXBlIGlwdjRfYWRkcgoJCWZsYWdzIGludGVydmFsCgkJZWxlbWVudHMgPSB7IDE5Mi4wLjIuNjAgfQoJfQoJc2V0IHZwcm92X3NzaF92NCB7CgkJdHlwZSBpcHY0X2FkZHIKCQlmbGFncyBpbnRlcnZhbAoJCWVsZW1lbnRzID0geyAxMC45OS4wLjAvMjQgfQoJfQoJc2V0IHZwcm92X3NzaF9saXZlX3Y0IHsKCQl0eXBlIGlwdjRfYWRkcgoJCWZsYWdzIGludGVydmFsCgkJZWxlbWVudHMgPSB7IDE5Mi4wLjIuMjAwIH0KCX0KCWNoYWluIGlucHV0IHsKCQl0eXBlIGZpbHRlciBob29rIGlucHV0IHByaW9yaXR5IGZpbHRlcjsgcG9saWN5IGRyb3A7CgkJaWlmICJsbyIgYWNjZXB0CgkJY3Qgc3RhdGUgZXN0YWJsaXNoZWQscmVsYXRlZCBhY2NlcHQKCQlpY21wdjYgdHlwZSB7IG5kLW5laWdoYm9yLWFkdmVydCwgbmQtbmVpZ2hib3Itc29saWNpdCwgbmQtcm91dGVyLWFkdmVydCB9IGFjY2VwdAoJCWlwIHNhZGRyIEB2cHJvdl9zc2hfdjQgdGNwIGRwb3J0IDIyIGFjY2VwdCBjb21tZW50ICJ2cHJvdjogc3NoIGZvciBjb250cm9sbGVycyBhbmQgYWRtaW5zIgoJCWlwIHNhZGRyIEB2cHJvdl9zc2hfbGl2ZV92NCB0Y3AgZHBvcnQgMjIgYWNjZXB0IGNvbW1lbnQgInZwcm92OiBzc2ggZm9yIGEgY29udHJvbGxlciBub3QgaW4gdGhlIGludmVudG9yeSIKCQlpcCBzYWRkciBAbW9uaXRvcmluZ192NCB0Y3AgZHBvcnQgOTEwMCBhY2NlcHQgY29tbWVudCAic2l0ZS9vbHZtLXdpdGgtc3RvcndhcmUvMjkvMiIKCQlpcCBzYWRkciBAb2x2bV9rdm1faG9zdF92NCB0Y3AgZHBvcnQgeyAxNjUxNCwgNDkxNTItNDkyMTYsIDU0MzIxIH0gYWNjZXB0IGNvbW1lbnQgIm9sdm0vb2x2bS9rdm0taG9zdC1maXJld2FsbC1yZXF1aXJlbWVudHMvMTAgKzIiCgkJaXAgc2FkZHIgQG9sdm1fbWFuYWdlcl92NCB0Y3AgZHBvcnQgeyAyMiwgMjIyMywgNTQzMjEtNTQzMjIgfSBhY2NlcHQgY29tbWVudCAib2x2bS9vbHZtL2t2bS1ob3N0LWZpcmV3YWxsLXJlcXVpcmVtZW50cy8xICszIgoJCWlwIHNhZGRyIEBvbHZtX3BvcnRhbF9jbGllbnRfdjQgdGNwIGRwb3J0IDU5MDAtNjkyMyBhY2NlcHQgY29tbWVudCAib2x2bS9vbHZtL2t2bS1ob3N0LWZpcmV3YWxsLXJlcXVpcmVtZW50cy81IgoJCWlwIHNhZGRyIEBzdG9yd2FyZV9ub2RlX3Y0IHRjcCBkcG9ydCA1NDMyMiBhY2NlcHQgY29tbWVudCAic3RvcndhcmUvb3ZpcnQvZGlzay1pbWFnZS10cmFuc2Zlci8yIgoJfQp9Cg==' | base64 -d > '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
if ! out=$(nft -c -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new' 2>&1); then rm -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; echo "nft rejected the rendered table: $out" >&2; exit 3; fi
mkdir -p /run/vprov
rm -f /run/vprov/pending.nft /run/vprov/pending.service /run/vprov/pending-dropin.conf
vprov_superseded=
for f in /run/vprov/rollback.armed /run/vprov/rollback.armed.*; do case $f in *.fired|*.confirmed) continue ;; esac; if mv "$f" "$f.superseded" 2>/dev/null; then rm -f "$f.superseded"; vprov_superseded=1; fi; done
[ -n "$vprov_superseded" ] && [ -e /run/vprov/rollback.nft ] || { echo 'table inet vprov'; echo 'delete table inet vprov'; nft list table inet vprov 2>/dev/null || true; } > /run/vprov/rollback.nft
touch /run/vprov/rollback.armed."${VPROV_RUN:-0}"
setsid sh -c 'sleep 60; if mv "$1" "$1.fired" 2>/dev/null; then nft -f /run/vprov/rollback.nft; rm -f "$1.fired" /run/vprov/rollback.nft /run/vprov/pending.nft /run/vprov/pending.service /run/vprov/pending-dropin.conf; fi' vprov-rollback /run/vprov/rollback.armed."${VPROV_RUN:-0}" </dev/null >/dev/null 2>&1 9>&- &
nft -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'
mv -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new' /run/vprov/pending.nft
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiBsb2FkcyB0YWJsZSBpbmV0IHZwcm92IGF0IGJvb3QsIGFmdGVyIG5mdGFibGVzLnNlcnZpY2UgKHdob3NlCiMgL2V0Yy9uZnRhYmxlcy5jb25mIHN0YXJ0cyB3aXRoICJmbHVzaCBydWxlc2V0Iikgc28gdGhhdCBmbHVzaCBjYW5ub3QgZHJvcCBpdC4KIyBFdmVyeSBzdGFydCwgcmVzdGFydCBvciByZWxvYWQgb2YgbmZ0YWJsZXMuc2VydmljZSBmbHVzaGVzIHRoZSB3aG9sZSBydWxlc2V0OiBQYXJ0T2YKIyByZXN0YXJ0cyAoYW5kIHN0b3BzKSB0aGlzIHVuaXQgd2l0aCBpdCwgUmVsb2FkUHJvcGFnYXRlZEZyb20gcmVsb2FkcyBpdCwgYW5kCiMgV2FudGVkQnk9bmZ0YWJsZXMuc2VydmljZSBzdGFydHMgaXQgYWdhaW4gYWZ0ZXIgYSBzdG9wL3N0YXJ0LiBBIHN0YXJ0IG9mIG5mdGFibGVzLnNlcnZpY2UKIyB3aGlsZSBpdCB3YXMgaW5hY3RpdmUgKGFuZCB0aGlzIHVuaXQgYWN0aXZlKSBpcyBjb3ZlcmVkIGJ5IHZwcm92J3MgZHJvcC1pbiwKIyBuZnRhYmxlcy5zZXJ2aWNlLmQvNTAtdnByb3YuY29uZiwgd2hpY2ggcmVsb2FkcyB0aGlzIHVuaXQuCltVbml0XQpEZXNjcmlwdGlvbj12cHJvdiBmaXJld2FsbCB0YWJsZSAodGFibGUgaW5ldCB2cHJvdikKV2FudHM9bmV0d29yay1wcmUudGFyZ2V0CkJlZm9yZT1uZXR3b3JrLXByZS50YXJnZXQKQWZ0ZXI9bmZ0YWJsZXMuc2VydmljZQpQYXJ0T2Y9bmZ0YWJsZXMuc2VydmljZQpSZWxvYWRQcm9wYWdhdGVkRnJvbT1uZnRhYmxlcy5zZXJ2aWNlCgpbU2VydmljZV0KVHlwZT1vbmVzaG90ClJlbWFpbkFmdGVyRXhpdD15ZXMKRXhlY1N0YXJ0PS91c3Ivc2Jpbi9uZnQgLWYgL2V0Yy92cHJvdi92cHJvdi5uZnQKRXhlY1JlbG9hZD0vdXNyL3NiaW4vbmZ0IC1mIC9ldGMvdnByb3YvdnByb3YubmZ0CiMgIi0iOiB0aGUgdGFibGUgbWF5IGFscmVhZHkgYmUgZ29uZSAobmZ0YWJsZXMuc2VydmljZSBmbHVzaGVkIHRoZSBydWxlc2V0IGZpcnN0KS4KRXhlY1N0b3A9LS91c3Ivc2Jpbi9uZnQgZGVsZXRlIHRhYmxlIGluZXQgdnByb3YKCltJbnN0YWxsXQpXYW50ZWRCeT1tdWx0aS11c2VyLnRhcmdldCBuZnRhYmxlcy5zZXJ2aWNlCg==' | base64 -d > '/run/vprov/pending.service'; then rm -f '/run/vprov/pending.service'; exit 3; fi
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92IChyZW1vdmVkIHdpdGggdnByb3YtbmZ0YWJsZXMuc2VydmljZSkuIG5mdGFibGVzLnNlcnZpY2UncyBjb25maWcgc3RhcnRzIHdpdGgKIyAiZmx1c2ggcnVsZXNldCIuIFBhcnRPZj0gaW4gdnByb3YtbmZ0YWJsZXMuc2VydmljZSBjb3ZlcnMgYSByZXN0YXJ0IG9yIHN0b3Agb2YKIyBuZnRhYmxlcy5zZXJ2aWNlLCBidXQgbm90IGEgc3RhcnQgd2hpbGUgaXQgd2FzIGluYWN0aXZlIGFuZCB2cHJvdidzIHVuaXQgYWN0aXZlOiB0aGlzIHB1dHMKIyB0YWJsZSBpbmV0IHZwcm92IGJhY2sgdGhlbiAoYSByZWxvYWQgb2YgdnByb3YncyB1bml0LCBvbmx5IHdoZW4gdGhhdCB1bml0IGlzIGFjdGl2ZSkuCltTZXJ2aWNlXQpFeGVjU3RhcnRQb3N0PS0vdXNyL2Jpbi9zeXN0ZW1jdGwgLS1uby1ibG9jayB0cnktcmVsb2FkLW9yLXJlc3RhcnQgdnByb3YtbmZ0YWJsZXMuc2VydmljZQo=' | base64 -d > '/run/vprov/pending-dropin.conf'; then rm -f '/run/vprov/pending-dropin.conf'; exit 3; fi
) 2>&1
rc_firewall=$?
echo "rc=$rc_firewall"
echo '@@vprov:record@@'
vprov_w=''
if [ "$rc_firewall" = 0 ]; then vprov_add='{"kind":"firewall-nftables","name":"table inet vprov","path":"/etc/vprov/vprov.nft"}'; else vprov_add=''; fi
[ -z "$vprov_add" ] || vprov_w="${vprov_w:+$vprov_w,}$vprov_add"
( umask 077; { [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; } && printf '%s%s%s\n' '{"version":1,"site":"olvm-with-storware","controller":"ops@controller","updated":"2026-01-01T00:00:00.000Z","runId":"abc123","written":[' "$vprov_w" ']}' > '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && chmod 600 '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/vprov/host.json' ) 2>/dev/null
vprov_record_rc=$?; [ "$vprov_record_rc" = 0 ] || rm -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new'; echo "record_rc=$vprov_record_rc"
{ { [ -d '/var/lib/vprov' ] || mkdir -p '/var/lib/vprov'; } && printf '{"runId":"abc123","time":"(now)","controller":"controller","user":"ops","pid":4242,"vprovVersion":"0.0.0","host":"kvm1","site":"olvm-with-storware","changes":{"firewall":["+ table inet vprov","+ chain input hook input prio 0 policy drop","+ rule input: ct.state == established,related accept","+ rule input: icmpv6.type == nd-neighbor-advert,nd-neighbor-solicit,nd-router-advert accept","+ rule input: ip.saddr == @monitoring_v4 && tcp.dport == 9100 accept # site/olvm-with-storware/29/2","+ rule input: ip.saddr == @olvm_kvm_host_v4 && tcp.dport == 16514,49152-49216,54321 accept # olvm/olvm/kvm-host-firewall-requirements/10 +2","+ rule input: ip.saddr == @olvm_manager_v4 && tcp.dport == 22,2223,54321-54322 accept # olvm/olvm/kvm-host-firewall-requirements/1 +3","+ rule input: ip.saddr == @olvm_portal_client_v4 && tcp.dport == 5900-6923 accept # olvm/olvm/kvm-host-firewall-requirements/5","+ rule input: ip.saddr == @storware_node_v4 && tcp.dport == 54322 accept # storware/ovirt/disk-image-transfer/2","+ rule input: ip.saddr == @vprov_ssh_live_v4 && tcp.dport == 22 accept # vprov: ssh for a controller not in the inventory","+ rule input: ip.saddr == @vprov_ssh_v4 && tcp.dport == 22 accept # vprov: ssh for controllers and admins","+ rule input: meta.iif == lo accept","+ set monitoring_v4 ipv4_addr flags interval { 10.9.0.0/24 }","+ set olvm_kvm_host_v4 ipv4_addr flags interval { 192.0.2.52 }","+ set olvm_manager_v4 ipv4_addr flags interval { 192.0.2.50 }","+ set olvm_portal_client_v4 ipv4_addr flags interval { 10.20.0.0/16 }","+ set storware_node_v4 ipv4_addr flags interval { 192.0.2.60 }","+ set vprov_ssh_live_v4 ipv4_addr flags interval { 192.0.2.200 }","+ set vprov_ssh_v4 ipv4_addr flags interval { 10.99.0.0/24 }","+ /etc/systemd/system/vprov-nftables.service","+ /etc/systemd/system/nftables.service.d/50-vprov.conf"]},"results":{"firewall":%d}}\n' "$rc_firewall" > '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' /var/lib/vprov/last-apply.json; } 2>/dev/null || rm -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new'
case "$rc_firewall" in *[1-9]*) find /etc /var/lib/vprov -maxdepth 3 -name "*.$VPROV_RUN.vprov-new" -exec rm -f {} + 2>/dev/null ;; esac
echo '@@vprov:end@@'
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
} 2>/dev/null
echo '@@vprov:account@@'
{
if getent passwd 'vprotect' >/dev/null; then echo exists=yes; else echo exists=no; fi
} 2>/dev/null
echo '@@vprov:sudoers@@'
{
if [ -f '/etc/sudoers.d/vprotect' ]; then printf content=; { base64 -w0 < '/etc/sudoers.d/vprotect' || printf '%s' '!unreadable'; }; echo; else echo content=absent; fi
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
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiB0aGlzIHRhYmxlIGlzIHJlcGxhY2VkIGFzIGEgd2hvbGUsIGF0b21pY2FsbHksIG9uIGV2ZXJ5IGFwcGx5LgojIE9ubHkgdGFibGUgaW5ldCB2cHJvdiBpcyB2cHJvdidzOyBvdGhlciB0YWJsZXMgYXJlIG5ldmVyIGVkaXRlZC4KdGFibGUgaW5ldCB2cHJvdgpkZWxldGUgdGFibGUgaW5ldCB2cHJvdgp0YWJsZSBpbmV0IHZwcm92IHsKCXNldCBtb25pdG9yaW5nX3Y0IHsKCQl0eXBlIGlwdjRfYWRkcgoJCWZsYWdzIGludGVydmFsCgkJZWxlbWVudHMgPSB7IDEwLjkuMC4wLzI0IH0KCX0KCXNldCBvbHZtX2t2bV9ob3N0X3Y0IHsKCQl0eXBlIGlwdjRfYWRkcgoJCWZsYWdzIGludGVydmFsCgkJZWxlbWVudHMgPSB7IDE5Mi4wLjIuNTEgfQoJfQoJc2V0IG9sdm1fbWFuYWdlcl92NCB7CgkJdHlwZSBpcHY0X2FkZHIKCQlmbGFncyBpbnRlcnZhbAoJCWVsZW1lbnRzID0geyAxOTIuMC4yLjUwIH0KCX0KCXNldCBvbHZtX3BvcnRhbF9jbGllbnRfdjQgewoJCXR5cGUgaXB2NF9hZGRyCgkJZmxhZ3MgaW50ZXJ2YWwKCQllbGVtZW50cyA9IHsgMTAuMjAuMC4wLzE2IH0KCX0KCXNldCBzdG9yd2FyZV9ub2RlX3Y0IHsKCQl0eXBlIGlwdjRfYWRkcgoJCWZsYWdzIGludGVydmFsCgkJZWxlbWVudHMgPSB7IDE5Mi4wLjIuNjAgfQoJfQoJc2V0IHZwcm92X3NzaF92NCB7CgkJdHlwZSBpcHY0X2FkZHIKCQlmbGFncyBpbnRlcnZhbAoJCWVsZW1lbnRzID0geyAxMC45OS4wLjAvMjQgfQoJfQoJc2V0IHZwcm92X3NzaF9saXZlX3Y0IHsKCQl0eXBlIGlwdjRfYWRkcgoJCWZsYWdzIGludGVydmFsCgkJZWxlbWVudHMgPSB7IDE5Mi4wLjIuMjAwIH0KCX0KCWNoYWluIGlucHV0IHsKCQl0eXBlIGZpbHRlciBob29rIGlucHV0IHByaW9yaXR5IGZpbHRlcjsgcG9saWN5IGRyb3A7CgkJaWlmICJsbyIgYWNjZXB0CgkJY3Qgc3RhdGUgZXN0YWJsaXNoZWQscmVsYXRlZCBhY2NlcHQKCQlpY21wdjYgdHlwZSB7IG5kLW5laWdoYm9yLWFkdmVydCwgbmQtbmVpZ2hib3Itc29saWNpdCwgbmQtcm91dGVyLWFkdmVydCB9IGFjY2VwdAoJCWlwIHNhZGRyIEB2cHJvdl9zc2hfdjQgdGNwIGRwb3J0IDIyIGFjY2VwdCBjb21tZW50ICJ2cHJvdjogc3NoIGZvciBjb250cm9sbGVycyBhbmQgYWRtaW5zIgoJCWlwIHNhZGRyIEB2cHJvdl9zc2hfbGl2ZV92NCB0Y3AgZHBvcnQgMjIgYWNjZXB0IGNvbW1lbnQgInZwcm92OiBzc2ggZm9yIGEgY29udHJvbGxlciBub3QgaW4gdGhlIGludmVudG9yeSIKCQlpcCBzYWRkciBAbW9uaXRvcmluZ192NCB0Y3AgZHBvcnQgOTEwMCBhY2NlcHQgY29tbWVudCAic2l0ZS9vbHZtLXdpdGgtc3RvcndhcmUvMjkvMiIKCQlpcCBzYWRkciBAb2x2bV9rdm1faG9zdF92NCB0Y3AgZHBvcnQgeyAxNjUxNCwgNDkxNTItNDkyMTYsIDU0MzIxIH0gYWNjZXB0IGNvbW1lbnQgIm9sdm0vb2x2bS9rdm0taG9zdC1maXJld2FsbC1yZXF1aXJlbWVudHMvMTAgKzIiCgkJaXAgc2FkZHIgQG9sdm1fbWFuYWdlcl92NCB0Y3AgZHBvcnQgeyAyMiwgMjIyMywgNTQzMjEtNTQzMjIgfSBhY2NlcHQgY29tbWVudCAib2x2bS9vbHZtL2t2bS1ob3N0LWZpcmV3YWxsLXJlcXVpcmVtZW50cy8xICszIgoJCWlwIHNhZGRyIEBvbHZtX3BvcnRhbF9jbGllbnRfdjQgdGNwIGRwb3J0IDU5MDAtNjkyMyBhY2NlcHQgY29tbWVudCAib2x2bS9vbHZtL2t2bS1ob3N0LWZpcmV3YWxsLXJlcXVpcmVtZW50cy81IgoJCWlwIHNhZGRyIEBzdG9yd2FyZV9ub2RlX3Y0IHRjcCBkcG9ydCA1NDMyMiBhY2NlcHQgY29tbWVudCAic3RvcndhcmUvb3ZpcnQvZGlzay1pbWFnZS10cmFuc2Zlci8yIgoJfQp9Cg==' | base64 -d > '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
if ! out=$(nft -c -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new' 2>&1); then rm -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; echo "nft rejected the rendered table: $out" >&2; exit 3; fi
mkdir -p /run/vprov
rm -f /run/vprov/pending.nft /run/vprov/pending.service /run/vprov/pending-dropin.conf
vprov_superseded=
for f in /run/vprov/rollback.armed /run/vprov/rollback.armed.*; do case $f in *.fired|*.confirmed) continue ;; esac; if mv "$f" "$f.superseded" 2>/dev/null; then rm -f "$f.superseded"; vprov_superseded=1; fi; done
[ -n "$vprov_superseded" ] && [ -e /run/vprov/rollback.nft ] || { echo 'table inet vprov'; echo 'delete table inet vprov'; nft list table inet vprov 2>/dev/null || true; } > /run/vprov/rollback.nft
touch /run/vprov/rollback.armed."${VPROV_RUN:-0}"
setsid sh -c 'sleep 60; if mv "$1" "$1.fired" 2>/dev/null; then nft -f /run/vprov/rollback.nft; rm -f "$1.fired" /run/vprov/rollback.nft /run/vprov/pending.nft /run/vprov/pending.service /run/vprov/pending-dropin.conf; fi' vprov-rollback /run/vprov/rollback.armed."${VPROV_RUN:-0}" </dev/null >/dev/null 2>&1 9>&- &
nft -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'
mv -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new' /run/vprov/pending.nft
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiBsb2FkcyB0YWJsZSBpbmV0IHZwcm92IGF0IGJvb3QsIGFmdGVyIG5mdGFibGVzLnNlcnZpY2UgKHdob3NlCiMgL2V0Yy9uZnRhYmxlcy5jb25mIHN0YXJ0cyB3aXRoICJmbHVzaCBydWxlc2V0Iikgc28gdGhhdCBmbHVzaCBjYW5ub3QgZHJvcCBpdC4KIyBFdmVyeSBzdGFydCwgcmVzdGFydCBvciByZWxvYWQgb2YgbmZ0YWJsZXMuc2VydmljZSBmbHVzaGVzIHRoZSB3aG9sZSBydWxlc2V0OiBQYXJ0T2YKIyByZXN0YXJ0cyAoYW5kIHN0b3BzKSB0aGlzIHVuaXQgd2l0aCBpdCwgUmVsb2FkUHJvcGFnYXRlZEZyb20gcmVsb2FkcyBpdCwgYW5kCiMgV2FudGVkQnk9bmZ0YWJsZXMuc2VydmljZSBzdGFydHMgaXQgYWdhaW4gYWZ0ZXIgYSBzdG9wL3N0YXJ0LiBBIHN0YXJ0IG9mIG5mdGFibGVzLnNlcnZpY2UKIyB3aGlsZSBpdCB3YXMgaW5hY3RpdmUgKGFuZCB0aGlzIHVuaXQgYWN0aXZlKSBpcyBjb3ZlcmVkIGJ5IHZwcm92J3MgZHJvcC1pbiwKIyBuZnRhYmxlcy5zZXJ2aWNlLmQvNTAtdnByb3YuY29uZiwgd2hpY2ggcmVsb2FkcyB0aGlzIHVuaXQuCltVbml0XQpEZXNjcmlwdGlvbj12cHJvdiBmaXJld2FsbCB0YWJsZSAodGFibGUgaW5ldCB2cHJvdikKV2FudHM9bmV0d29yay1wcmUudGFyZ2V0CkJlZm9yZT1uZXR3b3JrLXByZS50YXJnZXQKQWZ0ZXI9bmZ0YWJsZXMuc2VydmljZQpQYXJ0T2Y9bmZ0YWJsZXMuc2VydmljZQpSZWxvYWRQcm9wYWdhdGVkRnJvbT1uZnRhYmxlcy5zZXJ2aWNlCgpbU2VydmljZV0KVHlwZT1vbmVzaG90ClJlbWFpbkFmdGVyRXhpdD15ZXMKRXhlY1N0YXJ0PS91c3Ivc2Jpbi9uZnQgLWYgL2V0Yy92cHJvdi92cHJvdi5uZnQKRXhlY1JlbG9hZD0vdXNyL3NiaW4vbmZ0IC1mIC9ldGMvdnByb3YvdnByb3YubmZ0CiMgIi0iOiB0aGUgdGFibGUgbWF5IGFscmVhZHkgYmUgZ29uZSAobmZ0YWJsZXMuc2VydmljZSBmbHVzaGVkIHRoZSBydWxlc2V0IGZpcnN0KS4KRXhlY1N0b3A9LS91c3Ivc2Jpbi9uZnQgZGVsZXRlIHRhYmxlIGluZXQgdnByb3YKCltJbnN0YWxsXQpXYW50ZWRCeT1tdWx0aS11c2VyLnRhcmdldCBuZnRhYmxlcy5zZXJ2aWNlCg==' | base64 -d > '/run/vprov/pending.service'; then rm -f '/run/vprov/pending.service'; exit 3; fi
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92IChyZW1vdmVkIHdpdGggdnByb3YtbmZ0YWJsZXMuc2VydmljZSkuIG5mdGFibGVzLnNlcnZpY2UncyBjb25maWcgc3RhcnRzIHdpdGgKIyAiZmx1c2ggcnVsZXNldCIuIFBhcnRPZj0gaW4gdnByb3YtbmZ0YWJsZXMuc2VydmljZSBjb3ZlcnMgYSByZXN0YXJ0IG9yIHN0b3Agb2YKIyBuZnRhYmxlcy5zZXJ2aWNlLCBidXQgbm90IGEgc3RhcnQgd2hpbGUgaXQgd2FzIGluYWN0aXZlIGFuZCB2cHJvdidzIHVuaXQgYWN0aXZlOiB0aGlzIHB1dHMKIyB0YWJsZSBpbmV0IHZwcm92IGJhY2sgdGhlbiAoYSByZWxvYWQgb2YgdnByb3YncyB1bml0LCBvbmx5IHdoZW4gdGhhdCB1bml0IGlzIGFjdGl2ZSkuCltTZXJ2aWNlXQpFeGVjU3RhcnRQb3N0PS0vdXNyL2Jpbi9zeXN0ZW1jdGwgLS1uby1ibG9jayB0cnktcmVsb2FkLW9yLXJlc3RhcnQgdnByb3YtbmZ0YWJsZXMuc2VydmljZQo=' | base64 -d > '/run/vprov/pending-dropin.conf'; then rm -f '/run/vprov/pending-dropin.conf'; exit 3; fi
rm -f '/etc/firewalld/policies/vprov-in.xml'
) 2>&1
rc_firewall=$?
echo "rc=$rc_firewall"
echo '@@vprov:record@@'
vprov_w=''
if [ "$rc_firewall" = 0 ]; then vprov_add='{"kind":"firewall-nftables","name":"table inet vprov","path":"/etc/vprov/vprov.nft"}'; else vprov_add=''; fi
[ -z "$vprov_add" ] || vprov_w="${vprov_w:+$vprov_w,}$vprov_add"
( umask 077; { [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; } && printf '%s%s%s\n' '{"version":1,"site":"olvm-with-storware","controller":"ops@controller","updated":"2026-01-01T00:00:00.000Z","runId":"abc123","written":[' "$vprov_w" ']}' > '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && chmod 600 '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/vprov/host.json' ) 2>/dev/null
vprov_record_rc=$?; [ "$vprov_record_rc" = 0 ] || rm -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new'; echo "record_rc=$vprov_record_rc"
{ { [ -d '/var/lib/vprov' ] || mkdir -p '/var/lib/vprov'; } && printf '{"runId":"abc123","time":"(now)","controller":"controller","user":"ops","pid":4242,"vprovVersion":"0.0.0","host":"kvm2","site":"olvm-with-storware","changes":{"firewall":["+ table inet vprov","+ chain input hook input prio 0 policy drop","+ rule input: ct.state == established,related accept","+ rule input: icmpv6.type == nd-neighbor-advert,nd-neighbor-solicit,nd-router-advert accept","+ rule input: ip.saddr == @monitoring_v4 && tcp.dport == 9100 accept # site/olvm-with-storware/29/2","+ rule input: ip.saddr == @olvm_kvm_host_v4 && tcp.dport == 16514,49152-49216,54321 accept # olvm/olvm/kvm-host-firewall-requirements/10 +2","+ rule input: ip.saddr == @olvm_manager_v4 && tcp.dport == 22,2223,54321-54322 accept # olvm/olvm/kvm-host-firewall-requirements/1 +3","+ rule input: ip.saddr == @olvm_portal_client_v4 && tcp.dport == 5900-6923 accept # olvm/olvm/kvm-host-firewall-requirements/5","+ rule input: ip.saddr == @storware_node_v4 && tcp.dport == 54322 accept # storware/ovirt/disk-image-transfer/2","+ rule input: ip.saddr == @vprov_ssh_live_v4 && tcp.dport == 22 accept # vprov: ssh for a controller not in the inventory","+ rule input: ip.saddr == @vprov_ssh_v4 && tcp.dport == 22 accept # vprov: ssh for controllers and admins","+ rule input: meta.iif == lo accept","+ set monitoring_v4 ipv4_addr flags interval { 10.9.0.0/24 }","+ set olvm_kvm_host_v4 ipv4_addr flags interval { 192.0.2.51 }","+ set olvm_manager_v4 ipv4_addr flags interval { 192.0.2.50 }","+ set olvm_portal_client_v4 ipv4_addr flags interval { 10.20.0.0/16 }","+ set storware_node_v4 ipv4_addr flags interval { 192.0.2.60 }","+ set vprov_ssh_live_v4 ipv4_addr flags interval { 192.0.2.200 }","+ set vprov_ssh_v4 ipv4_addr flags interval { 10.99.0.0/24 }","+ /etc/systemd/system/vprov-nftables.service","+ /etc/systemd/system/nftables.service.d/50-vprov.conf","- /etc/firewalld/policies/vprov-in.xml (vprov'\''s firewalld object; this host'\''s backend is not firewalld)"]},"results":{"firewall":%d}}\n' "$rc_firewall" > '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' /var/lib/vprov/last-apply.json; } 2>/dev/null || rm -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new'
case "$rc_firewall" in *[1-9]*) find /etc /var/lib/vprov -maxdepth 3 -name "*.$VPROV_RUN.vprov-new" -exec rm -f {} + 2>/dev/null ;; esac
echo '@@vprov:end@@'
: > /run/vprov/lock.owner; trap - EXIT
} 9>>/run/vprov/lock

#### node1: apply script
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
} 2>/dev/null
echo '@@vprov:account@@'
{
if pw=$(getent passwd 'vprotect'); then echo "exists=yes"; printf '%s\n' "passwd=$pw"; printf 'groups=%s\n' "$(id -nG 'vprotect')"; else echo "exists=no"; fi
echo "sys_uid_max=$(awk '$1 == "SYS_UID_MAX" { print $2 }' /etc/login.defs 2>/dev/null)"
getent group 'disk' >/dev/null && echo 'group:disk=yes' || echo 'group:disk=no'
} 2>/dev/null
echo '@@vprov:sudoers@@'
{
if getent passwd 'vprotect' >/dev/null; then echo user=yes; vprov_sudo_user=1; else echo user=no; vprov_sudo_user=; fi
if [ -f '/etc/sudoers.d/vprotect' ]; then printf content=; { base64 -w0 < '/etc/sudoers.d/vprotect' || printf '%s' '!unreadable'; }; echo; else echo content=absent; fi
if [ -e '/etc/sudoers.d/vprotect' ]; then stat -c 'meta=%a %U %G' '/etc/sudoers.d/vprotect' || echo meta=; fi
[ -e '/usr/bin/targetcli' ] || printf '%s\n' 'missing=/usr/bin/targetcli'
[ -e '/usr/sbin/exportfs' ] || printf '%s\n' 'missing=/usr/sbin/exportfs'
[ -e '/usr/sbin/kpartx' ] || printf '%s\n' 'missing=/usr/sbin/kpartx'
[ -e '/usr/sbin/dmsetup' ] || printf '%s\n' 'missing=/usr/sbin/dmsetup'
[ -e '/usr/bin/qemu-nbd' ] || printf '%s\n' 'missing=/usr/bin/qemu-nbd'
[ -e '/usr/bin/guestmount' ] || printf '%s\n' 'missing=/usr/bin/guestmount'
[ -e '/usr/bin/fusermount' ] || printf '%s\n' 'missing=/usr/bin/fusermount'
[ -e '/bin/mount' ] || printf '%s\n' 'missing=/bin/mount'
[ -e '/bin/umount' ] || printf '%s\n' 'missing=/bin/umount'
[ -e '/usr/sbin/parted' ] || printf '%s\n' 'missing=/usr/sbin/parted'
[ -e '/usr/sbin/nbd-client' ] || printf '%s\n' 'missing=/usr/sbin/nbd-client'
[ -e '/usr/bin/tee' ] || printf '%s\n' 'missing=/usr/bin/tee'
[ -e '/opt/vprotect/scripts/vs/privileged.sh' ] || printf '%s\n' 'missing=/opt/vprotect/scripts/vs/privileged.sh'
[ -e '/usr/bin/yum' ] || printf '%s\n' 'missing=/usr/bin/yum'
[ -e '/usr/sbin/mkfs.xfs' ] || printf '%s\n' 'missing=/usr/sbin/mkfs.xfs'
[ -e '/usr/sbin/fstrim' ] || printf '%s\n' 'missing=/usr/sbin/fstrim'
[ -e '/usr/sbin/xfs_growfs' ] || printf '%s\n' 'missing=/usr/sbin/xfs_growfs'
[ -e '/usr/bin/docker' ] || printf '%s\n' 'missing=/usr/bin/docker'
[ -e '/usr/bin/rbd' ] || printf '%s\n' 'missing=/usr/bin/rbd'
[ -e '/usr/bin/chown' ] || printf '%s\n' 'missing=/usr/bin/chown'
[ -e '/usr/sbin/nvme' ] || printf '%s\n' 'missing=/usr/sbin/nvme'
[ -e '/bin/cp' ] || printf '%s\n' 'missing=/bin/cp'
[ -e '/sbin/depmod' ] || printf '%s\n' 'missing=/sbin/depmod'
[ -e '/usr/sbin/modprobe' ] || printf '%s\n' 'missing=/usr/sbin/modprobe'
[ -e '/bin/bash' ] || printf '%s\n' 'missing=/bin/bash'
[ -e '/usr/local/sbin/nbd-client' ] || printf '%s\n' 'missing=/usr/local/sbin/nbd-client'
[ -e '/bin/make' ] || printf '%s\n' 'missing=/bin/make'
if [ -n "$vprov_sudo_user" ]; then printf effect=; sudo -l -U 'vprotect' 2>&1 | base64 -w0; echo; fi
if grep -Eq '^[[:space:]]*[@#]includedir[[:space:]]+/etc/sudoers.d/?[[:space:]]*$' /etc/sudoers; then echo includedir=yes; else echo includedir=no; fi
grep -lE '(^|[^A-Za-z0-9_.-])vprotect([^A-Za-z0-9_.-]|$)' /etc/sudoers /etc/sudoers.d/* 2>/dev/null | sed -e '\|^/etc/sudoers\.d/vprotect$|d' -e 's/^/foreign=/'
stat -L -c 'perm:%n=%a %U %G' -- '/usr/bin/targetcli' '/usr/bin' '/usr' '/usr/sbin/exportfs' '/usr/sbin' '/usr/sbin/kpartx' '/usr/sbin/dmsetup' '/usr/bin/qemu-nbd' '/usr/bin/guestmount' '/usr/bin/fusermount' '/bin/mount' '/bin' '/bin/umount' '/usr/sbin/parted' '/usr/sbin/nbd-client' '/usr/bin/tee' '/opt/vprotect/scripts/vs/privileged.sh' '/opt/vprotect/scripts/vs' '/opt/vprotect/scripts' '/opt/vprotect' '/opt' '/usr/bin/yum' '/usr/sbin/mkfs.xfs' '/usr/sbin/fstrim' '/usr/sbin/xfs_growfs' '/usr/bin/docker' '/usr/bin/rbd' '/usr/bin/chown' '/usr/sbin/nvme' '/bin/cp' '/sbin/depmod' '/sbin' '/usr/sbin/modprobe' '/bin/bash' '/usr/local/sbin/nbd-client' '/usr/local/sbin' '/usr/local' '/bin/make' '/' 2>/dev/null || :
} 2>/dev/null
echo '@@vprov:selinux@@'
{
if [ -f '/etc/selinux/config' ]; then printf config=; { base64 -w0 < '/etc/selinux/config' || printf '%s' '!unreadable'; }; echo; else echo config=absent; fi
vprov_selinuxfs=no; while read -r vprov_a vprov_b; do if [ "$vprov_a" = selinuxfs ] || [ "$vprov_b" = selinuxfs ]; then vprov_selinuxfs=yes; fi; done < /proc/filesystems
echo "kernel=$vprov_selinuxfs"
if command -v getenforce >/dev/null 2>&1; then echo "runtime=$(getenforce 2>/dev/null)"; fi
} 2>/dev/null
echo '@@vprov:end@@'
} 2>/dev/null )
vprov_sum=$(printf '%s' "$vprov_facts" | sha256sum)
if [ "$vprov_sum" != '8289069007a71d45218599c9ccbb4f64902952e99caa8570ad5e1cf765aec6ac  -' ]; then echo '@@vprov:stale@@'; printf '%s\n' "$vprov_facts"; echo '@@vprov:sum@@'; printf '%s\n' "$vprov_sum"; exit 0; fi
echo '@@vprov:apply-firewall@@'
( set -e
{ [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; }
{ [ -d '/etc/systemd/system/nftables.service.d' ] || mkdir -p '/etc/systemd/system/nftables.service.d'; }
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiB0aGlzIHRhYmxlIGlzIHJlcGxhY2VkIGFzIGEgd2hvbGUsIGF0b21pY2FsbHksIG9uIGV2ZXJ5IGFwcGx5LgojIE9ubHkgdGFibGUgaW5ldCB2cHJvdiBpcyB2cHJvdidzOyBvdGhlciB0YWJsZXMgYXJlIG5ldmVyIGVkaXRlZC4KdGFibGUgaW5ldCB2cHJvdgpkZWxldGUgdGFibGUgaW5ldCB2cHJvdgp0YWJsZSBpbmV0IHZwcm92IHsKCXNldCBtb25pdG9yaW5nX3Y0IHsKCQl0eXBlIGlwdjRfYWRkcgoJCWZsYWdzIGludGVydmFsCgkJZWxlbWVudHMgPSB7IDEwLjkuMC4wLzI0IH0KCX0KCXNldCB2cHJvdl9zc2hfdjQgewoJCXR5cGUgaXB2NF9hZGRyCgkJZmxhZ3MgaW50ZXJ2YWwKCQllbGVtZW50cyA9IHsgMTAuOTkuMC4wLzI0IH0KCX0KCXNldCB2cHJvdl9zc2hfbGl2ZV92NCB7CgkJdHlwZSBpcHY0X2FkZHIKCQlmbGFncyBpbnRlcnZhbAoJCWVsZW1lbnRzID0geyAxOTIuMC4yLjIwMCB9Cgl9CgljaGFpbiBpbnB1dCB7CgkJdHlwZSBmaWx0ZXIgaG9vayBpbnB1dCBwcmlvcml0eSBmaWx0ZXI7IHBvbGljeSBkcm9wOwoJCWlpZiAibG8iIGFjY2VwdAoJCWN0IHN0YXRlIGVzdGFibGlzaGVkLHJlbGF0ZWQgYWNjZXB0CgkJaWNtcHY2IHR5cGUgeyBuZC1uZWlnaGJvci1hZHZlcnQsIG5kLW5laWdoYm9yLXNvbGljaXQsIG5kLXJvdXRlci1hZHZlcnQgfSBhY2NlcHQKCQlpcCBzYWRkciBAdnByb3Zfc3NoX3Y0IHRjcCBkcG9ydCAyMiBhY2NlcHQgY29tbWVudCAidnByb3Y6IHNzaCBmb3IgY29udHJvbGxlcnMgYW5kIGFkbWlucyIKCQlpcCBzYWRkciBAdnByb3Zfc3NoX2xpdmVfdjQgdGNwIGRwb3J0IDIyIGFjY2VwdCBjb21tZW50ICJ2cHJvdjogc3NoIGZvciBhIGNvbnRyb2xsZXIgbm90IGluIHRoZSBpbnZlbnRvcnkiCgkJaXAgc2FkZHIgQG1vbml0b3JpbmdfdjQgdGNwIGRwb3J0IDkxMDAgYWNjZXB0IGNvbW1lbnQgInNpdGUvb2x2bS13aXRoLXN0b3J3YXJlLzI5LzMiCgl9Cn0K' | base64 -d > '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
if ! out=$(nft -c -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new' 2>&1); then rm -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; echo "nft rejected the rendered table: $out" >&2; exit 3; fi
mkdir -p /run/vprov
rm -f /run/vprov/pending.nft /run/vprov/pending.service /run/vprov/pending-dropin.conf
vprov_superseded=
for f in /run/vprov/rollback.armed /run/vprov/rollback.armed.*; do case $f in *.fired|*.confirmed) continue ;; esac; if mv "$f" "$f.superseded" 2>/dev/null; then rm -f "$f.superseded"; vprov_superseded=1; fi; done
[ -n "$vprov_superseded" ] && [ -e /run/vprov/rollback.nft ] || { echo 'table inet vprov'; echo 'delete table inet vprov'; nft list table inet vprov 2>/dev/null || true; } > /run/vprov/rollback.nft
touch /run/vprov/rollback.armed."${VPROV_RUN:-0}"
setsid sh -c 'sleep 60; if mv "$1" "$1.fired" 2>/dev/null; then nft -f /run/vprov/rollback.nft; rm -f "$1.fired" /run/vprov/rollback.nft /run/vprov/pending.nft /run/vprov/pending.service /run/vprov/pending-dropin.conf; fi' vprov-rollback /run/vprov/rollback.armed."${VPROV_RUN:-0}" </dev/null >/dev/null 2>&1 9>&- &
nft -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'
mv -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new' /run/vprov/pending.nft
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiBsb2FkcyB0YWJsZSBpbmV0IHZwcm92IGF0IGJvb3QsIGFmdGVyIG5mdGFibGVzLnNlcnZpY2UgKHdob3NlCiMgL2V0Yy9uZnRhYmxlcy5jb25mIHN0YXJ0cyB3aXRoICJmbHVzaCBydWxlc2V0Iikgc28gdGhhdCBmbHVzaCBjYW5ub3QgZHJvcCBpdC4KIyBFdmVyeSBzdGFydCwgcmVzdGFydCBvciByZWxvYWQgb2YgbmZ0YWJsZXMuc2VydmljZSBmbHVzaGVzIHRoZSB3aG9sZSBydWxlc2V0OiBQYXJ0T2YKIyByZXN0YXJ0cyAoYW5kIHN0b3BzKSB0aGlzIHVuaXQgd2l0aCBpdCwgUmVsb2FkUHJvcGFnYXRlZEZyb20gcmVsb2FkcyBpdCwgYW5kCiMgV2FudGVkQnk9bmZ0YWJsZXMuc2VydmljZSBzdGFydHMgaXQgYWdhaW4gYWZ0ZXIgYSBzdG9wL3N0YXJ0LiBBIHN0YXJ0IG9mIG5mdGFibGVzLnNlcnZpY2UKIyB3aGlsZSBpdCB3YXMgaW5hY3RpdmUgKGFuZCB0aGlzIHVuaXQgYWN0aXZlKSBpcyBjb3ZlcmVkIGJ5IHZwcm92J3MgZHJvcC1pbiwKIyBuZnRhYmxlcy5zZXJ2aWNlLmQvNTAtdnByb3YuY29uZiwgd2hpY2ggcmVsb2FkcyB0aGlzIHVuaXQuCltVbml0XQpEZXNjcmlwdGlvbj12cHJvdiBmaXJld2FsbCB0YWJsZSAodGFibGUgaW5ldCB2cHJvdikKV2FudHM9bmV0d29yay1wcmUudGFyZ2V0CkJlZm9yZT1uZXR3b3JrLXByZS50YXJnZXQKQWZ0ZXI9bmZ0YWJsZXMuc2VydmljZQpQYXJ0T2Y9bmZ0YWJsZXMuc2VydmljZQpSZWxvYWRQcm9wYWdhdGVkRnJvbT1uZnRhYmxlcy5zZXJ2aWNlCgpbU2VydmljZV0KVHlwZT1vbmVzaG90ClJlbWFpbkFmdGVyRXhpdD15ZXMKRXhlY1N0YXJ0PS91c3Ivc2Jpbi9uZnQgLWYgL2V0Yy92cHJvdi92cHJvdi5uZnQKRXhlY1JlbG9hZD0vdXNyL3NiaW4vbmZ0IC1mIC9ldGMvdnByb3YvdnByb3YubmZ0CiMgIi0iOiB0aGUgdGFibGUgbWF5IGFscmVhZHkgYmUgZ29uZSAobmZ0YWJsZXMuc2VydmljZSBmbHVzaGVkIHRoZSBydWxlc2V0IGZpcnN0KS4KRXhlY1N0b3A9LS91c3Ivc2Jpbi9uZnQgZGVsZXRlIHRhYmxlIGluZXQgdnByb3YKCltJbnN0YWxsXQpXYW50ZWRCeT1tdWx0aS11c2VyLnRhcmdldCBuZnRhYmxlcy5zZXJ2aWNlCg==' | base64 -d > '/run/vprov/pending.service'; then rm -f '/run/vprov/pending.service'; exit 3; fi
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92IChyZW1vdmVkIHdpdGggdnByb3YtbmZ0YWJsZXMuc2VydmljZSkuIG5mdGFibGVzLnNlcnZpY2UncyBjb25maWcgc3RhcnRzIHdpdGgKIyAiZmx1c2ggcnVsZXNldCIuIFBhcnRPZj0gaW4gdnByb3YtbmZ0YWJsZXMuc2VydmljZSBjb3ZlcnMgYSByZXN0YXJ0IG9yIHN0b3Agb2YKIyBuZnRhYmxlcy5zZXJ2aWNlLCBidXQgbm90IGEgc3RhcnQgd2hpbGUgaXQgd2FzIGluYWN0aXZlIGFuZCB2cHJvdidzIHVuaXQgYWN0aXZlOiB0aGlzIHB1dHMKIyB0YWJsZSBpbmV0IHZwcm92IGJhY2sgdGhlbiAoYSByZWxvYWQgb2YgdnByb3YncyB1bml0LCBvbmx5IHdoZW4gdGhhdCB1bml0IGlzIGFjdGl2ZSkuCltTZXJ2aWNlXQpFeGVjU3RhcnRQb3N0PS0vdXNyL2Jpbi9zeXN0ZW1jdGwgLS1uby1ibG9jayB0cnktcmVsb2FkLW9yLXJlc3RhcnQgdnByb3YtbmZ0YWJsZXMuc2VydmljZQo=' | base64 -d > '/run/vprov/pending-dropin.conf'; then rm -f '/run/vprov/pending-dropin.conf'; exit 3; fi
) 2>&1
rc_firewall=$?
echo "rc=$rc_firewall"
echo '@@vprov:apply-account@@'
( set -e
usermod -aG 'disk' 'vprotect'
usermod --shell '/bin/bash' 'vprotect'
) 2>&1
rc_account=$?
echo "rc=$rc_account"
echo '@@vprov:apply-sudoers@@'
( set -e

umask 077
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiBlZGl0cyBhcmUgcmVwb3J0ZWQgYXMgZHJpZnQgYW5kIHJlcGxhY2VkIG9uIHRoZSBuZXh0IGFwcGx5LgojIENvbW1hbmRzIGFzIGRvY3VtZW50ZWQgYnkgdGhlIHZlbmRvciBmb3Igcm9sZXM6IHN0b3J3YXJlL25vZGUuCiMgUm9vdC1lcXVpdmFsZW50IChkb2N1bWVudGVkIGJ5IHRoZSB2ZW5kb3IsIGtlcHQgYXMgd3JpdHRlbik6IC91c3IvYmluL3RhcmdldGNsaSwgL3Vzci9zYmluL2V4cG9ydGZzLCAvdXNyL3NiaW4vZG1zZXR1cCwgL3Vzci9iaW4vcWVtdS1uYmQsIC91c3IvYmluL2d1ZXN0bW91bnQsIC9iaW4vbW91bnQsIC9iaW4vdW1vdW50LCAvdXNyL2Jpbi90ZWUsIC91c3IvYmluL3l1bSwgL3Vzci9iaW4vZG9ja2VyLCAvdXNyL2Jpbi9jaG93biwgL2Jpbi9jcCwgL3Vzci9zYmluL21vZHByb2JlLCAvYmluL2Jhc2gsIC9iaW4vbWFrZQpDbW5kX0FsaWFzIFZQUk9WX1ZQUk9URUNUID0gXAogICAgL3Vzci9iaW4vdGFyZ2V0Y2xpLCBcCiAgICAvdXNyL3NiaW4vZXhwb3J0ZnMsIFwKICAgIC91c3Ivc2Jpbi9rcGFydHgsIFwKICAgIC91c3Ivc2Jpbi9kbXNldHVwLCBcCiAgICAvdXNyL2Jpbi9xZW11LW5iZCwgXAogICAgL3Vzci9iaW4vZ3Vlc3Rtb3VudCwgXAogICAgL3Vzci9iaW4vZnVzZXJtb3VudCwgXAogICAgL2Jpbi9tb3VudCwgXAogICAgL2Jpbi91bW91bnQsIFwKICAgIC91c3Ivc2Jpbi9wYXJ0ZWQsIFwKICAgIC91c3Ivc2Jpbi9uYmQtY2xpZW50LCBcCiAgICAvdXNyL2Jpbi90ZWUsIFwKICAgIC9vcHQvdnByb3RlY3Qvc2NyaXB0cy92cy9wcml2aWxlZ2VkLnNoLCBcCiAgICAvdXNyL2Jpbi95dW0sIFwKICAgIC91c3Ivc2Jpbi9ta2ZzLnhmcywgXAogICAgL3Vzci9zYmluL2ZzdHJpbSwgXAogICAgL3Vzci9zYmluL3hmc19ncm93ZnMsIFwKICAgIC91c3IvYmluL2RvY2tlciwgXAogICAgL3Vzci9iaW4vcmJkLCBcCiAgICAvdXNyL2Jpbi9jaG93biwgXAogICAgL3Vzci9zYmluL252bWUsIFwKICAgIC9iaW4vY3AsIFwKICAgIC9zYmluL2RlcG1vZCwgXAogICAgL3Vzci9zYmluL21vZHByb2JlLCBcCiAgICAvYmluL2Jhc2gsIFwKICAgIC91c3IvbG9jYWwvc2Jpbi9uYmQtY2xpZW50LCBcCiAgICAvYmluL21ha2UKCnZwcm90ZWN0IEFMTD0ocm9vdCkgTk9QQVNTV0Q6IFZQUk9WX1ZQUk9URUNUCg==' | base64 -d > '/etc/sudoers.d/.vprotect.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/sudoers.d/.vprotect.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
chown root:root '/etc/sudoers.d/.vprotect.'"${VPROV_RUN:-0}"'.vprov-new'
chmod 0440 '/etc/sudoers.d/.vprotect.'"${VPROV_RUN:-0}"'.vprov-new'
if ! out=$(visudo -cf '/etc/sudoers.d/.vprotect.'"${VPROV_RUN:-0}"'.vprov-new' 2>&1); then
  rm -f '/etc/sudoers.d/.vprotect.'"${VPROV_RUN:-0}"'.vprov-new'
  echo "visudo rejected the rendered sudoers file, /etc/sudoers.d/vprotect left as it was: $out" >&2
  exit 3
fi
rm -f '/etc/sudoers.d/.vprotect.vprov-old'
if [ -e '/etc/sudoers.d/vprotect' ]; then cp -p '/etc/sudoers.d/vprotect' '/etc/sudoers.d/.vprotect.vprov-old'; fi
mv -f '/etc/sudoers.d/.vprotect.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/sudoers.d/vprotect'
if ! out=$(visudo -c 2>&1); then
  if [ -e '/etc/sudoers.d/.vprotect.vprov-old' ]; then mv -f '/etc/sudoers.d/.vprotect.vprov-old' '/etc/sudoers.d/vprotect'; else rm -f '/etc/sudoers.d/vprotect'; fi
  echo "sudo configuration invalid with the new /etc/sudoers.d/vprotect; previous state restored: $out" >&2
  exit 3
fi
rm -f '/etc/sudoers.d/.vprotect.vprov-old'

) 2>&1
rc_sudoers=$?
echo "rc=$rc_sudoers"
echo '@@vprov:apply-selinux@@'
( set -e
if ! printf '%s' 'U0VMSU5VWD1wZXJtaXNzaXZlClNFTElOVVhUWVBFPXRhcmdldGVkCg==' | base64 -d > '/etc/selinux/config.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/selinux/config.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
chmod --reference=/etc/selinux/config '/etc/selinux/config.'"${VPROV_RUN:-0}"'.vprov-new'
mv -f '/etc/selinux/config.'"${VPROV_RUN:-0}"'.vprov-new' /etc/selinux/config
setenforce 0
) 2>&1
rc_selinux=$?
echo "rc=$rc_selinux"
echo '@@vprov:record@@'
vprov_w=''
if [ "$rc_firewall" = 0 ]; then vprov_add='{"kind":"firewall-nftables","name":"table inet vprov","path":"/etc/vprov/vprov.nft"}'; else vprov_add=''; fi
[ -z "$vprov_add" ] || vprov_w="${vprov_w:+$vprov_w,}$vprov_add"
if [ "$rc_sudoers" = 0 ]; then vprov_add='{"kind":"sudoers","path":"/etc/sudoers.d/vprotect","sha256":"0ddff0e3edd9356dd408611bbcc44bbd5d0fb9928989df4e3477895115a8e8c2"}'; else vprov_add=''; fi
[ -z "$vprov_add" ] || vprov_w="${vprov_w:+$vprov_w,}$vprov_add"
( umask 077; { [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; } && printf '%s%s%s\n' '{"version":1,"site":"olvm-with-storware","controller":"ops@controller","updated":"2026-01-01T00:00:00.000Z","runId":"abc123","written":[' "$vprov_w" ']}' > '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && chmod 600 '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/vprov/host.json' ) 2>/dev/null
vprov_record_rc=$?; [ "$vprov_record_rc" = 0 ] || rm -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new'; echo "record_rc=$vprov_record_rc"
{ { [ -d '/var/lib/vprov' ] || mkdir -p '/var/lib/vprov'; } && printf '{"runId":"abc123","time":"(now)","controller":"controller","user":"ops","pid":4242,"vprovVersion":"0.0.0","host":"node1","site":"olvm-with-storware","changes":{"firewall":["+ table inet vprov","+ chain input hook input prio 0 policy drop","+ rule input: ct.state == established,related accept","+ rule input: icmpv6.type == nd-neighbor-advert,nd-neighbor-solicit,nd-router-advert accept","+ rule input: ip.saddr == @monitoring_v4 && tcp.dport == 9100 accept # site/olvm-with-storware/29/3","+ rule input: ip.saddr == @vprov_ssh_live_v4 && tcp.dport == 22 accept # vprov: ssh for a controller not in the inventory","+ rule input: ip.saddr == @vprov_ssh_v4 && tcp.dport == 22 accept # vprov: ssh for controllers and admins","+ rule input: meta.iif == lo accept","+ set monitoring_v4 ipv4_addr flags interval { 10.9.0.0/24 }","+ set vprov_ssh_live_v4 ipv4_addr flags interval { 192.0.2.200 }","+ set vprov_ssh_v4 ipv4_addr flags interval { 10.99.0.0/24 }","+ /etc/systemd/system/vprov-nftables.service","+ /etc/systemd/system/nftables.service.d/50-vprov.conf"],"account":["+ vprotect in group disk (other groups kept: vprotect)","~ vprotect shell /bin/sh → /bin/bash"],"sudoers":["~ /etc/sudoers.d/vprotect (content)","~ /etc/sudoers.d/vprotect mode/owner 644 root root → 440 root root"],"selinux":["~ /etc/selinux/config: SELINUX=enforcing → permissive","~ runtime enforcing → permissive (setenforce)"]},"results":{"firewall":%d,"account":%d,"sudoers":%d,"selinux":%d}}\n' "$rc_firewall" "$rc_account" "$rc_sudoers" "$rc_selinux" > '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' /var/lib/vprov/last-apply.json; } 2>/dev/null || rm -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new'
case "$rc_firewall $rc_account $rc_sudoers $rc_selinux" in *[1-9]*) find /etc /var/lib/vprov -maxdepth 3 -name "*.$VPROV_RUN.vprov-new" -exec rm -f {} + 2>/dev/null ;; esac
echo '@@vprov:end@@'
: > /run/vprov/lock.owner; trap - EXIT
} 9>>/run/vprov/lock
