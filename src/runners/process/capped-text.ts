/**
 * Keeps the head of a stream's text up to a byte budget, so that an action printing gigabytes
 * cannot exhaust the runner's memory; everything past the budget is only counted.
 */
export class CappedText {
  private readonly parts: string[] = [];
  private keptBytes = 0;
  /** Every byte seen, kept or not. */
  totalBytes = 0;

  constructor(private readonly maxBytes: number) {}

  get truncated(): boolean {
    return this.totalBytes > this.keptBytes;
  }

  /** Whether the budget is used up: further text would only be counted. */
  get full(): boolean {
    return this.keptBytes >= this.maxBytes;
  }

  /** Counts bytes that were not even decoded (the budget is full and nobody else wants them). */
  count(byteLength: number): void {
    this.totalBytes += byteLength;
  }

  /** Bytes seen but not kept. */
  get droppedBytes(): number {
    return this.totalBytes - this.keptBytes;
  }

  /**
   * @param byteLength the byte length of the raw chunk `text` was decoded from (callers have it
   *   for free, which spares us re-encoding every chunk to count it)
   */
  push(text: string, byteLength: number): void {
    this.totalBytes += byteLength;
    const room = this.maxBytes - this.keptBytes;
    if (room <= 0 || text.length === 0) return;
    if (byteLength <= room) {
      this.parts.push(text);
      this.keptBytes += byteLength;
      return;
    }
    // Crossing the budget happens once per stream, so the re-encode here is cheap overall.
    const head = headWithinBytes(text, room);
    this.parts.push(head);
    this.keptBytes = this.maxBytes;
  }

  text(): string {
    if (this.parts.length > 1) {
      // Joined once and kept joined, so the pieces can be collected: with a full budget they are
      // megabytes that would otherwise be held twice.
      const joined = this.parts.join('');
      this.parts.length = 0;
      this.parts.push(joined);
    }
    return this.parts[0] ?? '';
  }
}

/** The longest prefix of `text` whose UTF-8 encoding fits in `maxBytes`, never splitting a character. */
export function headWithinBytes(text: string, maxBytes: number): string {
  const encoded = Buffer.from(text, 'utf8');
  if (encoded.length <= maxBytes) return text;
  let end = maxBytes;
  // Back up over UTF-8 continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (end > 0 && ((encoded[end] as number) & 0xc0) === 0x80) end--;
  return encoded.subarray(0, end).toString('utf8');
}
