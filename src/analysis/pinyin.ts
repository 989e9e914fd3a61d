import { pinyin } from 'pinyin-pro';

/**
 * The pinyin readings of Han words, shared by what the index stores (index/lexicon.ts:
 * every word's readings, written once per segment) and what queries look up
 * (search/pinyinIndex.ts, search/spelling.ts).
 */

const HAN = /^\p{Script=Han}+$/u;
/** At most this many readings per word, so a word of several polyphonic characters cannot blow up. */
const MAX_READINGS = 4;

/**
 * Whether a word of the index can be known by pinyin or by a near spelling: Han only, of
 * 2–6 UTF-16 units (longer words are phrases nobody types by their sound).
 */
export function isLexiconWord(word: string): boolean {
  return word.length >= 2 && word.length <= 6 && HAN.test(word);
}

/** Whether a text is made of Han characters only. */
export function isHan(text: string): boolean {
  return HAN.test(text);
}

/** Every reading of each Han character met so far (a few thousand characters at most): words share their characters, so a vocabulary asks pinyin-pro once per character. */
const characterReadings = new Map<string, string[]>();

function readingsOfCharacter(ch: string): string[] {
  let all = characterReadings.get(ch);
  if (!all) {
    all = pinyin(ch, { toneType: 'none', type: 'array', multiple: true, v: true });
    characterReadings.set(ch, all);
  }
  return all;
}

/** The readings of a Han word: pinyin-pro's reading in context, then other readings of polyphonic characters. */
export function readings(word: string): string[][] {
  const main = pinyin(word, { toneType: 'none', type: 'array', v: true });
  const options = [...word].map((ch, i) => [main[i], ...readingsOfCharacter(ch).filter((r) => r !== main[i])]);
  const result: string[][] = [main];
  const seen = new Set([main.join(' ')]);
  for (let i = 0; i < options.length && result.length < MAX_READINGS; i++) {
    for (const alternative of options[i].slice(1)) {
      const reading = [...main];
      reading[i] = alternative;
      if (!seen.has(reading.join(' ')) && result.length < MAX_READINGS) {
        seen.add(reading.join(' '));
        result.push(reading);
      }
    }
  }
  return result;
}

/** The full-pinyin key of a reading written with spaces between syllables (`fang te` → `fangte`). */
export function fullKey(reading: string): string {
  return reading.replaceAll(' ', '');
}

/** The initials key of a reading written with spaces between syllables (`fang te` → `ft`). */
export function initialsKey(reading: string): string {
  let key = reading[0] ?? '';
  for (let i = 1; i < reading.length; i++) if (reading.charCodeAt(i - 1) === 0x20) key += reading[i];
  return key;
}
