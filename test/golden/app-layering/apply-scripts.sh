#### appliance: apply script
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
if command -v ip >/dev/null 2>&1; then echo ipv4_read=yes; ip -4 -o addr show scope global | while read -r n i f a r; do echo "ipv4=$a $i"; done; else echo ipv4_read=no; fi
} 2>/dev/null
echo '@@vprov:end@@'
} 2>/dev/null )
vprov_sum=$(printf '%s' "$vprov_facts" | sha256sum)
if [ "$vprov_sum" != '16dc610945ee6a2095ab9a990b88aa58ed47b9afe0e6f2c40064946e43b2b9e6  -' ]; then echo '@@vprov:stale@@'; printf '%s\n' "$vprov_facts"; echo '@@vprov:sum@@'; printf '%s\n' "$vprov_sum"; exit 0; fi
echo '@@vprov:apply-firewall@@'
( set -e
{ [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; }
{ [ -d '/etc/systemd/system/nftables.service.d' ] || mkdir -p '/etc/systemd/system/nftables.service.d'; }
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiB0aGlzIHRhYmxlIGlzIHJlcGxhY2VkIGFzIGEgd2hvbGUsIGF0b21pY2FsbHksIG9uIGV2ZXJ5IGFwcGx5LgojIE9ubHkgdGFibGUgaW5ldCB2cHJvdiBpcyB2cHJvdidzOyBvdGhlciB0YWJsZXMgYXJlIG5ldmVyIGVkaXRlZC4KdGFibGUgaW5ldCB2cHJvdgpkZWxldGUgdGFibGUgaW5ldCB2cHJvdgp0YWJsZSBpbmV0IHZwcm92IHsKCXNldCBhZG1pbl92NCB7CgkJdHlwZSBpcHY0X2FkZHIKCQlmbGFncyBpbnRlcnZhbAoJCWVsZW1lbnRzID0geyAxMC4wLjUuMC8yNCB9Cgl9CglzZXQgYWdlbnRfdjQgewoJCXR5cGUgaXB2NF9hZGRyCgkJZmxhZ3MgaW50ZXJ2YWwKCQllbGVtZW50cyA9IHsgMTkyLjAuMi44MSwgMTkyLjAuMi44MiB9Cgl9CglzZXQgY29tcG9zaXRpbmdfbWFjaGluZV92NCB7CgkJdHlwZSBpcHY0X2FkZHIKCQlmbGFncyBpbnRlcnZhbAoJCWVsZW1lbnRzID0geyAxOTIuMC4yLjEyOC8yNSB9Cgl9CgljaGFpbiBpbnB1dCB7CgkJdHlwZSBmaWx0ZXIgaG9vayBpbnB1dCBwcmlvcml0eSBmaWx0ZXI7IHBvbGljeSBhY2NlcHQ7CgkJaXAgc2FkZHIgQGFkbWluX3Y0IHRjcCBkcG9ydCB7IDIyLCA4MCwgNDQzLCAzMDAwLCAzMDAyLCAzMDA0LCAzMDA2LCAzMDA5LCAzMDEyLCAzMDE1LTMwMTYsIDM1MDAsIDM1MDIsIDM1MDQsIDM1MDYsIDM1MDksIDM1MTIsIDM1MTUtMzUxNiwgODg4OCB9IGFjY2VwdCBjb21tZW50ICJhcHAtbGF5ZXJpbmcvYXBwbGlhbmNlL2FkbWluLXVzZXItYXBwLWxheWVyaW5nLWFwcGxpYW5jZS8xICsxNyIKCQlpcCBzYWRkciBAYWdlbnRfdjQgdGNwIGRwb3J0IHsgNDQzLCAzMDA5LCAzMDEyLCAzMDE1LCAzNTA5LCAzNTEyLCAzNTE1LCA4Nzg3IH0gYWNjZXB0IGNvbW1lbnQgImFwcC1sYXllcmluZy9hcHBsaWFuY2UvaW50ZXJuYWwtY29ubmVjdGlvbnMvMSArNSIKCQlpcCBzYWRkciBAY29tcG9zaXRpbmdfbWFjaGluZV92NCB0Y3AgZHBvcnQgeyA0NDMsIDMyNjAgfSBhY2NlcHQgY29tbWVudCAiYXBwLWxheWVyaW5nL2FwcGxpYW5jZS9pbnRlcm5hbC1jb25uZWN0aW9ucy84ICsxIgoJfQp9Cg==' | base64 -d > '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
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
( umask 077; { [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; } && printf '%s%s%s\n' '{"version":1,"site":"app-layering","controller":"ops@controller","updated":"2026-01-01T00:00:00.000Z","runId":"abc123","written":[' "$vprov_w" ']}' > '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && chmod 600 '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/vprov/host.json' ) 2>/dev/null
vprov_record_rc=$?; [ "$vprov_record_rc" = 0 ] || rm -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new'; echo "record_rc=$vprov_record_rc"
{ { [ -d '/var/lib/vprov' ] || mkdir -p '/var/lib/vprov'; } && printf '{"runId":"abc123","time":"(now)","controller":"controller","user":"ops","pid":4242,"vprovVersion":"0.0.0","host":"appliance","site":"app-layering","changes":{"firewall":["+ table inet vprov","+ chain input hook input prio 0 policy accept","+ rule input: ip.saddr == @admin_v4 && tcp.dport == 22,80,443,3000,3002,3004,3006,3009,3012,3015-3016,3500,3502,3504,3506,3509,3512,3515-3516,8888 accept # app-layering/appliance/admin-user-app-layering-appliance/1 +17","+ rule input: ip.saddr == @agent_v4 && tcp.dport == 443,3009,3012,3015,3509,3512,3515,8787 accept # app-layering/appliance/internal-connections/1 +5","+ rule input: ip.saddr == @compositing_machine_v4 && tcp.dport == 443,3260 accept # app-layering/appliance/internal-connections/8 +1","+ set admin_v4 ipv4_addr flags interval { 10.0.5.0/24 }","+ set agent_v4 ipv4_addr flags interval { 192.0.2.81-192.0.2.82 }","+ set compositing_machine_v4 ipv4_addr flags interval { 192.0.2.128/25 }","+ /etc/systemd/system/vprov-nftables.service","+ /etc/systemd/system/nftables.service.d/50-vprov.conf","- /etc/firewalld/policies/vprov-in.xml (vprov'\''s firewalld object; this host'\''s backend is not firewalld)"]},"results":{"firewall":%d}}\n' "$rc_firewall" > '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' /var/lib/vprov/last-apply.json; } 2>/dev/null || rm -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new'
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

#### pvs1: apply script
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
{ [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; }
{ [ -d '/etc/systemd/system/nftables.service.d' ] || mkdir -p '/etc/systemd/system/nftables.service.d'; }
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiB0aGlzIHRhYmxlIGlzIHJlcGxhY2VkIGFzIGEgd2hvbGUsIGF0b21pY2FsbHksIG9uIGV2ZXJ5IGFwcGx5LgojIE9ubHkgdGFibGUgaW5ldCB2cHJvdiBpcyB2cHJvdidzOyBvdGhlciB0YWJsZXMgYXJlIG5ldmVyIGVkaXRlZC4KdGFibGUgaW5ldCB2cHJvdgpkZWxldGUgdGFibGUgaW5ldCB2cHJvdgp0YWJsZSBpbmV0IHZwcm92IHsKCXNldCBhcHBsaWFuY2VfdjQgewoJCXR5cGUgaXB2NF9hZGRyCgkJZmxhZ3MgaW50ZXJ2YWwKCQllbGVtZW50cyA9IHsgMTkyLjAuMi44MCB9Cgl9CgljaGFpbiBpbnB1dCB7CgkJdHlwZSBmaWx0ZXIgaG9vayBpbnB1dCBwcmlvcml0eSBmaWx0ZXI7IHBvbGljeSBhY2NlcHQ7CgkJaXAgc2FkZHIgQGFwcGxpYW5jZV92NCB0Y3AgZHBvcnQgODAxNiBhY2NlcHQgY29tbWVudCAiYXBwLWxheWVyaW5nL2FwcGxpYW5jZS9pbnRlcm5hbC1jb25uZWN0aW9ucy8yICsyIgoJfQp9Cg==' | base64 -d > '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
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
( umask 077; { [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; } && printf '%s%s%s\n' '{"version":1,"site":"app-layering","controller":"ops@controller","updated":"2026-01-01T00:00:00.000Z","runId":"abc123","written":[' "$vprov_w" ']}' > '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && chmod 600 '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/vprov/host.json' ) 2>/dev/null
vprov_record_rc=$?; [ "$vprov_record_rc" = 0 ] || rm -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new'; echo "record_rc=$vprov_record_rc"
{ { [ -d '/var/lib/vprov' ] || mkdir -p '/var/lib/vprov'; } && printf '{"runId":"abc123","time":"(now)","controller":"controller","user":"ops","pid":4242,"vprovVersion":"0.0.0","host":"pvs1","site":"app-layering","changes":{"firewall":["+ table inet vprov","+ chain input hook input prio 0 policy accept","+ rule input: ip.saddr == @appliance_v4 && tcp.dport == 8016 accept # app-layering/appliance/internal-connections/2 +2","+ set appliance_v4 ipv4_addr flags interval { 192.0.2.80 }","+ /etc/systemd/system/vprov-nftables.service","+ /etc/systemd/system/nftables.service.d/50-vprov.conf"]},"results":{"firewall":%d}}\n' "$rc_firewall" > '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' /var/lib/vprov/last-apply.json; } 2>/dev/null || rm -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new'
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
