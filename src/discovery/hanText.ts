/**
 * The Han text of a corpus as new-word discovery sees it: runs of Han characters, cut at
 * everything else (punctuation, spaces, digits, Latin letters, other scripts), so that
 * no character n-gram spans a punctuation mark.
 */

/** Joins runs in {@link HanText.text}; never a Han character. */
export const RUN_SEPARATOR = '\n';

let hanUnits: Uint8Array | undefined;

/** 1 for each UTF-16 unit that is a Han character of the Basic Multilingual Plane (U+4E00…, U+3400…, 〇, 々 …). */
function hanTable(): Uint8Array {
  if (hanUnits) return hanUnits;
  hanUnits = new Uint8Array(0x10000);
  for (let unit = 0; unit < 0x10000; unit++) {
    if ((unit < 0xd800 || unit > 0xdfff) && /\p{Script=Han}/u.test(String.fromCharCode(unit))) hanUnits[unit] = 1;
  }
  return hanUnits;
}

/** The maximal runs of Han characters in `text`, in order (无主管楼院,“六小”门店 → 无主管楼院, 六小, 门店). */
export function hanRuns(text: string): string[] {
  const table = hanTable();
  const runs: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const han = i < text.length && table[text.charCodeAt(i)] === 1;
    if (han && start < 0) start = i;
    else if (!han && start >= 0) {
      runs.push(text.slice(start, i));
      start = -1;
    }
  }
  return runs;
}

/** The Han runs of a whole corpus in one string, so that n-gram statistics can index positions. */
export interface HanText {
  /** Every run, each preceded and followed by {@link RUN_SEPARATOR}. */
  text: string;
  /** Number of Han characters (separators not counted): N in the probabilities p(w) = count(w) / N. */
  characters: number;
}

/** Collects the Han runs of `texts` (taken as they are: normalize them first if they need it). */
export function hanText(texts: Iterable<string>): HanText {
  const runs: string[] = [];
  let characters = 0;
  for (const text of texts) {
    for (const run of hanRuns(text)) {
      runs.push(run);
      characters += run.length;
    }
  }
  return { text: `${RUN_SEPARATOR}${runs.join(RUN_SEPARATOR)}${RUN_SEPARATOR}`, characters };
}
