import { readdirSync, readFileSync } from 'node:fs';

/** A running sample of the resident memory of a process and all its descendants (Linux `/proc`). */
export interface ProcessGroupRss {
  /** Highest sum seen so far, bytes. */
  peak(): number;
  /** The process and its descendants at the last sample. */
  pids(): number[];
  stop(): void;
}

/**
 * How often the process tree is walked again. Walking it reads the stat file of every process on
 * the machine; doing that each sample took a measurable share of a core from the processes measured.
 * A process that starts and ends between two walks is missed (a `start` group changes only when a
 * worker process is replaced).
 */
const TREE_EVERY_MS = 1_000;

/** Samples every `everyMs` (and once at once): the root's tree from each process's parent pid. */
export function processGroupRss(root: number, everyMs: number): ProcessGroupRss {
  let peak = 0;
  let pids: number[] = [root];
  let walkedAt = -Infinity;
  const sample = () => {
    if (Date.now() - walkedAt >= TREE_EVERY_MS) {
      pids = descendants(root);
      walkedAt = Date.now();
    }
    let total = 0;
    for (const pid of pids) total += rssOf(pid);
    peak = Math.max(peak, total);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return { peak: () => peak, pids: () => pids, stop: () => clearInterval(timer) };
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // `pid (comm) state ppid …`: the name may hold spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // Gone meanwhile.
    }
  }
  const found = [root];
  for (let i = 0; i < found.length; i++) found.push(...(children.get(found[i]!) ?? []));
  return found;
}

function rssOf(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
