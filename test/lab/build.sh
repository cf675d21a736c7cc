#!/usr/bin/env bash
# Makes this machine lab-ready from nothing and builds the lab image offline
# (no container registry here): apt packages, dockerd, debootstrap + docker import.
# Idempotent: skips every step that is already done. Contract: docs/design.md §8 and docs/testing.md.
# The image carries the hash of this file (label vprov.lab.recipe): a changed recipe rebuilds
# it, an unchanged one is reused.
set -euo pipefail

IMAGE="${VPROV_LAB_IMAGE:-vprov-lab:bookworm}"
RECIPE="$(sha256sum "$0" | cut -c1-16)"
MIRROR="${VPROV_LAB_MIRROR:-http://deb.debian.org/debian}"
SUITE=bookworm

log() { printf '[lab] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# The image may ship a docker client without a daemon: probe the daemon, not the client.
docker_up() { docker info >/dev/null 2>&1; }

ensure_dockerd() {
  if docker_up; then return; fi
  log "starting dockerd"
  as_root mkdir -p /var/log
  # setsid: dockerd must outlive this script and the shell that ran it.
  as_root setsid dockerd >/var/log/vprov-dockerd.log 2>&1 < /dev/null &
  for _ in $(seq 1 60); do
    if docker_up; then return; fi
    sleep 1
  done
  log "dockerd did not come up; last log lines:"; tail -n 20 /var/log/vprov-dockerd.log >&2 || true
  exit 1
}

write_lab_init() {
  local root="$1"
  cat >"$root/usr/local/sbin/lab-init" <<'INIT'
#!/bin/sh
# Lab host entrypoint: authorize the test key, optionally start firewalld, run sshd.
# With --boot it runs as a unit under systemd (systemd lab hosts): same key and firewall
# choice, read from PID 1's environment, and systemd starts sshd and firewalld.
set -e
if [ "${1:-}" = --boot ]; then
  AUTHORIZED_KEY="$(tr '\0' '\n' </proc/1/environ | sed -n 's/^AUTHORIZED_KEY=//p')"
  FIREWALL="$(tr '\0' '\n' </proc/1/environ | sed -n 's/^FIREWALL=//p')"
fi
if [ -n "${AUTHORIZED_KEY:-}" ]; then
  install -d -m 700 -o ops -g ops /home/ops/.ssh
  printf '%s\n' "$AUTHORIZED_KEY" > /home/ops/.ssh/authorized_keys
  chown ops:ops /home/ops/.ssh/authorized_keys
  chmod 600 /home/ops/.ssh/authorized_keys
fi
# Per-container host keys: every lab host has its own identity, as real hosts do.
ssh-keygen -A >/dev/null
if [ "${1:-}" = --boot ]; then
  # A boot, as on a real host: firewalld is an enabled unit, started in order by systemd.
  if [ "${FIREWALL:-}" = firewalld ]; then systemctl enable --quiet --now --no-block firewalld.service; fi
  exit 0
fi
mkdir -p /run/sshd
if [ "${FIREWALL:-}" = firewalld ]; then
  mkdir -p /run/dbus
  rm -f /run/dbus/pid
  dbus-daemon --system --fork
  firewalld
  i=0
  until firewall-cmd --state >/dev/null 2>&1; do
    i=$((i + 1)); [ "$i" -gt 100 ] && { echo "firewalld did not start" >&2; break; }
    sleep 0.2
  done
fi
exec /usr/sbin/sshd -D -e
INIT
  chmod 755 "$root/usr/local/sbin/lab-init"
  cat >"$root/etc/systemd/system/vprov-lab-init.service" <<'UNIT'
[Unit]
Description=vprov lab host: authorized key, host keys, firewall choice
Before=ssh.service firewalld.service
DefaultDependencies=no
After=local-fs.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/sbin/lab-init --boot

[Install]
WantedBy=multi-user.target
UNIT
  mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
  ln -sf /etc/systemd/system/vprov-lab-init.service "$root/etc/systemd/system/multi-user.target.wants/vprov-lab-init.service"
}

build_image() {
  local work root
  work="$(mktemp -d /var/tmp/vprov-lab.XXXXXX)"
  root="$work/rootfs"
  # Unmount on any exit so a failed build never leaves /proc mounted in a temp dir.
  trap 'as_root umount "'"$root"'/proc" 2>/dev/null || true; as_root rm -rf "'"$work"'"' EXIT
  log "debootstrap $SUITE into $root (minbase)"
  as_root debootstrap --variant=minbase \
    --include=openssh-server,sudo,nftables,iproute2,passwd,procps,python3-minimal \
    "$SUITE" "$root" "$MIRROR" >"$work/debootstrap.log" 2>&1 || {
      tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
  as_root mount -t proc proc "$root/proc"
  # firewalld inside debootstrap fails on polkitd/logind; netbase avoids INVALID_PROTOCOL.
  log "installing firewalld, dbus, netbase, selinux-utils, policycoreutils in the chroot"
  as_root chroot "$root" /bin/sh -c '
    set -e
    export DEBIAN_FRONTEND=noninteractive
    printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends firewalld dbus netbase selinux-utils policycoreutils >/dev/null
    rm -f /usr/sbin/policy-rc.d
    # systemd lab hosts: firewalld runs only where lab-init enables it (FIREWALL=firewalld).
    systemctl disable --quiet firewalld.service
    useradd -m -s /bin/bash ops
    passwd -l ops >/dev/null 2>&1 || true
    usermod -p "*" ops
    # ops sudo lives in /etc/sudoers itself: /etc/sudoers.d stays free of drop-ins.
    echo "ops ALL=(ALL) NOPASSWD: ALL" >> /etc/sudoers
    visudo -c >/dev/null
    rm -f /etc/ssh/ssh_host_*
    apt-get clean
    rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
  ' || { log "chroot setup failed"; exit 1; }
  as_root umount "$root/proc"
  write_lab_init "$root"
  log "importing $IMAGE"
  as_root tar -C "$root" -c . | docker import \
    -c 'ENTRYPOINT ["/usr/local/sbin/lab-init"]' \
    -c 'EXPOSE 22' \
    -c "LABEL vprov.lab.recipe=$RECIPE" \
    - "$IMAGE" >/dev/null
  log "built $IMAGE"
}

ensure_packages
ensure_dockerd
# One build at a time on a shared machine; the second caller finds the image built.
exec 9>/tmp/vprov-lab-build.lock
flock 9
if [ "$(docker image inspect "$IMAGE" --format '{{index .Config.Labels "vprov.lab.recipe"}}' 2>/dev/null)" = "$RECIPE" ]; then
  log "$IMAGE present (recipe $RECIPE)"
else
  build_image
fi
