/** Characters that end a sentence (or a clause that may end a paragraph). */
const SENTENCE_END = '。！？!?；;…';
/** Closing quotes and brackets that may follow the sentence-final character. */
const CLOSERS = '”’」』）)"\'】》';

/**
 * Whether a paragraph ends a sentence: its last character, after any closing quotes or
 * brackets, is sentence-final punctuation. A paragraph that does not was cut by a column
 * break and continues in the next one.
 */
export function isTerminated(text: string): boolean {
  let end = text.length;
  while (end > 0 && CLOSERS.includes(text[end - 1])) end--;
  return end > 0 && SENTENCE_END.includes(text[end - 1]);
}

/** Whether `char` is sentence-final punctuation (see {@link isTerminated}). */
export function isSentenceEnd(char: string): boolean {
  return SENTENCE_END.includes(char);
}

/** Whether `char` is a closing quote or bracket that may follow sentence-final punctuation. */
export function isCloser(char: string): boolean {
  return CLOSERS.includes(char);
}

/** Length in characters (code points), the unit length limits on headlines are stated in. */
export function charLength(text: string): number {
  return [...text].length;
}
