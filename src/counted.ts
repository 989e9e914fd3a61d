/** A count with its noun, singular for one: "1 document", "3 documents" (messages to users, English nouns with a plain -s plural). */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
