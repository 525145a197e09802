/**
 * A small disk for a server process: a tmpfs of its own, mounted in a mount namespace of its
 * own (`unshare`), so the rest of the machine sees nothing of it. Most of it is taken by a
 * filler file, so the server fills what is left soon; deleting the filler frees the disk.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempFolder } from './fixtures.js';

const MOUNT = 'mount -t tmpfs -o size="$SMALL_DISK_SIZE" tmpfs "$SMALL_DISK"';

function canMountSmallDisks(): boolean {
  if (process.platform !== 'linux') return false;
  const folder = tempFolder();
  try {
    const probe = spawnSync('unshare', ['--mount', '--map-root-user', 'sh', '-c', MOUNT], {
      env: { ...process.env, SMALL_DISK: folder.path, SMALL_DISK_SIZE: '64k' },
    });
    return probe.status === 0;
  } finally {
    folder.remove();
  }
}

/** For `describe(name, { skip })`: a reason to skip where this machine cannot mount one. */
export const skipWithoutSmallDisks: string | false = canMountSmallDisks()
  ? false
  : 'small-disk tests skipped: they need Linux and `unshare --mount --map-root-user` allowed to mount a tmpfs';

export interface SmallDisk {
  /** The disk's folder, as the server sees it. */
  path: string;
  /** Runs the server's command line with the disk mounted at `path`. */
  launcher: string[];
  /**
   * Copies the SQLite database `name` (with its WAL) off the disk into `folder`, with the server
   * frozen meanwhile: the copy is what a crash at that moment would leave. SQLite cannot open the
   * file in place: it resolves /proc/PID/root, the way in, to this process's own root.
   */
  copyDatabase(serverPid: number, name: string, folder: string): string;
  /** Deletes the filler: the server has room again. */
  free(serverPid: number): void;
  remove(): void;
}

/** `size` and `room` (what the filler leaves free) in bytes. */
export function smallDisk({ size, room }: { size: number; room: number }): SmallDisk {
  const folder = tempFolder('cohesion-small-disk-');
  const fileOf = (pid: number, name: string) => `/proc/${pid}/root${join(folder.path, name)}`;
  const copyDatabase = (pid: number, name: string, into: string) => {
    process.kill(pid, 'SIGSTOP');
    try {
      for (const file of [name, `${name}-wal`]) {
        if (existsSync(fileOf(pid, file))) copyFileSync(fileOf(pid, file), join(into, file));
      }
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    return join(into, name);
  };
  const script = `${MOUNT} && head -c "$SMALL_DISK_FILLER" /dev/zero > "$SMALL_DISK/filler" && exec "$0" "$@"`;
  return {
    path: folder.path,
    launcher: [
      'env',
      `SMALL_DISK=${folder.path}`,
      `SMALL_DISK_SIZE=${size}`,
      `SMALL_DISK_FILLER=${size - room}`,
      'unshare',
      '--mount',
      '--map-root-user',
      'sh',
      '-c',
      script,
    ],
    copyDatabase,
    free: (pid) => rmSync(fileOf(pid, 'filler')),
    remove: folder.remove,
  };
}
