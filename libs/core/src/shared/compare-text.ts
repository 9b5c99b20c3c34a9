/** Code-unit order of two strings, the one every writer locks keys in (not the locale's). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
