/**
 * Splits long text into pieces of at most `limit` characters at paragraph or line ends, never
 * inside a code fence: a fence open at a cut is closed at the end of one piece and reopened (with
 * its language) at the start of the next, so every piece renders on its own.
 */
export function splitText(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  let reopen = '';
  while (reopen.length + rest.length > limit) {
    const room = limit - reopen.length - 4; // room for a closing "\n```"
    let cut = rest.lastIndexOf('\n\n', room);
    if (cut < room / 2) cut = rest.lastIndexOf('\n', room);
    if (cut < room / 2) cut = room;
    const body = reopen + rest.slice(0, cut);
    const open = openFence(body);
    pieces.push(open === undefined ? body : `${body}\n\`\`\``);
    reopen = open === undefined ? '' : `${open}\n`;
    rest = rest.slice(cut).replace(/^\n+/, '');
  }
  const last = reopen + rest;
  if (last.trim().length > 0) pieces.push(last);
  return pieces;
}

/** The opening line (```lang) of a code fence left open at the end of `text`, if any. */
function openFence(text: string): string | undefined {
  let open: string | undefined;
  for (const line of text.split('\n')) {
    const fence = /^\s*(```\S*)/.exec(line);
    if (fence) open = open === undefined ? fence[1] : undefined;
  }
  return open;
}
