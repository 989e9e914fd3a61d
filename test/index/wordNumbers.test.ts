import { WordNumbers, hashOf } from '../../src/index/wordNumbers';

describe('WordNumbers', () => {
  it('numbers words 0, 1, 2, … in order of first intern, and gives the same number again', () => {
    const numbers = new WordNumbers();
    expect(['中国', '人民', '中国', 'b1', '', '人民'].map((word) => numbers.intern(word))).toEqual([0, 1, 0, 2, 3, 1]);
    expect(numbers.size).toBe(4);
    expect([0, 1, 2, 3].map((id) => numbers.wordOf(id))).toEqual(['中国', '人民', 'b1', '']);
    expect(numbers.get('人民')).toBe(1);
    expect(numbers.get('')).toBe(3);
    expect(numbers.get('人')).toBe(-1);
  });

  it('hashes with FNV-1a and murmur3 fmix32 (concrete values)', () => {
    expect(hashOf('')).toBe(-1421968373);
    expect(hashOf('a')).toBe(444641715);
    expect(hashOf('中国')).toBe(-1840831589);
  });

  it('tells apart words that start in the same slot', () => {
    // Both hash to slot 704 of the first 1024 slots (their hashes differ above the low 10 bits).
    expect(hashOf('词18') & 1023).toBe(704);
    expect(hashOf('词38') & 1023).toBe(704);
    const numbers = new WordNumbers();
    expect(numbers.intern('词18')).toBe(0);
    expect(numbers.get('词38')).toBe(-1);
    expect(numbers.intern('词38')).toBe(1);
    expect(numbers.get('词18')).toBe(0);
    expect(numbers.get('词38')).toBe(1);
  });

  it('keeps every number as the table grows past its first slots many times', () => {
    const numbers = new WordNumbers();
    const words = Array.from({ length: 5000 }, (_, i) => `w${i * 7919}`);
    expect(words.map((word) => numbers.intern(word))).toEqual(words.map((_, i) => i));
    expect(numbers.size).toBe(words.length);
    expect(words.map((word) => numbers.get(word))).toEqual(words.map((_, i) => i));
    expect(words.map((word) => numbers.intern(word))).toEqual(words.map((_, i) => i));
    expect(words.map((_, i) => numbers.wordOf(i))).toEqual(words);
    expect(numbers.get('w1')).toBe(-1);
  });
});
