#### hv1: apply script
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
mkdir -p /etc/firewalld/ipsets /etc/firewalld/policies
rm -f '/etc/firewalld/ipsets/vprov-node_v4.xml.vprov-old'; if [ -f '/etc/firewalld/ipsets/vprov-node_v4.xml' ]; then cp -p '/etc/firewalld/ipsets/vprov-node_v4.xml' '/etc/firewalld/ipsets/vprov-node_v4.xml.vprov-old'; fi
rm -f '/etc/firewalld/policies/vprov-in.xml.vprov-old'; if [ -f '/etc/firewalld/policies/vprov-in.xml' ]; then cp -p '/etc/firewalld/policies/vprov-in.xml' '/etc/firewalld/policies/vprov-in.xml.vprov-old'; fi
if ! printf '%s' 'PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz4KPCEtLSBNYW5hZ2VkIGJ5IHZwcm92OiByZXBsYWNlZCBvbiBldmVyeSBhcHBseTsgcmVtb3ZlZCB3aGVuIG5vIGZsb3cgbmVlZHMgaXQuIC0tPgo8aXBzZXQgdHlwZT0iaGFzaDpuZXQiPgogIDxzaG9ydD52cHJvdiBub2RlX3Y0PC9zaG9ydD4KICA8ZGVzY3JpcHRpb24+U291cmNlcyBvZiByb2xlIG5vZGUgKGluZXQpLCBtYW5hZ2VkIGJ5IHZwcm92PC9kZXNjcmlwdGlvbj4KICA8b3B0aW9uIG5hbWU9ImZhbWlseSIgdmFsdWU9ImluZXQiLz4KICA8ZW50cnk+MTkyLjAuMi41PC9lbnRyeT4KICA8ZW50cnk+MTkyLjAuMi42PC9lbnRyeT4KPC9pcHNldD4K' | base64 -d > '/etc/firewalld/ipsets/vprov-node_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/firewalld/ipsets/vprov-node_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
mv -f '/etc/firewalld/ipsets/vprov-node_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/firewalld/ipsets/vprov-node_v4.xml'
if ! printf '%s' 'PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz4KPCEtLSBNYW5hZ2VkIGJ5IHZwcm92OiBpbmJvdW5kIGFjY2VwdHMgZm9yIHRoZSBkb2N1bWVudGVkIGZsb3dzLCBmcm9tIGFueSB6b25lIHRvIHRoaXMgaG9zdC4KICAgICBab25lcyBhbmQgdGhlaXIgc2VydmljZXMgYXJlIG5ldmVyIHRvdWNoZWQuIC0tPgo8cG9saWN5IHRhcmdldD0iQ09OVElOVUUiIHByaW9yaXR5PSItMTAwIj4KICA8c2hvcnQ+dnByb3Y8L3Nob3J0PgogIDxkZXNjcmlwdGlvbj5Eb2N1bWVudGVkIGZsb3dzLCBtYW5hZ2VkIGJ5IHZwcm92PC9kZXNjcmlwdGlvbj4KICA8aW5ncmVzcy16b25lIG5hbWU9IkFOWSIvPgogIDxlZ3Jlc3Mtem9uZSBuYW1lPSJIT1NUIi8+CiAgPHJ1bGUgZmFtaWx5PSJpcHY0Ij4KICAgIDxzb3VyY2UgaXBzZXQ9InZwcm92LW5vZGVfdjQiLz4KICAgIDxwb3J0IHBvcnQ9IjIyIiBwcm90b2NvbD0idGNwIi8+CiAgICA8YWNjZXB0Lz4KICA8L3J1bGU+CjwvcG9saWN5Pgo=' | base64 -d > '/etc/firewalld/policies/vprov-in.xml.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/firewalld/policies/vprov-in.xml.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
mv -f '/etc/firewalld/policies/vprov-in.xml.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/firewalld/policies/vprov-in.xml'
if ! out=$(firewall-offline-cmd --check-config 2>&1); then
  if [ -f '/etc/firewalld/ipsets/vprov-node_v4.xml.vprov-old' ]; then mv -f '/etc/firewalld/ipsets/vprov-node_v4.xml.vprov-old' '/etc/firewalld/ipsets/vprov-node_v4.xml'; else rm -f '/etc/firewalld/ipsets/vprov-node_v4.xml'; fi
  if [ -f '/etc/firewalld/policies/vprov-in.xml.vprov-old' ]; then mv -f '/etc/firewalld/policies/vprov-in.xml.vprov-old' '/etc/firewalld/policies/vprov-in.xml'; else rm -f '/etc/firewalld/policies/vprov-in.xml'; fi
  echo "firewalld refused the configuration, previous files restored: $out" >&2; exit 3
fi
rm -f '/etc/firewalld/ipsets/vprov-node_v4.xml.vprov-old' '/etc/firewalld/policies/vprov-in.xml.vprov-old'
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
( umask 077; { [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; } && printf '%s%s%s\n' '{"version":1,"site":"storware-openstack","controller":"ops@controller","updated":"2026-01-01T00:00:00.000Z","runId":"abc123","written":[' "$vprov_w" ']}' > '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && chmod 600 '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/vprov/host.json' ) 2>/dev/null
vprov_record_rc=$?; [ "$vprov_record_rc" = 0 ] || rm -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new'; echo "record_rc=$vprov_record_rc"
{ { [ -d '/var/lib/vprov' ] || mkdir -p '/var/lib/vprov'; } && printf '{"runId":"abc123","time":"(now)","controller":"controller","user":"ops","pid":4242,"vprovVersion":"0.0.0","host":"hv1","site":"storware-openstack","changes":{"firewall":["+ ipset vprov-node_v4 hash:net inet { 192.0.2.5, 192.0.2.6 }","+ policy vprov-in target=CONTINUE priority=-100 ingress=ANY egress=HOST","+ policy vprov-in: rule family=\\"ipv4\\" source ipset=\\"vprov-node_v4\\" port port=\\"22\\" protocol=\\"tcp\\" accept","+ /etc/firewalld/ipsets/vprov-node_v4.xml","+ /etc/firewalld/policies/vprov-in.xml","- /etc/vprov/vprov.nft"]},"results":{"firewall":%d}}\n' "$rc_firewall" > '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' /var/lib/vprov/last-apply.json; } 2>/dev/null || rm -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new'
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

#### hv2: apply script
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
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiB0aGlzIHRhYmxlIGlzIHJlcGxhY2VkIGFzIGEgd2hvbGUsIGF0b21pY2FsbHksIG9uIGV2ZXJ5IGFwcGx5LgojIE9ubHkgdGFibGUgaW5ldCB2cHJvdiBpcyB2cHJvdidzOyBvdGhlciB0YWJsZXMgYXJlIG5ldmVyIGVkaXRlZC4KdGFibGUgaW5ldCB2cHJvdgpkZWxldGUgdGFibGUgaW5ldCB2cHJvdgp0YWJsZSBpbmV0IHZwcm92IHsKCXNldCBub2RlX3Y0IHsKCQl0eXBlIGlwdjRfYWRkcgoJCWZsYWdzIGludGVydmFsCgkJZWxlbWVudHMgPSB7IDE5Mi4wLjIuNSwgMTkyLjAuMi42IH0KCX0KCWNoYWluIGlucHV0IHsKCQl0eXBlIGZpbHRlciBob29rIGlucHV0IHByaW9yaXR5IGZpbHRlcjsgcG9saWN5IGFjY2VwdDsKCQlpcCBzYWRkciBAbm9kZV92NCB0Y3AgZHBvcnQgMjIgYWNjZXB0IGNvbW1lbnQgInN0b3J3YXJlL29wZW5zdGFjay9zc2gtdHJhbnNmZXIvMSIKCX0KfQo=' | base64 -d > '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
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
( umask 077; { [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; } && printf '%s%s%s\n' '{"version":1,"site":"storware-openstack","controller":"ops@controller","updated":"2026-01-01T00:00:00.000Z","runId":"abc123","written":[' "$vprov_w" ']}' > '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && chmod 600 '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/vprov/host.json' ) 2>/dev/null
vprov_record_rc=$?; [ "$vprov_record_rc" = 0 ] || rm -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new'; echo "record_rc=$vprov_record_rc"
{ { [ -d '/var/lib/vprov' ] || mkdir -p '/var/lib/vprov'; } && printf '{"runId":"abc123","time":"(now)","controller":"controller","user":"ops","pid":4242,"vprovVersion":"0.0.0","host":"hv2","site":"storware-openstack","changes":{"firewall":["+ table inet vprov","+ chain input hook input prio 0 policy accept","+ rule input: ip.saddr == @node_v4 && tcp.dport == 22 accept # storware/openstack/ssh-transfer/1","+ set node_v4 ipv4_addr flags interval { 192.0.2.5-192.0.2.6 }","+ /etc/systemd/system/vprov-nftables.service","+ /etc/systemd/system/nftables.service.d/50-vprov.conf","- /etc/firewalld/policies/vprov-in.xml (vprov'\''s firewalld object; this host'\''s backend is not firewalld)"]},"results":{"firewall":%d}}\n' "$rc_firewall" > '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' /var/lib/vprov/last-apply.json; } 2>/dev/null || rm -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new'
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

#### hv3: apply script
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
mkdir -p /etc/firewalld/ipsets /etc/firewalld/policies
rm -f '/etc/firewalld/ipsets/vprov-node_v4.xml.vprov-old'; if [ -f '/etc/firewalld/ipsets/vprov-node_v4.xml' ]; then cp -p '/etc/firewalld/ipsets/vprov-node_v4.xml' '/etc/firewalld/ipsets/vprov-node_v4.xml.vprov-old'; fi
rm -f '/etc/firewalld/policies/vprov-in.xml.vprov-old'; if [ -f '/etc/firewalld/policies/vprov-in.xml' ]; then cp -p '/etc/firewalld/policies/vprov-in.xml' '/etc/firewalld/policies/vprov-in.xml.vprov-old'; fi
if ! printf '%s' 'PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz4KPCEtLSBNYW5hZ2VkIGJ5IHZwcm92OiByZXBsYWNlZCBvbiBldmVyeSBhcHBseTsgcmVtb3ZlZCB3aGVuIG5vIGZsb3cgbmVlZHMgaXQuIC0tPgo8aXBzZXQgdHlwZT0iaGFzaDpuZXQiPgogIDxzaG9ydD52cHJvdiBub2RlX3Y0PC9zaG9ydD4KICA8ZGVzY3JpcHRpb24+U291cmNlcyBvZiByb2xlIG5vZGUgKGluZXQpLCBtYW5hZ2VkIGJ5IHZwcm92PC9kZXNjcmlwdGlvbj4KICA8b3B0aW9uIG5hbWU9ImZhbWlseSIgdmFsdWU9ImluZXQiLz4KICA8ZW50cnk+MTkyLjAuMi41PC9lbnRyeT4KICA8ZW50cnk+MTkyLjAuMi42PC9lbnRyeT4KPC9pcHNldD4K' | base64 -d > '/etc/firewalld/ipsets/vprov-node_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/firewalld/ipsets/vprov-node_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
mv -f '/etc/firewalld/ipsets/vprov-node_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/firewalld/ipsets/vprov-node_v4.xml'
if ! printf '%s' 'PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz4KPCEtLSBNYW5hZ2VkIGJ5IHZwcm92OiBpbmJvdW5kIGFjY2VwdHMgZm9yIHRoZSBkb2N1bWVudGVkIGZsb3dzLCBmcm9tIGFueSB6b25lIHRvIHRoaXMgaG9zdC4KICAgICBab25lcyBhbmQgdGhlaXIgc2VydmljZXMgYXJlIG5ldmVyIHRvdWNoZWQuIC0tPgo8cG9saWN5IHRhcmdldD0iQ09OVElOVUUiIHByaW9yaXR5PSItMTAwIj4KICA8c2hvcnQ+dnByb3Y8L3Nob3J0PgogIDxkZXNjcmlwdGlvbj5Eb2N1bWVudGVkIGZsb3dzLCBtYW5hZ2VkIGJ5IHZwcm92PC9kZXNjcmlwdGlvbj4KICA8aW5ncmVzcy16b25lIG5hbWU9IkFOWSIvPgogIDxlZ3Jlc3Mtem9uZSBuYW1lPSJIT1NUIi8+CiAgPHJ1bGUgZmFtaWx5PSJpcHY0Ij4KICAgIDxzb3VyY2UgaXBzZXQ9InZwcm92LW5vZGVfdjQiLz4KICAgIDxwb3J0IHBvcnQ9IjIyIiBwcm90b2NvbD0idGNwIi8+CiAgICA8YWNjZXB0Lz4KICA8L3J1bGU+CjwvcG9saWN5Pgo=' | base64 -d > '/etc/firewalld/policies/vprov-in.xml.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/firewalld/policies/vprov-in.xml.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
mv -f '/etc/firewalld/policies/vprov-in.xml.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/firewalld/policies/vprov-in.xml'
if ! out=$(firewall-offline-cmd --check-config 2>&1); then
  if [ -f '/etc/firewalld/ipsets/vprov-node_v4.xml.vprov-old' ]; then mv -f '/etc/firewalld/ipsets/vprov-node_v4.xml.vprov-old' '/etc/firewalld/ipsets/vprov-node_v4.xml'; else rm -f '/etc/firewalld/ipsets/vprov-node_v4.xml'; fi
  if [ -f '/etc/firewalld/policies/vprov-in.xml.vprov-old' ]; then mv -f '/etc/firewalld/policies/vprov-in.xml.vprov-old' '/etc/firewalld/policies/vprov-in.xml'; else rm -f '/etc/firewalld/policies/vprov-in.xml'; fi
  echo "firewalld refused the configuration, previous files restored: $out" >&2; exit 3
fi
rm -f '/etc/firewalld/ipsets/vprov-node_v4.xml.vprov-old' '/etc/firewalld/policies/vprov-in.xml.vprov-old'
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
( umask 077; { [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; } && printf '%s%s%s\n' '{"version":1,"site":"storware-openstack","controller":"ops@controller","updated":"2026-01-01T00:00:00.000Z","runId":"abc123","written":[' "$vprov_w" ']}' > '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && chmod 600 '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/vprov/host.json' ) 2>/dev/null
vprov_record_rc=$?; [ "$vprov_record_rc" = 0 ] || rm -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new'; echo "record_rc=$vprov_record_rc"
{ { [ -d '/var/lib/vprov' ] || mkdir -p '/var/lib/vprov'; } && printf '{"runId":"abc123","time":"(now)","controller":"controller","user":"ops","pid":4242,"vprovVersion":"0.0.0","host":"hv3","site":"storware-openstack","changes":{"firewall":["+ ipset vprov-node_v4 hash:net inet { 192.0.2.5, 192.0.2.6 }","+ policy vprov-in target=CONTINUE priority=-100 ingress=ANY egress=HOST","+ policy vprov-in: rule family=\\"ipv4\\" source ipset=\\"vprov-node_v4\\" port port=\\"22\\" protocol=\\"tcp\\" accept","+ /etc/firewalld/ipsets/vprov-node_v4.xml","+ /etc/firewalld/policies/vprov-in.xml","- /etc/vprov/vprov.nft"]},"results":{"firewall":%d}}\n' "$rc_firewall" > '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' /var/lib/vprov/last-apply.json; } 2>/dev/null || rm -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new'
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
mkdir -p /etc/firewalld/ipsets /etc/firewalld/policies
rm -f '/etc/firewalld/ipsets/vprov-hypervisor_v4.xml.vprov-old'; if [ -f '/etc/firewalld/ipsets/vprov-hypervisor_v4.xml' ]; then cp -p '/etc/firewalld/ipsets/vprov-hypervisor_v4.xml' '/etc/firewalld/ipsets/vprov-hypervisor_v4.xml.vprov-old'; fi
rm -f '/etc/firewalld/ipsets/vprov-hypervisor_v6.xml.vprov-old'; if [ -f '/etc/firewalld/ipsets/vprov-hypervisor_v6.xml' ]; then cp -p '/etc/firewalld/ipsets/vprov-hypervisor_v6.xml' '/etc/firewalld/ipsets/vprov-hypervisor_v6.xml.vprov-old'; fi
rm -f '/etc/firewalld/policies/vprov-in.xml.vprov-old'; if [ -f '/etc/firewalld/policies/vprov-in.xml' ]; then cp -p '/etc/firewalld/policies/vprov-in.xml' '/etc/firewalld/policies/vprov-in.xml.vprov-old'; fi
if ! printf '%s' 'PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz4KPCEtLSBNYW5hZ2VkIGJ5IHZwcm92OiByZXBsYWNlZCBvbiBldmVyeSBhcHBseTsgcmVtb3ZlZCB3aGVuIG5vIGZsb3cgbmVlZHMgaXQuIC0tPgo8aXBzZXQgdHlwZT0iaGFzaDpuZXQiPgogIDxzaG9ydD52cHJvdiBoeXBlcnZpc29yX3Y0PC9zaG9ydD4KICA8ZGVzY3JpcHRpb24+U291cmNlcyBvZiByb2xlIGh5cGVydmlzb3IgKGluZXQpLCBtYW5hZ2VkIGJ5IHZwcm92PC9kZXNjcmlwdGlvbj4KICA8b3B0aW9uIG5hbWU9ImZhbWlseSIgdmFsdWU9ImluZXQiLz4KICA8ZW50cnk+MTkyLjAuMi4xMC8zMTwvZW50cnk+CjwvaXBzZXQ+Cg==' | base64 -d > '/etc/firewalld/ipsets/vprov-hypervisor_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/firewalld/ipsets/vprov-hypervisor_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
mv -f '/etc/firewalld/ipsets/vprov-hypervisor_v4.xml.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/firewalld/ipsets/vprov-hypervisor_v4.xml'
if ! printf '%s' 'PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz4KPCEtLSBNYW5hZ2VkIGJ5IHZwcm92OiByZXBsYWNlZCBvbiBldmVyeSBhcHBseTsgcmVtb3ZlZCB3aGVuIG5vIGZsb3cgbmVlZHMgaXQuIC0tPgo8aXBzZXQgdHlwZT0iaGFzaDpuZXQiPgogIDxzaG9ydD52cHJvdiBoeXBlcnZpc29yX3Y2PC9zaG9ydD4KICA8ZGVzY3JpcHRpb24+U291cmNlcyBvZiByb2xlIGh5cGVydmlzb3IgKGluZXQ2KSwgbWFuYWdlZCBieSB2cHJvdjwvZGVzY3JpcHRpb24+CiAgPG9wdGlvbiBuYW1lPSJmYW1pbHkiIHZhbHVlPSJpbmV0NiIvPgogIDxlbnRyeT4yMDAxOmRiODo6MTI8L2VudHJ5Pgo8L2lwc2V0Pgo=' | base64 -d > '/etc/firewalld/ipsets/vprov-hypervisor_v6.xml.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/firewalld/ipsets/vprov-hypervisor_v6.xml.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
mv -f '/etc/firewalld/ipsets/vprov-hypervisor_v6.xml.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/firewalld/ipsets/vprov-hypervisor_v6.xml'
if ! printf '%s' 'PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz4KPCEtLSBNYW5hZ2VkIGJ5IHZwcm92OiBpbmJvdW5kIGFjY2VwdHMgZm9yIHRoZSBkb2N1bWVudGVkIGZsb3dzLCBmcm9tIGFueSB6b25lIHRvIHRoaXMgaG9zdC4KICAgICBab25lcyBhbmQgdGhlaXIgc2VydmljZXMgYXJlIG5ldmVyIHRvdWNoZWQuIC0tPgo8cG9saWN5IHRhcmdldD0iQ09OVElOVUUiIHByaW9yaXR5PSItMTAwIj4KICA8c2hvcnQ+dnByb3Y8L3Nob3J0PgogIDxkZXNjcmlwdGlvbj5Eb2N1bWVudGVkIGZsb3dzLCBtYW5hZ2VkIGJ5IHZwcm92PC9kZXNjcmlwdGlvbj4KICA8aW5ncmVzcy16b25lIG5hbWU9IkFOWSIvPgogIDxlZ3Jlc3Mtem9uZSBuYW1lPSJIT1NUIi8+CiAgPHJ1bGUgZmFtaWx5PSJpcHY0Ij4KICAgIDxzb3VyY2UgaXBzZXQ9InZwcm92LWh5cGVydmlzb3JfdjQiLz4KICAgIDxwb3J0IHBvcnQ9IjE2MDAwLTE2OTk5IiBwcm90b2NvbD0idGNwIi8+CiAgICA8YWNjZXB0Lz4KICA8L3J1bGU+CiAgPHJ1bGUgZmFtaWx5PSJpcHY2Ij4KICAgIDxzb3VyY2UgaXBzZXQ9InZwcm92LWh5cGVydmlzb3JfdjYiLz4KICAgIDxwb3J0IHBvcnQ9IjE2MDAwLTE2OTk5IiBwcm90b2NvbD0idGNwIi8+CiAgICA8YWNjZXB0Lz4KICA8L3J1bGU+CjwvcG9saWN5Pgo=' | base64 -d > '/etc/firewalld/policies/vprov-in.xml.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/firewalld/policies/vprov-in.xml.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
mv -f '/etc/firewalld/policies/vprov-in.xml.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/firewalld/policies/vprov-in.xml'
if ! out=$(firewall-offline-cmd --check-config 2>&1); then
  if [ -f '/etc/firewalld/ipsets/vprov-hypervisor_v4.xml.vprov-old' ]; then mv -f '/etc/firewalld/ipsets/vprov-hypervisor_v4.xml.vprov-old' '/etc/firewalld/ipsets/vprov-hypervisor_v4.xml'; else rm -f '/etc/firewalld/ipsets/vprov-hypervisor_v4.xml'; fi
  if [ -f '/etc/firewalld/ipsets/vprov-hypervisor_v6.xml.vprov-old' ]; then mv -f '/etc/firewalld/ipsets/vprov-hypervisor_v6.xml.vprov-old' '/etc/firewalld/ipsets/vprov-hypervisor_v6.xml'; else rm -f '/etc/firewalld/ipsets/vprov-hypervisor_v6.xml'; fi
  if [ -f '/etc/firewalld/policies/vprov-in.xml.vprov-old' ]; then mv -f '/etc/firewalld/policies/vprov-in.xml.vprov-old' '/etc/firewalld/policies/vprov-in.xml'; else rm -f '/etc/firewalld/policies/vprov-in.xml'; fi
  echo "firewalld refused the configuration, previous files restored: $out" >&2; exit 3
fi
rm -f '/etc/firewalld/ipsets/vprov-hypervisor_v4.xml.vprov-old' '/etc/firewalld/ipsets/vprov-hypervisor_v6.xml.vprov-old' '/etc/firewalld/policies/vprov-in.xml.vprov-old'
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
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiBlZGl0cyBhcmUgcmVwb3J0ZWQgYXMgZHJpZnQgYW5kIHJlcGxhY2VkIG9uIHRoZSBuZXh0IGFwcGx5LgojIENvbW1hbmRzIGFzIGRvY3VtZW50ZWQgYnkgdGhlIHZlbmRvciBmb3Igcm9sZXM6IG5vZGUuCiMgUm9vdC1lcXVpdmFsZW50IChkb2N1bWVudGVkIGJ5IHRoZSB2ZW5kb3IsIGtlcHQgYXMgd3JpdHRlbik6IC91c3IvYmluL3RhcmdldGNsaSwgL3Vzci9zYmluL2V4cG9ydGZzLCAvdXNyL3NiaW4vZG1zZXR1cCwgL3Vzci9iaW4vcWVtdS1uYmQsIC91c3IvYmluL2d1ZXN0bW91bnQsIC9iaW4vbW91bnQsIC9iaW4vdW1vdW50LCAvdXNyL2Jpbi90ZWUsIC91c3IvYmluL3l1bSwgL3Vzci9iaW4vZG9ja2VyLCAvdXNyL2Jpbi9jaG93biwgL2Jpbi9jcCwgL3Vzci9zYmluL21vZHByb2JlLCAvYmluL2Jhc2gsIC9iaW4vbWFrZQpDbW5kX0FsaWFzIFZQUk9WX1ZQUk9URUNUID0gXAogICAgL3Vzci9iaW4vdGFyZ2V0Y2xpLCBcCiAgICAvdXNyL3NiaW4vZXhwb3J0ZnMsIFwKICAgIC91c3Ivc2Jpbi9rcGFydHgsIFwKICAgIC91c3Ivc2Jpbi9kbXNldHVwLCBcCiAgICAvdXNyL2Jpbi9xZW11LW5iZCwgXAogICAgL3Vzci9iaW4vZ3Vlc3Rtb3VudCwgXAogICAgL3Vzci9iaW4vZnVzZXJtb3VudCwgXAogICAgL2Jpbi9tb3VudCwgXAogICAgL2Jpbi91bW91bnQsIFwKICAgIC91c3Ivc2Jpbi9wYXJ0ZWQsIFwKICAgIC91c3Ivc2Jpbi9uYmQtY2xpZW50LCBcCiAgICAvdXNyL2Jpbi90ZWUsIFwKICAgIC9vcHQvdnByb3RlY3Qvc2NyaXB0cy92cy9wcml2aWxlZ2VkLnNoLCBcCiAgICAvdXNyL2Jpbi95dW0sIFwKICAgIC91c3Ivc2Jpbi9ta2ZzLnhmcywgXAogICAgL3Vzci9zYmluL2ZzdHJpbSwgXAogICAgL3Vzci9zYmluL3hmc19ncm93ZnMsIFwKICAgIC91c3IvYmluL2RvY2tlciwgXAogICAgL3Vzci9iaW4vcmJkLCBcCiAgICAvdXNyL2Jpbi9jaG93biwgXAogICAgL3Vzci9zYmluL252bWUsIFwKICAgIC9iaW4vY3AsIFwKICAgIC9zYmluL2RlcG1vZCwgXAogICAgL3Vzci9zYmluL21vZHByb2JlLCBcCiAgICAvYmluL2Jhc2gsIFwKICAgIC91c3IvbG9jYWwvc2Jpbi9uYmQtY2xpZW50LCBcCiAgICAvYmluL21ha2UKCnZwcm90ZWN0IEFMTD0ocm9vdCkgTk9QQVNTV0Q6IFZQUk9WX1ZQUk9URUNUCg==' | base64 -d > '/etc/sudoers.d/.vprotect.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/sudoers.d/.vprotect.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
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
if [ "$rc_firewall" = 0 ]; then vprov_add='{"kind":"firewall-firewalld","name":"vprov-*"}'; else vprov_add=''; fi
[ -z "$vprov_add" ] || vprov_w="${vprov_w:+$vprov_w,}$vprov_add"
if [ "$rc_sudoers" = 0 ]; then vprov_add='{"kind":"sudoers","path":"/etc/sudoers.d/vprotect","sha256":"23e91826e77e73187f1a749fecc0c928755c1f9614f534397bdb1f5fbf2d1a12"}'; else vprov_add=''; fi
[ -z "$vprov_add" ] || vprov_w="${vprov_w:+$vprov_w,}$vprov_add"
( umask 077; { [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; } && printf '%s%s%s\n' '{"version":1,"site":"storware-openstack","controller":"ops@controller","updated":"2026-01-01T00:00:00.000Z","runId":"abc123","written":[' "$vprov_w" ']}' > '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && chmod 600 '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/vprov/host.json' ) 2>/dev/null
vprov_record_rc=$?; [ "$vprov_record_rc" = 0 ] || rm -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new'; echo "record_rc=$vprov_record_rc"
{ { [ -d '/var/lib/vprov' ] || mkdir -p '/var/lib/vprov'; } && printf '{"runId":"abc123","time":"(now)","controller":"controller","user":"ops","pid":4242,"vprovVersion":"0.0.0","host":"node1","site":"storware-openstack","changes":{"firewall":["+ ipset vprov-hypervisor_v4 hash:net inet { 192.0.2.10/31 }","+ ipset vprov-hypervisor_v6 hash:net inet6 { 2001:db8::12 }","+ policy vprov-in target=CONTINUE priority=-100 ingress=ANY egress=HOST","+ policy vprov-in: rule family=\\"ipv4\\" source ipset=\\"vprov-hypervisor_v4\\" port port=\\"16000-16999\\" protocol=\\"tcp\\" accept","+ policy vprov-in: rule family=\\"ipv6\\" source ipset=\\"vprov-hypervisor_v6\\" port port=\\"16000-16999\\" protocol=\\"tcp\\" accept","+ /etc/firewalld/ipsets/vprov-hypervisor_v4.xml","+ /etc/firewalld/ipsets/vprov-hypervisor_v6.xml","+ /etc/firewalld/policies/vprov-in.xml","- /etc/vprov/vprov.nft"],"account":["+ vprotect in group disk (other groups kept: vprotect)","~ vprotect shell /bin/sh → /bin/bash"],"sudoers":["~ /etc/sudoers.d/vprotect (content)","~ /etc/sudoers.d/vprotect mode/owner 644 root root → 440 root root"],"selinux":["~ /etc/selinux/config: SELINUX=enforcing → permissive","~ runtime enforcing → permissive (setenforce)"]},"results":{"firewall":%d,"account":%d,"sudoers":%d,"selinux":%d}}\n' "$rc_firewall" "$rc_account" "$rc_sudoers" "$rc_selinux" > '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' /var/lib/vprov/last-apply.json; } 2>/dev/null || rm -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new'
case "$rc_firewall $rc_account $rc_sudoers $rc_selinux" in *[1-9]*) find /etc /var/lib/vprov -maxdepth 3 -name "*.$VPROV_RUN.vprov-new" -exec rm -f {} + 2>/dev/null ;; esac
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
printf '%s\n' "$vprov_facts_out"
echo '@@vprov:sum@@'
printf '%s' "$vprov_facts_out" | sha256sum

} ) 2>/dev/null
: > /run/vprov/lock.owner; trap - EXIT
} 9>>/run/vprov/lock

#### node2: apply script
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
if [ "$vprov_sum" != '16dc610945ee6a2095ab9a990b88aa58ed47b9afe0e6f2c40064946e43b2b9e6  -' ]; then echo '@@vprov:stale@@'; printf '%s\n' "$vprov_facts"; echo '@@vprov:sum@@'; printf '%s\n' "$vprov_sum"; exit 0; fi
echo '@@vprov:apply-firewall@@'
( set -e
{ [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; }
{ [ -d '/etc/systemd/system/nftables.service.d' ] || mkdir -p '/etc/systemd/system/nftables.service.d'; }
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiB0aGlzIHRhYmxlIGlzIHJlcGxhY2VkIGFzIGEgd2hvbGUsIGF0b21pY2FsbHksIG9uIGV2ZXJ5IGFwcGx5LgojIE9ubHkgdGFibGUgaW5ldCB2cHJvdiBpcyB2cHJvdidzOyBvdGhlciB0YWJsZXMgYXJlIG5ldmVyIGVkaXRlZC4KdGFibGUgaW5ldCB2cHJvdgpkZWxldGUgdGFibGUgaW5ldCB2cHJvdgp0YWJsZSBpbmV0IHZwcm92IHsKCXNldCBoeXBlcnZpc29yX3Y0IHsKCQl0eXBlIGlwdjRfYWRkcgoJCWZsYWdzIGludGVydmFsCgkJZWxlbWVudHMgPSB7IDE5Mi4wLjIuMTAvMzEgfQoJfQoJc2V0IGh5cGVydmlzb3JfdjYgewoJCXR5cGUgaXB2Nl9hZGRyCgkJZmxhZ3MgaW50ZXJ2YWwKCQllbGVtZW50cyA9IHsgMjAwMTpkYjg6OjEyIH0KCX0KCWNoYWluIGlucHV0IHsKCQl0eXBlIGZpbHRlciBob29rIGlucHV0IHByaW9yaXR5IGZpbHRlcjsgcG9saWN5IGFjY2VwdDsKCQlpcCBzYWRkciBAaHlwZXJ2aXNvcl92NCB0Y3AgZHBvcnQgMTYwMDAtMTY5OTkgYWNjZXB0IGNvbW1lbnQgInN0b3J3YXJlL29wZW5zdGFjay9zc2gtdHJhbnNmZXIvMiIKCQlpcDYgc2FkZHIgQGh5cGVydmlzb3JfdjYgdGNwIGRwb3J0IDE2MDAwLTE2OTk5IGFjY2VwdCBjb21tZW50ICJzdG9yd2FyZS9vcGVuc3RhY2svc3NoLXRyYW5zZmVyLzIiCgl9Cn0K' | base64 -d > '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/vprov/vprov.nft.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
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
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiBlZGl0cyBhcmUgcmVwb3J0ZWQgYXMgZHJpZnQgYW5kIHJlcGxhY2VkIG9uIHRoZSBuZXh0IGFwcGx5LgojIENvbW1hbmRzIGFzIGRvY3VtZW50ZWQgYnkgdGhlIHZlbmRvciBmb3Igcm9sZXM6IG5vZGUuCiMgUm9vdC1lcXVpdmFsZW50IChkb2N1bWVudGVkIGJ5IHRoZSB2ZW5kb3IsIGtlcHQgYXMgd3JpdHRlbik6IC91c3IvYmluL3RhcmdldGNsaSwgL3Vzci9zYmluL2V4cG9ydGZzLCAvdXNyL3NiaW4vZG1zZXR1cCwgL3Vzci9iaW4vcWVtdS1uYmQsIC91c3IvYmluL2d1ZXN0bW91bnQsIC9iaW4vbW91bnQsIC9iaW4vdW1vdW50LCAvdXNyL2Jpbi90ZWUsIC91c3IvYmluL3l1bSwgL3Vzci9iaW4vZG9ja2VyLCAvdXNyL2Jpbi9jaG93biwgL2Jpbi9jcCwgL3Vzci9zYmluL21vZHByb2JlLCAvYmluL2Jhc2gsIC9iaW4vbWFrZQpDbW5kX0FsaWFzIFZQUk9WX1ZQUk9URUNUID0gXAogICAgL3Vzci9iaW4vdGFyZ2V0Y2xpLCBcCiAgICAvdXNyL3NiaW4vZXhwb3J0ZnMsIFwKICAgIC91c3Ivc2Jpbi9rcGFydHgsIFwKICAgIC91c3Ivc2Jpbi9kbXNldHVwLCBcCiAgICAvdXNyL2Jpbi9xZW11LW5iZCwgXAogICAgL3Vzci9iaW4vZ3Vlc3Rtb3VudCwgXAogICAgL3Vzci9iaW4vZnVzZXJtb3VudCwgXAogICAgL2Jpbi9tb3VudCwgXAogICAgL2Jpbi91bW91bnQsIFwKICAgIC91c3Ivc2Jpbi9wYXJ0ZWQsIFwKICAgIC91c3Ivc2Jpbi9uYmQtY2xpZW50LCBcCiAgICAvdXNyL2Jpbi90ZWUsIFwKICAgIC9vcHQvdnByb3RlY3Qvc2NyaXB0cy92cy9wcml2aWxlZ2VkLnNoLCBcCiAgICAvdXNyL2Jpbi95dW0sIFwKICAgIC91c3Ivc2Jpbi9ta2ZzLnhmcywgXAogICAgL3Vzci9zYmluL2ZzdHJpbSwgXAogICAgL3Vzci9zYmluL3hmc19ncm93ZnMsIFwKICAgIC91c3IvYmluL2RvY2tlciwgXAogICAgL3Vzci9iaW4vcmJkLCBcCiAgICAvdXNyL2Jpbi9jaG93biwgXAogICAgL3Vzci9zYmluL252bWUsIFwKICAgIC9iaW4vY3AsIFwKICAgIC9zYmluL2RlcG1vZCwgXAogICAgL3Vzci9zYmluL21vZHByb2JlLCBcCiAgICAvYmluL2Jhc2gsIFwKICAgIC91c3IvbG9jYWwvc2Jpbi9uYmQtY2xpZW50LCBcCiAgICAvYmluL21ha2UKCnZwcm90ZWN0IEFMTD0ocm9vdCkgTk9QQVNTV0Q6IFZQUk9WX1ZQUk9URUNUCg==' | base64 -d > '/etc/sudoers.d/.vprotect.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/sudoers.d/.vprotect.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
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
if [ "$rc_sudoers" = 0 ]; then vprov_add='{"kind":"sudoers","path":"/etc/sudoers.d/vprotect","sha256":"23e91826e77e73187f1a749fecc0c928755c1f9614f534397bdb1f5fbf2d1a12"}'; else vprov_add=''; fi
[ -z "$vprov_add" ] || vprov_w="${vprov_w:+$vprov_w,}$vprov_add"
( umask 077; { [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; } && printf '%s%s%s\n' '{"version":1,"site":"storware-openstack","controller":"ops@controller","updated":"2026-01-01T00:00:00.000Z","runId":"abc123","written":[' "$vprov_w" ']}' > '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && chmod 600 '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/vprov/host.json' ) 2>/dev/null
vprov_record_rc=$?; [ "$vprov_record_rc" = 0 ] || rm -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new'; echo "record_rc=$vprov_record_rc"
{ { [ -d '/var/lib/vprov' ] || mkdir -p '/var/lib/vprov'; } && printf '{"runId":"abc123","time":"(now)","controller":"controller","user":"ops","pid":4242,"vprovVersion":"0.0.0","host":"node2","site":"storware-openstack","changes":{"firewall":["+ table inet vprov","+ chain input hook input prio 0 policy accept","+ rule input: ip.saddr == @hypervisor_v4 && tcp.dport == 16000-16999 accept # storware/openstack/ssh-transfer/2","+ rule input: ip6.saddr == @hypervisor_v6 && tcp.dport == 16000-16999 accept # storware/openstack/ssh-transfer/2","+ set hypervisor_v4 ipv4_addr flags interval { 192.0.2.10/31 }","+ set hypervisor_v6 ipv6_addr flags interval { 2001:db8::12 }","+ /etc/systemd/system/vprov-nftables.service","+ /etc/systemd/system/nftables.service.d/50-vprov.conf","- /etc/firewalld/policies/vprov-in.xml (vprov'\''s firewalld object; this host'\''s backend is not firewalld)"],"account":["+ user vprotect (system, home /home/vprotect, shell /bin/bash, groups disk)"],"sudoers":["+ /etc/sudoers.d/vprotect"]},"results":{"firewall":%d,"account":%d,"sudoers":%d}}\n' "$rc_firewall" "$rc_account" "$rc_sudoers" > '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' /var/lib/vprov/last-apply.json; } 2>/dev/null || rm -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new'
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
if pw=$(getent passwd 'vprotect'); then echo "exists=yes"; printf '%s\n' "passwd=$pw"; printf 'groups=%s\n' "$(id -nG 'vprotect')"; else echo "exists=no"; fi
echo "sys_uid_max=$(awk '$1 == "SYS_UID_MAX" { print $2 }' /etc/login.defs 2>/dev/null)"
getent group 'disk' >/dev/null && echo 'group:disk=yes' || echo 'group:disk=no'
} 2>/dev/null
echo '@@vprov:sudoers@@'
{
if getent passwd 'vprotect' >/dev/null; then echo user=yes; vprov_sudo_user=1; else echo user=no; vprov_sudo_user=; fi
if [ -f '/etc/sudoers.d/vprotect' ]; then printf content=; { base64 -w0 < '/etc/sudoers.d/vprotect' || printf '%s' '!unreadable'; }; echo; else echo content=absent; fi
if [ -e '/etc/sudoers.d/vprotect' ]; then stat -c 'meta=%a %U %G' '/etc/sudoers.d/vprotect' || echo meta=; fi
[ -e '/opt/vprotect/scripts/application/vp_license.sh' ] || printf '%s\n' 'missing=/opt/vprotect/scripts/application/vp_license.sh'
[ -e '/bin/umount' ] || printf '%s\n' 'missing=/bin/umount'
[ -e '/bin/mount' ] || printf '%s\n' 'missing=/bin/mount'
if [ -n "$vprov_sudo_user" ]; then printf effect=; sudo -l -U 'vprotect' 2>&1 | base64 -w0; echo; fi
if grep -Eq '^[[:space:]]*[@#]includedir[[:space:]]+/etc/sudoers.d/?[[:space:]]*$' /etc/sudoers; then echo includedir=yes; else echo includedir=no; fi
grep -lE '(^|[^A-Za-z0-9_.-])vprotect([^A-Za-z0-9_.-]|$)' /etc/sudoers /etc/sudoers.d/* 2>/dev/null | sed -e '\|^/etc/sudoers\.d/vprotect$|d' -e 's/^/foreign=/'
stat -L -c 'perm:%n=%a %U %G' -- '/opt/vprotect/scripts/application/vp_license.sh' '/opt/vprotect/scripts/application' '/opt/vprotect/scripts' '/opt/vprotect' '/opt' '/bin/umount' '/bin' '/bin/mount' '/' 2>/dev/null || :
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
if ! printf '%s' 'IyBNYW5hZ2VkIGJ5IHZwcm92OiBlZGl0cyBhcmUgcmVwb3J0ZWQgYXMgZHJpZnQgYW5kIHJlcGxhY2VkIG9uIHRoZSBuZXh0IGFwcGx5LgojIENvbW1hbmRzIGFzIGRvY3VtZW50ZWQgYnkgdGhlIHZlbmRvciBmb3Igcm9sZXM6IHNlcnZlci4KIyBSb290LWVxdWl2YWxlbnQgKGRvY3VtZW50ZWQgYnkgdGhlIHZlbmRvciwga2VwdCBhcyB3cml0dGVuKTogL2Jpbi91bW91bnQsIC9iaW4vbW91bnQKQ21uZF9BbGlhcyBWUFJPVl9WUFJPVEVDVCA9IFwKICAgIC9vcHQvdnByb3RlY3Qvc2NyaXB0cy9hcHBsaWNhdGlvbi92cF9saWNlbnNlLnNoLCBcCiAgICAvYmluL3Vtb3VudCwgXAogICAgL2Jpbi9tb3VudAoKdnByb3RlY3QgQUxMPShyb290KSBOT1BBU1NXRDogVlBST1ZfVlBST1RFQ1QK' | base64 -d > '/etc/sudoers.d/.vprotect.'"${VPROV_RUN:-0}"'.vprov-new'; then rm -f '/etc/sudoers.d/.vprotect.'"${VPROV_RUN:-0}"'.vprov-new'; exit 3; fi
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
if [ "$rc_firewall" = 0 ]; then vprov_add=''; else vprov_add=''; fi
[ -z "$vprov_add" ] || vprov_w="${vprov_w:+$vprov_w,}$vprov_add"
if [ "$rc_account" = 0 ]; then vprov_add='{"kind":"account","name":"vprotect"}'; else vprov_add=''; fi
[ -z "$vprov_add" ] || vprov_w="${vprov_w:+$vprov_w,}$vprov_add"
if [ "$rc_sudoers" = 0 ]; then vprov_add='{"kind":"sudoers","path":"/etc/sudoers.d/vprotect","sha256":"2abd792c7f039ff7c5d86b37cd46c21ec576e9c7f5176e9b3b6337361e7bbbd6"}'; else vprov_add=''; fi
[ -z "$vprov_add" ] || vprov_w="${vprov_w:+$vprov_w,}$vprov_add"
( umask 077; { [ -d '/etc/vprov' ] || mkdir -p '/etc/vprov'; } && printf '%s%s%s\n' '{"version":1,"site":"storware-openstack","controller":"ops@controller","updated":"2026-01-01T00:00:00.000Z","runId":"abc123","written":[' "$vprov_w" ']}' > '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && chmod 600 '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new' '/etc/vprov/host.json' ) 2>/dev/null
vprov_record_rc=$?; [ "$vprov_record_rc" = 0 ] || rm -f '/etc/vprov/host.json.'"${VPROV_RUN:-0}"'.vprov-new'; echo "record_rc=$vprov_record_rc"
{ { [ -d '/var/lib/vprov' ] || mkdir -p '/var/lib/vprov'; } && printf '{"runId":"abc123","time":"(now)","controller":"controller","user":"ops","pid":4242,"vprovVersion":"0.0.0","host":"server1","site":"storware-openstack","changes":{"firewall":["- /etc/firewalld/policies/vprov-in.xml (vprov'\''s firewalld object; this host'\''s backend is not firewalld)"],"account":["+ user vprotect (system, home /home/vprotect, shell /bin/bash, groups disk)"],"sudoers":["+ /etc/sudoers.d/vprotect"]},"results":{"firewall":%d,"account":%d,"sudoers":%d}}\n' "$rc_firewall" "$rc_account" "$rc_sudoers" > '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' && mv -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new' /var/lib/vprov/last-apply.json; } 2>/dev/null || rm -f '/var/lib/vprov/last-apply.json.'"${VPROV_RUN:-0}"'.vprov-new'
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
if pw=$(getent passwd 'vprotect'); then echo "exists=yes"; printf '%s\n' "passwd=$pw"; printf 'groups=%s\n' "$(id -nG 'vprotect')"; else echo "exists=no"; fi
echo "sys_uid_max=$(awk '$1 == "SYS_UID_MAX" { print $2 }' /etc/login.defs 2>/dev/null)"
getent group 'disk' >/dev/null && echo 'group:disk=yes' || echo 'group:disk=no'
} 2>/dev/null
echo '@@vprov:sudoers@@'
{
if getent passwd 'vprotect' >/dev/null; then echo user=yes; vprov_sudo_user=1; else echo user=no; vprov_sudo_user=; fi
if [ -f '/etc/sudoers.d/vprotect' ]; then printf content=; { base64 -w0 < '/etc/sudoers.d/vprotect' || printf '%s' '!unreadable'; }; echo; else echo content=absent; fi
if [ -e '/etc/sudoers.d/vprotect' ]; then stat -c 'meta=%a %U %G' '/etc/sudoers.d/vprotect' || echo meta=; fi
[ -e '/opt/vprotect/scripts/application/vp_license.sh' ] || printf '%s\n' 'missing=/opt/vprotect/scripts/application/vp_license.sh'
[ -e '/bin/umount' ] || printf '%s\n' 'missing=/bin/umount'
[ -e '/bin/mount' ] || printf '%s\n' 'missing=/bin/mount'
if [ -n "$vprov_sudo_user" ]; then printf effect=; sudo -l -U 'vprotect' 2>&1 | base64 -w0; echo; fi
if grep -Eq '^[[:space:]]*[@#]includedir[[:space:]]+/etc/sudoers.d/?[[:space:]]*$' /etc/sudoers; then echo includedir=yes; else echo includedir=no; fi
grep -lE '(^|[^A-Za-z0-9_.-])vprotect([^A-Za-z0-9_.-]|$)' /etc/sudoers /etc/sudoers.d/* 2>/dev/null | sed -e '\|^/etc/sudoers\.d/vprotect$|d' -e 's/^/foreign=/'
stat -L -c 'perm:%n=%a %U %G' -- '/opt/vprotect/scripts/application/vp_license.sh' '/opt/vprotect/scripts/application' '/opt/vprotect/scripts' '/opt/vprotect' '/opt' '/bin/umount' '/bin' '/bin/mount' '/' 2>/dev/null || :
} 2>/dev/null
echo '@@vprov:end@@'
} 2>/dev/null )
printf '%s\n' "$vprov_facts_out"
echo '@@vprov:sum@@'
printf '%s' "$vprov_facts_out" | sha256sum

} ) 2>/dev/null
: > /run/vprov/lock.owner; trap - EXIT
} 9>>/run/vprov/lock
