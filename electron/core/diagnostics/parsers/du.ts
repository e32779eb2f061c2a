/** The total `du -sk PATH` printed for PATH, in KiB; null when du printed none (the folder is missing or unreadable). */
export function parseDuTotalKiB(text: string, path: string): number | null {
  const wanted = trimSlashes(path);
  let total: number | null = null;
  for (const line of text.split('\n')) {
    const match = /^(\d+)\t(.+)$/.exec(line);
    if (match?.[1] && match[2] !== undefined && trimSlashes(match[2]) === wanted) {
      total = Number(match[1]);
    }
  }
  return total;
}

function trimSlashes(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}
