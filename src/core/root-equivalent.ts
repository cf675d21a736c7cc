/**
 * Commands that give root to whoever may run them through sudo: shell escapes, arbitrary file
 * writes, package and module loading, and mounting (a mount, an NBD/iSCSI export, a device-mapper
 * table or a FUSE image can put any file where root reads it). Pure; shared by lint and compile.
 */
const ROOT_EQUIVALENT = new Set([
  'bash',
  'sh',
  'zsh',
  'tee',
  'cp',
  'mv',
  'chown',
  'chmod',
  'dd',
  'docker',
  'podman',
  'yum',
  'dnf',
  'apt',
  'apt-get',
  'rpm',
  'modprobe',
  'insmod',
  'make',
  'python',
  'python3',
  'perl',
  'vi',
  'vim',
  'less',
  'find',
  'tar',
  'mount',
  'umount',
  'exportfs',
  'dmsetup',
  'qemu-nbd',
  'targetcli',
  'guestmount',
]);

export function isRootEquivalent(command: string): boolean {
  return ROOT_EQUIVALENT.has(command.slice(command.lastIndexOf('/') + 1));
}
