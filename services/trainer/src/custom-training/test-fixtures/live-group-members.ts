import { readdirSync, readFileSync } from 'node:fs';

/**
 * Pids of the process group's members that are still running. Zombies are left out: on a machine whose init
 * does not reap orphans, a killed grandchild stays a zombie in its group without running or holding anything.
 */
export function liveGroupMembers(pgid: number): number[] {
  const live: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it exited while we looked
    }
    // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses, so parse after the last ")"
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') live.push(Number(entry));
  }
  return live;
}
