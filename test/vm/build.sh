#!/usr/bin/env bash
# Builds the SELinux test VM offline from Debian packages: debootstrap bookworm with a kernel,
# systemd, sshd, SELinux policy, nftables and firewalld; files labelled with setfiles in the
# chroot; an ext4 image made with `mkfs.ext4 -d`. The VM boots with QEMU -kernel/-initrd
# (test/vm/vm.js), so no boot loader is installed.
#
# Cached by the hash of this file (the recipe): a changed recipe builds a new image beside the
# old one, an unchanged one is reused. Prints the cache directory on stdout. Idempotent and
# safe to run concurrently (flock). See docs/testing.md.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
MIRROR="${VPROV_VM_MIRROR:-http://deb.debian.org/debian}"
CACHE="${VPROV_VM_CACHE:-/var/cache/vprov-vm}"
SUITE=bookworm
RECIPE="$(sha256sum "$HERE/build.sh" | cut -c1-16)"
OUT="$CACHE/$SUITE-$RECIPE"

log() { printf '[vm] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_packages() {
  local missing=()
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  command -v qemu-system-x86_64 >/dev/null 2>&1 || missing+=(qemu-system-x86)
  command -v qemu-img >/dev/null 2>&1 || missing+=(qemu-utils)
  command -v mkfs.ext4 >/dev/null 2>&1 || missing+=(e2fsprogs)
  command -v ssh-keygen >/dev/null 2>&1 || missing+=(openssh-client)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# Guest configuration, written into the chroot before labelling.
configure_guest() {
  local root="$1" pubkey="$2"
  cat >"$root/etc/fstab" <<'EOF'
/dev/vda / ext4 rw,relatime 0 1
EOF
  echo vprov-vm >"$root/etc/hostname"
  printf '127.0.0.1 localhost\n127.0.1.1 vprov-vm\n' >"$root/etc/hosts"
  mkdir -p "$root/etc/systemd/network"
  cat >"$root/etc/systemd/network/10-wired.network" <<'EOF'
[Match]
Name=en* eth*

[Network]
DHCP=ipv4
EOF
  # SELinux starts permissive; tests switch it. SELINUXTYPE is Debian's policy name.
  cat >"$root/etc/selinux/config" <<'EOF'
SELINUX=permissive
SELINUXTYPE=default
EOF
  install -d -m 700 "$root/home/ops/.ssh"
  printf '%s\n' "$pubkey" >"$root/home/ops/.ssh/authorized_keys"
  chmod 600 "$root/home/ops/.ssh/authorized_keys"
  # Fast boot: no waiting for "network online", no serial getty prompts needed by tests.
  cat >"$root/etc/ssh/sshd_config.d/vprov-vm.conf" <<'EOF'
UseDNS no
PasswordAuthentication no
EOF
}

build_image() {
  local work root
  as_root mkdir -p "$CACHE"
  work="$(mktemp -d "$CACHE/.build.XXXXXX")"
  root="$work/rootfs"
  trap 'for m in dev/pts dev sys proc; do as_root umount "'"$root"'/$m" 2>/dev/null || true; done; as_root rm -rf "'"$work"'"' EXIT
  log "debootstrap $SUITE into $root (recipe $RECIPE)"
  as_root debootstrap --variant=minbase \
    --include=systemd-sysv,openssh-server,sudo,iproute2,netbase,nftables,procps,passwd,kmod,udev \
    "$SUITE" "$root" "$MIRROR" >"$work/debootstrap.log" 2>&1 || {
      tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
  as_root mount -t proc proc "$root/proc"
  as_root mount -t sysfs sys "$root/sys"
  as_root mount --bind /dev "$root/dev"
  as_root mount --bind /dev/pts "$root/dev/pts"
  log "installing kernel, SELinux, auditd, firewalld in the chroot"
  as_root chroot "$root" /bin/sh -c '
    set -e
    export DEBIAN_FRONTEND=noninteractive
    printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends linux-image-amd64 initramfs-tools \
      selinux-basics selinux-policy-default selinux-utils policycoreutils auditd \
      firewalld dbus netbase python3-selinux >/dev/null
    rm -f /usr/sbin/policy-rc.d
    useradd -m -s /bin/bash ops
    usermod -p "*" ops
    echo "ops ALL=(ALL) NOPASSWD: ALL" >> /etc/sudoers
    visudo -c >/dev/null
    systemctl enable systemd-networkd ssh auditd >/dev/null 2>&1
    # firewalld is started by the tests that need it; nftables.service stays as Debian ships it.
    systemctl disable firewalld >/dev/null 2>&1 || true
    systemctl mask systemd-networkd-wait-online >/dev/null 2>&1 || true
    passwd -d root >/dev/null
    apt-get clean
    rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
  ' >"$work/chroot.log" 2>&1 || { tail -n 40 "$work/chroot.log" >&2; log "chroot setup failed"; exit 1; }
  ssh-keygen -q -t ed25519 -N '' -C vprov-vm -f "$work/id_ed25519"
  configure_guest "$root" "$(cat "$work/id_ed25519.pub")"
  as_root chroot "$root" chown -R ops:ops /home/ops/.ssh
  # setfiles needs /proc (it labels symlinks through /proc/self/fd); the mounts are skipped.
  log "labelling files with setfiles"
  as_root chroot "$root" setfiles -F -e /proc -e /sys -e /dev /etc/selinux/default/contexts/files/file_contexts / \
    >"$work/setfiles.log" 2>&1 || { tail -n 20 "$work/setfiles.log" >&2; exit 1; }
  for m in dev/pts dev sys proc; do as_root umount "$root/$m"; done
  cp "$root"/boot/vmlinuz-* "$work/vmlinuz"
  cp "$root"/boot/initrd.img-* "$work/initrd.img"
  local mb
  mb=$(( $(du -sm "$root" | cut -f1) + 768 ))
  log "mkfs.ext4 -d (${mb} MiB)"
  mkfs.ext4 -q -F -L vprov-vm -d "$root" "$work/rootfs.ext4" "${mb}M"
  # The labels must have reached the image: mkfs -d copies extended attributes.
  debugfs -R 'ea_get /etc/shadow security.selinux' "$work/rootfs.ext4" 2>/dev/null | grep -q shadow_t || {
    log "SELinux labels missing from the image"; exit 1; }
  as_root rm -rf "$root" "$work"/*.log
  mv "$work" "$OUT"
  trap - EXIT
  log "built $OUT"
}

ensure_packages
as_root mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9
if [ -f "$OUT/rootfs.ext4" ]; then
  log "image $OUT present"
else
  build_image
fi
echo "$OUT"
