#### pve1: apply script
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
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiB0aGlzIHRhYmxlIGlzIHJlcGxhY2VkIGFzIGEgd2hvbGUsIGF0b21pY2FsbHksIG9uIGV2ZXJ5IGFwcGx5LgojIE9ubHkgdGFibGUgaW5ldCB2cHJvdiBpcyB2cHJvdidzOyBvdGhlciB0YWJsZXMgYXJlIG5ldmVyIGVkaXRlZC4KdGFibGUgaW5ldCB2cHJvdgpkZWxldGUgdGFibGUgaW5ldCB2cHJvdgp0YWJsZSBpbmV0IHZwcm92IHsKCXNldCBub2RlX3Y0IHsKCQl0eXBlIGlwdjRfYWRkcgoJCWZsYWdzIGludGVydmFsCgkJZWxlbWVudHMgPSB7IDE5OC41MS4xMDAuNCB9Cgl9CgljaGFpbiBpbnB1dCB7CgkJdHlwZSBmaWx0ZXIgaG9vayBpbnB1dCBwcmlvcml0eSBmaWx0ZXI7IHBvbGljeSBhY2NlcHQ7CgkJaXAgc2FkZHIgQG5vZGVfdjQgdGNwIGRwb3J0IDIyIGFjY2VwdCBjb21tZW50ICJzdG9yd2FyZS9wcm94bW94L2V4cG9ydC1zdG9yYWdlLXJlcG9zaXRvcnkvMSIKCX0KfQo=' | base64 -d > '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
if ! out=$(nft -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new' 2>&1); then rm -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; echo "nft rejected the rendered table: $out" >&2; exit 3; fi
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiBsb2FkcyB0YWJsZSBpbmV0IHZwcm92IGF0IGJvb3QsIGFmdGVyIG5mdGFibGVzLnNlcnZpY2UgKHdob3NlCiMgL2V0Yy9uZnRhYmxlcy5jb25mIHN0YXJ0cyB3aXRoICJmbHVzaCBydWxlc2V0Iikgc28gdGhhdCBmbHVzaCBjYW5ub3QgZHJvcCBpdC4KIyBFdmVyeSBzdGFydCwgcmVzdGFydCBvciByZWxvYWQgb2YgbmZ0YWJsZXMuc2VydmljZSBmbHVzaGVzIHRoZSB3aG9sZSBydWxlc2V0OiBQYXJ0T2YKIyByZXN0YXJ0cyAoYW5kIHN0b3BzKSB0aGlzIHVuaXQgd2l0aCBpdCwgUmVsb2FkUHJvcGFnYXRlZEZyb20gcmVsb2FkcyBpdCwgYW5kCiMgV2FudGVkQnk9bmZ0YWJsZXMuc2VydmljZSBzdGFydHMgaXQgYWdhaW4gYWZ0ZXIgYSBzdG9wL3N0YXJ0LiBBIHN0YXJ0IG9mIG5mdGFibGVzLnNlcnZpY2UKIyB3aGlsZSBpdCB3YXMgaW5hY3RpdmUgKGFuZCB0aGlzIHVuaXQgYWN0aXZlKSBpcyBjb3ZlcmVkIGJ5IHZwcm92J3MgZHJvcC1pbiwKIyBuZnRhYmxlcy5zZXJ2aWNlLmQvNTAtdnByb3YuY29uZiwgd2hpY2ggcmVsb2FkcyB0aGlzIHVuaXQuCltVbml0XQpEZXNjcmlwdGlvbj12cHJvdiBmaXJld2FsbCB0YWJsZSAodGFibGUgaW5ldCB2cHJvdikKV2FudHM9bmV0d29yay1wcmUudGFyZ2V0CkJlZm9yZT1uZXR3b3JrLXByZS50YXJnZXQKQWZ0ZXI9bmZ0YWJsZXMuc2VydmljZQpQYXJ0T2Y9bmZ0YWJsZXMuc2VydmljZQpSZWxvYWRQcm9wYWdhdGVkRnJvbT1uZnRhYmxlcy5zZXJ2aWNlCgpbU2VydmljZV0KVHlwZT1vbmVzaG90ClJlbWFpbkFmdGVyRXhpdD15ZXMKRXhlY1N0YXJ0PS91c3Ivc2Jpbi9uZnQgLWYgL2V0Yy92cHJvdi92cHJvdi5uZnQKRXhlY1JlbG9hZD0vdXNyL3NiaW4vbmZ0IC1mIC9ldGMvdnByb3YvdnByb3YubmZ0CiMgIi0iOiB0aGUgdGFibGUgbWF5IGFscmVhZHkgYmUgZ29uZSAobmZ0YWJsZXMuc2VydmljZSBmbHVzaGVkIHRoZSBydWxlc2V0IGZpcnN0KS4KRXhlY1N0b3A9LS91c3Ivc2Jpbi9uZnQgZGVsZXRlIHRhYmxlIGluZXQgdnByb3YKCltJbnN0YWxsXQpXYW50ZWRCeT1tdWx0aS11c2VyLnRhcmdldCBuZnRhYmxlcy5zZXJ2aWNlCg==' | base64 -d > '/etc/systemd/system/vprov-nftables.service.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/systemd/system/vprov-nftables.service.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92IChyZW1vdmVkIHdpdGggdnByb3YtbmZ0YWJsZXMuc2VydmljZSkuIG5mdGFibGVzLnNlcnZpY2UncyBjb25maWcgc3RhcnRzIHdpdGgKIyAiZmx1c2ggcnVsZXNldCIuIFBhcnRPZj0gaW4gdnByb3YtbmZ0YWJsZXMuc2VydmljZSBjb3ZlcnMgYSByZXN0YXJ0IG9yIHN0b3Agb2YKIyBuZnRhYmxlcy5zZXJ2aWNlLCBidXQgbm90IGEgc3RhcnQgd2hpbGUgaXQgd2FzIGluYWN0aXZlIGFuZCB2cHJvdidzIHVuaXQgYWN0aXZlOiB0aGlzIHB1dHMKIyB0YWJsZSBpbmV0IHZwcm92IGJhY2sgdGhlbiAoYSByZWxvYWQgb2YgdnByb3YncyB1bml0LCBvbmx5IHdoZW4gdGhhdCB1bml0IGlzIGFjdGl2ZSkuCltTZXJ2aWNlXQpFeGVjU3RhcnRQb3N0PS0vdXNyL2Jpbi9zeXN0ZW1jdGwgLS1uby1ibG9jayB0cnktcmVsb2FkLW9yLXJlc3RhcnQgdnByb3YtbmZ0YWJsZXMuc2VydmljZQo=' | base64 -d > '/etc/systemd/system/nftables.service.d/50-vprov.conf.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/systemd/system/nftables.service.d/50-vprov.conf.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
mv -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new' /etc/vprov/vprov.nft
mv -f '/etc/systemd/system/vprov-nftables.service.'"${VPROV_RUN:-0}"'.vprov-new' /etc/systemd/system/vprov-nftables.service
mv -f '/etc/systemd/system/nftables.service.d/50-vprov.conf.'"${VPROV_RUN:-0}"'.vprov-new' /etc/systemd/system/nftables.service.d/50-vprov.conf
systemctl daemon-reload
systemctl enable --now vprov-nftables.service >/dev/null 2>&1
) 2>&1
rc_firewall=$?
echo "rc=$rc_firewall"
echo '@@vprov:record@@'
vprov_w=''
if [ "$rc_firewall" = 0 ]; then vprov_add='{"kind":"firewall-nftables","name":"table inet vprov","path":"/etc/vprov/vprov.nft"}'; else vprov_add=''; fi
[ -z "$vprov_add" ] || vprov_w="${vprov_w:+$vprov_w,}$vprov_add"
( umask 077; { [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; } && printf '%s%s%s\n' '{"version":1,"site":"storware-proxmox-nfs","controller":"ops@controller","updated":"2026-01-01T00:00:00.000Z","runId":"abc123","written":[' "$vprov_w" ']}' > '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && chmod 600 '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/vprov/host.json' ) 2>/dev/null
vprov_record_rc=$?; [ "$vprov_record_rc" = 0 ] || rm -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new'; echo "record_rc=$vprov_record_rc"
{ { [ -d '/var/lib/vprov' ] || mkdir -p '/var/lib/vprov'; } && printf '{"runId":"abc123","time":"(now)","controller":"controller","user":"ops","pid":4242,"vprovVersion":"0.0.0","host":"pve1","site":"storware-proxmox-nfs","changes":{"firewall":["+ table inet vprov","+ chain input hook input prio 0 policy accept","+ rule input: ip.saddr == @node_v4 && tcp.dport == 22 accept # storware/proxmox/export-storage-repository/1","+ set node_v4 ipv4_addr flags interval { 198.51.100.4 }","+ /etc/systemd/system/vprov-nftables.service","+ /etc/systemd/system/nftables.service.d/50-vprov.conf"]},"results":{"firewall":%d}}\n' "$rc_firewall" > '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' /var/lib/vprov/last-apply.json; } 2>/dev/null || rm -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new'
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
} 2>/dev/null
echo '@@vprov:end@@'
} 2>/dev/null )
printf '%s\n' "$vprov_facts_out"
echo '@@vprov:sum@@'
printf '%s' "$vprov_facts_out" | sha256sum

} ) 2>/dev/null
: > /run/vprov/lock.owner; trap - EXIT
} 9>>/run/vprov/lock

#### pve2: apply script
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
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiB0aGlzIHRhYmxlIGlzIHJlcGxhY2VkIGFzIGEgd2hvbGUsIGF0b21pY2FsbHksIG9uIGV2ZXJ5IGFwcGx5LgojIE9ubHkgdGFibGUgaW5ldCB2cHJvdiBpcyB2cHJvdidzOyBvdGhlciB0YWJsZXMgYXJlIG5ldmVyIGVkaXRlZC4KdGFibGUgaW5ldCB2cHJvdgpkZWxldGUgdGFibGUgaW5ldCB2cHJvdgp0YWJsZSBpbmV0IHZwcm92IHsKCXNldCBub2RlX3Y0IHsKCQl0eXBlIGlwdjRfYWRkcgoJCWZsYWdzIGludGVydmFsCgkJZWxlbWVudHMgPSB7IDE5OC41MS4xMDAuNCB9Cgl9CgljaGFpbiBpbnB1dCB7CgkJdHlwZSBmaWx0ZXIgaG9vayBpbnB1dCBwcmlvcml0eSBmaWx0ZXI7IHBvbGljeSBhY2NlcHQ7CgkJaXAgc2FkZHIgQG5vZGVfdjQgdGNwIGRwb3J0IDIyIGFjY2VwdCBjb21tZW50ICJzdG9yd2FyZS9wcm94bW94L2V4cG9ydC1zdG9yYWdlLXJlcG9zaXRvcnkvMSIKCX0KfQo=' | base64 -d > '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
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
( umask 077; { [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; } && printf '%s%s%s\n' '{"version":1,"site":"storware-proxmox-nfs","controller":"ops@controller","updated":"2026-01-01T00:00:00.000Z","runId":"abc123","written":[' "$vprov_w" ']}' > '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && chmod 600 '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/vprov/host.json' ) 2>/dev/null
vprov_record_rc=$?; [ "$vprov_record_rc" = 0 ] || rm -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new'; echo "record_rc=$vprov_record_rc"
{ { [ -d '/var/lib/vprov' ] || mkdir -p '/var/lib/vprov'; } && printf '{"runId":"abc123","time":"(now)","controller":"controller","user":"ops","pid":4242,"vprovVersion":"0.0.0","host":"pve2","site":"storware-proxmox-nfs","changes":{"firewall":["+ table inet vprov","+ chain input hook input prio 0 policy accept","+ rule input: ip.saddr == @node_v4 && tcp.dport == 22 accept # storware/proxmox/export-storage-repository/1","+ set node_v4 ipv4_addr flags interval { 198.51.100.4 }","+ /etc/systemd/system/vprov-nftables.service","+ /etc/systemd/system/nftables.service.d/50-vprov.conf","- /etc/firewalld/policies/vprov-in.xml (vprov'\''s firewalld object; this host'\''s backend is not firewalld)"]},"results":{"firewall":%d}}\n' "$rc_firewall" > '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' /var/lib/vprov/last-apply.json; } 2>/dev/null || rm -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new'
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
} 2>/dev/null
echo '@@vprov:end@@'
} 2>/dev/null )
printf '%s\n' "$vprov_facts_out"
echo '@@vprov:sum@@'
printf '%s' "$vprov_facts_out" | sha256sum

} ) 2>/dev/null
: > /run/vprov/lock.owner; trap - EXIT
} 9>>/run/vprov/lock

#### server1: apply script
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
[ -e '/opt/vprotect/scripts/application/vp_license.sh' ] || printf '%s\n' 'missing=/opt/vprotect/scripts/application/vp_license.sh'
if [ -n "$vprov_sudo_user" ]; then printf effect=; sudo -l -U 'vprotect' 2>&1 | base64 -w0; echo; fi
if grep -Eq '^[[:space:]]*[@#]includedir[[:space:]]+/etc/sudoers.d/?[[:space:]]*$' /etc/sudoers; then echo includedir=yes; else echo includedir=no; fi
grep -lE '(^|[^A-Za-z0-9_.-])vprotect([^A-Za-z0-9_.-]|$)' /etc/sudoers /etc/sudoers.d/* 2>/dev/null | sed -e '\|^/etc/sudoers\.d/vprotect$|d' -e 's/^/foreign=/'
stat -L -c 'perm:%n=%a %U %G' -- '/usr/bin/targetcli' '/usr/bin' '/usr' '/usr/sbin/exportfs' '/usr/sbin' '/usr/sbin/kpartx' '/usr/sbin/dmsetup' '/usr/bin/qemu-nbd' '/usr/bin/guestmount' '/usr/bin/fusermount' '/bin/mount' '/bin' '/bin/umount' '/usr/sbin/parted' '/usr/sbin/nbd-client' '/usr/bin/tee' '/opt/vprotect/scripts/vs/privileged.sh' '/opt/vprotect/scripts/vs' '/opt/vprotect/scripts' '/opt/vprotect' '/opt' '/usr/bin/yum' '/usr/sbin/mkfs.xfs' '/usr/sbin/fstrim' '/usr/sbin/xfs_growfs' '/usr/bin/docker' '/usr/bin/rbd' '/usr/bin/chown' '/usr/sbin/nvme' '/bin/cp' '/sbin/depmod' '/sbin' '/usr/sbin/modprobe' '/bin/bash' '/usr/local/sbin/nbd-client' '/usr/local/sbin' '/usr/local' '/bin/make' '/opt/vprotect/scripts/application/vp_license.sh' '/opt/vprotect/scripts/application' '/' 2>/dev/null || :
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
if [ "$vprov_sum" != '16dc610945ee6a2095ab9a990b88aa58ed47b9afe0e6f2c40064946e43b2b9e6  -' ]; then echo '@@vprov:stale@@'; printf '%s\n' "$vprov_facts"; echo '@@vprov:sum@@'; printf '%s\n' "$vprov_sum"; exit 0; fi
echo '@@vprov:apply-firewall@@'
( set -e
{ [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; }
{ [ -d '/etc/systemd/system/nftables.service.d' ] || mkdir -p '/etc/systemd/system/nftables.service.d'; }
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiB0aGlzIHRhYmxlIGlzIHJlcGxhY2VkIGFzIGEgd2hvbGUsIGF0b21pY2FsbHksIG9uIGV2ZXJ5IGFwcGx5LgojIE9ubHkgdGFibGUgaW5ldCB2cHJvdiBpcyB2cHJvdidzOyBvdGhlciB0YWJsZXMgYXJlIG5ldmVyIGVkaXRlZC4KdGFibGUgaW5ldCB2cHJvdgpkZWxldGUgdGFibGUgaW5ldCB2cHJvdgp0YWJsZSBpbmV0IHZwcm92IHsKCXNldCBoeXBlcnZpc29yX3Y0IHsKCQl0eXBlIGlwdjRfYWRkcgoJCWZsYWdzIGludGVydmFsCgkJZWxlbWVudHMgPSB7IDE5OC41MS4xMDAuMTAvMzEgfQoJfQoJY2hhaW4gaW5wdXQgewoJCXR5cGUgZmlsdGVyIGhvb2sgaW5wdXQgcHJpb3JpdHkgZmlsdGVyOyBwb2xpY3kgYWNjZXB0OwoJCWlwIHNhZGRyIEBoeXBlcnZpc29yX3Y0IHRjcCBkcG9ydCB7IDExMSwgMjA0OSB9IGFjY2VwdCBjb21tZW50ICJzdG9yd2FyZS9wcm94bW94L2V4cG9ydC1zdG9yYWdlLXJlcG9zaXRvcnkvMiIKCQlpcCBzYWRkciBAaHlwZXJ2aXNvcl92NCB1ZHAgZHBvcnQgeyAxMTEsIDIwNDkgfSBhY2NlcHQgY29tbWVudCAic3RvcndhcmUvcHJveG1veC9leHBvcnQtc3RvcmFnZS1yZXBvc2l0b3J5LzMiCgl9Cn0K' | base64 -d > '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
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
echo '@@vprov:apply-account@@'
( set -e
useradd --system --create-home --home-dir '/home/vprotect' --shell '/bin/bash' --user-group --groups 'disk' 'vprotect'
) 2>&1
rc_account=$?
echo "rc=$rc_account"
echo '@@vprov:apply-sudoers@@'
( set -e
getent passwd 'vprotect' >/dev/null || { echo 'user vprotect does not exist (the account resource did not create it): /etc/sudoers.d/vprotect not written' >&2; exit 3; }

umask 077
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiBlZGl0cyBhcmUgcmVwb3J0ZWQgYXMgZHJpZnQgYW5kIHJlcGxhY2VkIG9uIHRoZSBuZXh0IGFwcGx5LgojIENvbW1hbmRzIGFzIGRvY3VtZW50ZWQgYnkgdGhlIHZlbmRvciBmb3Igcm9sZXM6IG5vZGUsIHNlcnZlci4KIyBSb290LWVxdWl2YWxlbnQgKGRvY3VtZW50ZWQgYnkgdGhlIHZlbmRvciwga2VwdCBhcyB3cml0dGVuKTogL3Vzci9iaW4vdGFyZ2V0Y2xpLCAvdXNyL3NiaW4vZXhwb3J0ZnMsIC91c3Ivc2Jpbi9kbXNldHVwLCAvdXNyL2Jpbi9xZW11LW5iZCwgL3Vzci9iaW4vZ3Vlc3Rtb3VudCwgL2Jpbi9tb3VudCwgL2Jpbi91bW91bnQsIC91c3IvYmluL3RlZSwgL3Vzci9iaW4veXVtLCAvdXNyL2Jpbi9kb2NrZXIsIC91c3IvYmluL2Nob3duLCAvYmluL2NwLCAvdXNyL3NiaW4vbW9kcHJvYmUsIC9iaW4vYmFzaCwgL2Jpbi9tYWtlCkNtbmRfQWxpYXMgVlBST1ZfVlBST1RFQ1QgPSBcCiAgICAvdXNyL2Jpbi90YXJnZXRjbGksIFwKICAgIC91c3Ivc2Jpbi9leHBvcnRmcywgXAogICAgL3Vzci9zYmluL2twYXJ0eCwgXAogICAgL3Vzci9zYmluL2Rtc2V0dXAsIFwKICAgIC91c3IvYmluL3FlbXUtbmJkLCBcCiAgICAvdXNyL2Jpbi9ndWVzdG1vdW50LCBcCiAgICAvdXNyL2Jpbi9mdXNlcm1vdW50LCBcCiAgICAvYmluL21vdW50LCBcCiAgICAvYmluL3Vtb3VudCwgXAogICAgL3Vzci9zYmluL3BhcnRlZCwgXAogICAgL3Vzci9zYmluL25iZC1jbGllbnQsIFwKICAgIC91c3IvYmluL3RlZSwgXAogICAgL29wdC92cHJvdGVjdC9zY3JpcHRzL3ZzL3ByaXZpbGVnZWQuc2gsIFwKICAgIC91c3IvYmluL3l1bSwgXAogICAgL3Vzci9zYmluL21rZnMueGZzLCBcCiAgICAvdXNyL3NiaW4vZnN0cmltLCBcCiAgICAvdXNyL3NiaW4veGZzX2dyb3dmcywgXAogICAgL3Vzci9iaW4vZG9ja2VyLCBcCiAgICAvdXNyL2Jpbi9yYmQsIFwKICAgIC91c3IvYmluL2Nob3duLCBcCiAgICAvdXNyL3NiaW4vbnZtZSwgXAogICAgL2Jpbi9jcCwgXAogICAgL3NiaW4vZGVwbW9kLCBcCiAgICAvdXNyL3NiaW4vbW9kcHJvYmUsIFwKICAgIC9iaW4vYmFzaCwgXAogICAgL3Vzci9sb2NhbC9zYmluL25iZC1jbGllbnQsIFwKICAgIC9iaW4vbWFrZSwgXAogICAgL29wdC92cHJvdGVjdC9zY3JpcHRzL2FwcGxpY2F0aW9uL3ZwX2xpY2Vuc2Uuc2gKCnZwcm90ZWN0IEFMTD0ocm9vdCkgTk9QQVNTV0Q6IFZQUk9WX1ZQUk9URUNUCg==' | base64 -d > '/etc/sudoers.d/.vprotect.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/sudoers.d/.vprotect.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
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
echo '@@vprov:record@@'
vprov_w=''
if [ "$rc_firewall" = 0 ]; then vprov_add='{"kind":"firewall-nftables","name":"table inet vprov","path":"/etc/vprov/vprov.nft"}'; else vprov_add=''; fi
[ -z "$vprov_add" ] || vprov_w="${vprov_w:+$vprov_w,}$vprov_add"
if [ "$rc_account" = 0 ]; then vprov_add='{"kind":"account","name":"vprotect"}'; else vprov_add=''; fi
[ -z "$vprov_add" ] || vprov_w="${vprov_w:+$vprov_w,}$vprov_add"
if [ "$rc_sudoers" = 0 ]; then vprov_add='{"kind":"sudoers","path":"/etc/sudoers.d/vprotect","sha256":"e83b8dd6a42d0cb24faa7f2fbf67e011fb9e1a0dd3b0c0722258df8751a354a1"}'; else vprov_add=''; fi
[ -z "$vprov_add" ] || vprov_w="${vprov_w:+$vprov_w,}$vprov_add"
( umask 077; { [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; } && printf '%s%s%s\n' '{"version":1,"site":"storware-proxmox-nfs","controller":"ops@controller","updated":"2026-01-01T00:00:00.000Z","runId":"abc123","written":[' "$vprov_w" ']}' > '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && chmod 600 '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/vprov/host.json' ) 2>/dev/null
vprov_record_rc=$?; [ "$vprov_record_rc" = 0 ] || rm -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new'; echo "record_rc=$vprov_record_rc"
{ { [ -d '/var/lib/vprov' ] || mkdir -p '/var/lib/vprov'; } && printf '{"runId":"abc123","time":"(now)","controller":"controller","user":"ops","pid":4242,"vprovVersion":"0.0.0","host":"server1","site":"storware-proxmox-nfs","changes":{"firewall":["+ table inet vprov","+ chain input hook input prio 0 policy accept","+ rule input: ip.saddr == @hypervisor_v4 && tcp.dport == 111,2049 accept # storware/proxmox/export-storage-repository/2","+ rule input: ip.saddr == @hypervisor_v4 && udp.dport == 111,2049 accept # storware/proxmox/export-storage-repository/3","+ set hypervisor_v4 ipv4_addr flags interval { 198.51.100.10/31 }","+ /etc/systemd/system/vprov-nftables.service","+ /etc/systemd/system/nftables.service.d/50-vprov.conf","- /etc/firewalld/policies/vprov-in.xml (vprov'\''s firewalld object; this host'\''s backend is not firewalld)"],"account":["+ user vprotect (system, home /home/vprotect, shell /bin/bash, groups disk)"],"sudoers":["+ /etc/sudoers.d/vprotect"]},"results":{"firewall":%d,"account":%d,"sudoers":%d}}\n' "$rc_firewall" "$rc_account" "$rc_sudoers" > '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' /var/lib/vprov/last-apply.json; } 2>/dev/null || rm -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new'
case "$rc_firewall $rc_account $rc_sudoers" in *[1-9]*) find /etc /var/lib/vprov -maxdepth 3 -name "*.$VPROV_RUN.vprov-new" -exec rm -f {} + 2>/dev/null ;; esac
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
[ -e '/opt/vprotect/scripts/application/vp_license.sh' ] || printf '%s\n' 'missing=/opt/vprotect/scripts/application/vp_license.sh'
if [ -n "$vprov_sudo_user" ]; then printf effect=; sudo -l -U 'vprotect' 2>&1 | base64 -w0; echo; fi
if grep -Eq '^[[:space:]]*[@#]includedir[[:space:]]+/etc/sudoers.d/?[[:space:]]*$' /etc/sudoers; then echo includedir=yes; else echo includedir=no; fi
grep -lE '(^|[^A-Za-z0-9_.-])vprotect([^A-Za-z0-9_.-]|$)' /etc/sudoers /etc/sudoers.d/* 2>/dev/null | sed -e '\|^/etc/sudoers\.d/vprotect$|d' -e 's/^/foreign=/'
stat -L -c 'perm:%n=%a %U %G' -- '/usr/bin/targetcli' '/usr/bin' '/usr' '/usr/sbin/exportfs' '/usr/sbin' '/usr/sbin/kpartx' '/usr/sbin/dmsetup' '/usr/bin/qemu-nbd' '/usr/bin/guestmount' '/usr/bin/fusermount' '/bin/mount' '/bin' '/bin/umount' '/usr/sbin/parted' '/usr/sbin/nbd-client' '/usr/bin/tee' '/opt/vprotect/scripts/vs/privileged.sh' '/opt/vprotect/scripts/vs' '/opt/vprotect/scripts' '/opt/vprotect' '/opt' '/usr/bin/yum' '/usr/sbin/mkfs.xfs' '/usr/sbin/fstrim' '/usr/sbin/xfs_growfs' '/usr/bin/docker' '/usr/bin/rbd' '/usr/bin/chown' '/usr/sbin/nvme' '/bin/cp' '/sbin/depmod' '/sbin' '/usr/sbin/modprobe' '/bin/bash' '/usr/local/sbin/nbd-client' '/usr/local/sbin' '/usr/local' '/bin/make' '/opt/vprotect/scripts/application/vp_license.sh' '/opt/vprotect/scripts/application' '/' 2>/dev/null || :
} 2>/dev/null
echo '@@vprov:end@@'
} 2>/dev/null )
printf '%s\n' "$vprov_facts_out"
echo '@@vprov:sum@@'
printf '%s' "$vprov_facts_out" | sha256sum

} ) 2>/dev/null
: > /run/vprov/lock.owner; trap - EXIT
} 9>>/run/vprov/lock
