/** A server's long-query thread taking over the open files (stored documents, postings) of the index its event loop opened (see indexFile.ts). */
import { IndexFile, IndexFileHandle, isIndexFileHandle, release } from './indexFile';
import type { IndexData, PostingsFamily } from './data';
import type { StoredDocuments } from './docStore';

type WithFiles = Pick<IndexData, 'documents' | 'segmentParts' | 'words' | 'bigrams' | 'chars'>;

/** Every store of `data`: the index's own and each of its segments'. */
function storesOf(data: WithFiles): StoredDocuments[] {
  const stores = (documents: IndexData['documents']): StoredDocuments[] => ('parts' in documents ? documents.parts : [documents]);
  return [data.documents, ...(data.segmentParts ?? []).map((part) => part.data.documents)].flatMap(stores);
}

/** Every postings family of `data`: the index's own and each of its segments' (those a view gathers from). */
function familiesOf(data: WithFiles): PostingsFamily[] {
  return [data, ...(data.segmentParts ?? []).map((part) => part.data)].flatMap(({ words, bigrams, chars }) => [words, bigrams, chars]);
}

/** Each place of `data` that holds a file's bytes, with a way to replace what it holds. */
function filePlaces(data: WithFiles): Array<{ held: unknown; put: (file: IndexFile) => void }> {
  return [
    ...storesOf(data).map((store) => ({ held: store.blocks as unknown, put: (file: IndexFile) => (store.blocks = file) })),
    ...familiesOf(data).map((family) => ({ held: family.postings as unknown, put: (file: IndexFile) => (family.postings = file) })),
  ];
}

/**
 * Makes the stored documents and postings of `data`, an index another thread opened and
 * posted here (a server's long-query thread: SearchEngine.openShared), read through
 * IndexFiles of this thread: an IndexFile arrives as its fields (IndexFileHandle), each
 * adopted once (IndexFile.adopt) however many places share it; returns them (to close when
 * the index is dropped). Throws as adopt does.
 */
export function adoptIndexFiles(data: WithFiles): IndexFile[] {
  const adopted = new Map<IndexFileHandle, IndexFile>();
  for (const { held, put } of filePlaces(data)) {
    if (!isIndexFileHandle(held)) continue;
    let file = adopted.get(held);
    if (!file) adopted.set(held, (file = IndexFile.adopt(held)));
    put(file);
  }
  return [...adopted.values()];
}

/**
 * The descriptors of the open files of `data` (once each), as another thread adopting
 * `data` takes them (adoptIndexFiles), by their fields only: what a server keeps of an index
 * it gave its long-query thread, to let go for it should it end holding them.
 */
export function indexFileHandles(data: WithFiles): IndexFileHandle[] {
  const handles = new Map<number, IndexFileHandle>();
  for (const { held } of filePlaces(data)) {
    // The thread that opened the index holds IndexFiles; one it was posted to, their fields.
    if ((held instanceof IndexFile || isIndexFileHandle(held)) && !handles.has(held.fd)) handles.set(held.fd, { fd: held.fd, length: held.length, refs: held.refs, name: held.name });
  }
  return [...handles.values()];
}

/**
 * Lets go of the references a thread took with adoptIndexFiles and never let go of,
 * because it ended without closing its engine (it failed, or was terminated): without
 * this the descriptors would stay open, and the files of removed generations on disk,
 * until the process ends. Only for a thread known to hold them (see heavyLane.ts).
 */
export function releaseIndexFiles(handles: readonly IndexFileHandle[]): void {
  for (const handle of handles) release(handle);
}
